"""A stored SCIM access token past (or near) its ExpirationTime is replaced, not reused (issue 19
point 8). Tokens are valid for one year and Identity Center keeps two per tenant (IAM Identity
Center user guide, "Rotate an access token"); the twin ages them through its admin route
(twin/aws/token_admin.py) and its SCIM endpoint refuses an expired one, as Entra's Test Connection
then reports."""

import json

import pytest
from entraidc.scim_token_store import secret_name
from lab import Lab

NICKNAME = "aws-govcloud"


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def stored_token(lab) -> dict:
    secrets = lab.session(NICKNAME).client("secretsmanager")
    return json.loads(secrets.get_secret_value(SecretId=secret_name(NICKNAME))["SecretString"])


@pytest.mark.parametrize("seconds_left", [-60, 3 * 86400], ids=["expired", "expires-in-3-days"])
def test_a_stored_token_near_or_past_its_expiry_is_replaced(lab, twin_admin, seconds_left):
    lab.saml_phase([NICKNAME], with_rich=True)
    scim = ["--json", "scim-enable", "--account", NICKNAME, "--timeout", "120"]
    lab.run(scim)
    first = stored_token(lab)
    status, body = twin_admin("POST", f"/aws/scim-tokens/{NICKNAME}", {"seconds_left": seconds_left})
    assert status == 200 and body["tokens"] == 1, body

    lab.run(scim)
    second = stored_token(lab)
    assert second["TokenId"] != first["TokenId"]
    assert f"SCIM access token {first['TokenId']} expires" in "".join(lab.outputs)
    # Unchanged when it is far from its expiry: the same token is kept.
    lab.run(scim)
    assert stored_token(lab)["TokenId"] == second["TokenId"]
