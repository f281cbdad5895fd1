"""The whole tutorial end to end against the twin: provisioner commands, scim-enable, abac, verify,
teardown — re-runs are no-ops, SAML works in both directions, and nothing secret is ever printed."""

import base64
import json
import re
import uuid

import pytest
import requests
import saml_check
from azure_cli import AzureCli
from entraidc.aws import ACCOUNTS
from lab import MARKER, Lab

NICKNAMES = list(ACCOUNTS)


@pytest.fixture
def lab(twin_environ, twin_reset, tmp_path_factory):
    """As on an agent: the real Azure CLI logged in as the automation's service principal, and no
    client secret in the commands' environment (client secrets: test_failures_twin.py)."""
    cli = AzureCli(twin_environ, tmp_path_factory.mktemp("azure-cli"))
    cli.login_service_principal()
    return Lab(twin_environ, run_env=cli.env)


def inventory(twin_admin) -> dict:
    status, body = twin_admin("GET", "/inventory")
    assert status == 200, body
    return body


def saml_sign_in(lab: Lab, nickname: str, upn: str, password: str, acs_url: str = "") -> str:
    """SP-initiated sign-in (HTTP-POST binding) as a browser would do it, through one of Identity
    Center's ACS URLs (the default one unless given); returns the SAMLResponse."""
    sess = lab.session(nickname)
    store = lab.instance(nickname)["IdentityStoreId"]
    from entraidc.aws_console_api import ConsoleApi

    sp = ConsoleApi(ACCOUNTS[nickname], sess).download_service_provider_metadata(store)
    sp = {**sp, "AcsUrl": acs_url or sp["AcsUrl"]}
    request_id = "_" + uuid.uuid4().hex
    authn = (
        f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="{request_id}" '
        f'Version="2.0" IssueInstant="2026-01-01T00:00:00Z" AssertionConsumerServiceURL="{sp["AcsUrl"]}">'
        f'<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">{sp["EntityId"]}</saml:Issuer>'
        "</samlp:AuthnRequest>"
    )
    answer = requests.post(
        f"https://login.microsoftonline.com/{lab.tenant_id}/saml2",
        timeout=30,
        data={"SAMLRequest": base64.b64encode(authn.encode()).decode(), "login": upn, "passwd": password},
    )
    assert answer.status_code == 200, answer.text[:500]
    found = re.search(r'name="SAMLResponse" value="([^"]+)"', answer.text)
    assert found, answer.text[:500]
    return found.group(1), sp


def _acs_urls(lab, nickname) -> list[str]:
    from entraidc.aws_console_api import ConsoleApi
    from lxml import etree

    store = lab.instance(nickname)["IdentityStoreId"]
    sp = ConsoleApi(ACCOUNTS[nickname], lab.session(nickname)).download_service_provider_metadata(store)
    root = etree.fromstring(sp["MetadataXml"].encode())
    acs = "{urn:oasis:names:tc:SAML:2.0:metadata}AssertionConsumerService"
    found = [e.get("Location") for e in root.iter(acs)]
    assert len(found) >= 2, found
    return found


def _identity_store_users(lab, nickname) -> dict[str, str]:
    store = lab.instance(nickname)["IdentityStoreId"]
    users = lab.session(nickname).client("identitystore").list_users(IdentityStoreId=store)["Users"]
    return {u["UserName"]: u["UserId"] for u in users}


def _idp(lab, nickname) -> dict:
    from entraidc.aws_console_api import ConsoleApi

    store = lab.instance(nickname)["IdentityStoreId"]
    return ConsoleApi(ACCOUNTS[nickname], lab.session(nickname)).list_external_identity_providers(store)[0]


def _sp_configuration(lab, nickname) -> dict:
    from entraidc.aws_console_api import ConsoleApi

    store = lab.instance(nickname)["IdentityStoreId"]
    return ConsoleApi(ACCOUNTS[nickname], lab.session(nickname)).download_service_provider_metadata(store)


def _ownership_record(lab, nickname) -> dict:
    arn = lab.instance(nickname)["InstanceArn"]
    tags = lab.session(nickname).client("sso-admin").list_tags_for_resource(InstanceArn=arn, ResourceArn=arn)
    return {t["Key"]: t["Value"] for t in tags["Tags"] if t["Key"].startswith("entra-idc:")}


def test_full_lifecycle_converges_and_cleans_up(lab, twin_admin, tmp_path):
    ready = lab.run(["--json", "preflight"])
    assert [a["identitySource"] for a in ready["accounts"]] == ["IDENTITY_STORE", "IDENTITY_STORE"]
    assert ready["accounts"][1]["instanceArn"].startswith("arn:aws-us-gov:sso:::instance/")

    # SAML phase (entraSamlSetup): provisioners in Terraform's order.
    nikki = lab.users("create", "NikkiWolf")
    assert nikki["changed"] is True and nikki["user"].startswith("NikkiWolf@")
    assert lab.users("create", "NikkiWolf")["changed"] is False
    for nickname in NICKNAMES:
        assert lab.app("create", nickname)["changed"] is True
        assert lab.app("create", nickname)["changed"] is False
        assert lab.assign("create", "NikkiWolf", nickname)["changed"] is True
        assert lab.assign("create", "NikkiWolf", nickname)["changed"] is False
        lab.terraform_aws_side(nickname, nikki["user"])
        assert lab.federate("create", nickname)["changed"] is True
        assert lab.federate("create", nickname)["changed"] is False
        # The access-portal URL Terraform outputs is the one the service answered (issue 11 finding 7).
        assert lab.result_tags(f"entraidc-saml-{nickname}") == {
            "signInUrl": _sp_configuration(lab, nickname)["SignInUrl"],
            "signInUrlSource": "service",
            "managedBy": MARKER,
        }
        # Ownership is recorded on the instance (sso-admin tags), not inferred from certificate IDs.
        assert _ownership_record(lab, nickname) == {
            "entra-idc:idp-id": _idp(lab, nickname)["IdPId"],
            "entra-idc:tenant-id": lab.tenant_id,
            "entra-idc:app-id": lab.result_tags(f"entraidc-app-{nickname}")["appId"],
        }

    # Step 3.4: a SAML response signed by Entra validates against what Identity Center was given,
    # through every ACS URL of the SP metadata (IPv4-only, dual-stack; Entra refuses an ACS that is
    # not a reply URL with AADSTS50011).
    password = lab.secret_value("entraidc-user-nikkiwolf")
    for nickname, acs_url in [(n, url) for n in NICKNAMES for url in _acs_urls(lab, n)]:
        response, sp = saml_sign_in(lab, nickname, nikki["user"], password, acs_url)
        from entraidc.aws_console_api import ConsoleApi

        idp = ConsoleApi(ACCOUNTS[nickname], lab.session(nickname)).list_external_identity_providers(
            lab.instance(nickname)["IdentityStoreId"]
        )[0]
        checked = saml_check.check_response(
            response,
            certificates=lab.idp_certificates(nickname),
            issuer=idp["IdPEntityId"],
            audience=sp["EntityId"],
            recipient=sp["AcsUrl"],
        )
        assert checked["name_id"] == nikki["user"]
        # ... and Identity Center itself accepts it: the ACS sends Nikki on to the access portal.
        accepted = requests.post(
            sp["AcsUrl"], data={"SAMLResponse": response}, allow_redirects=False, timeout=30
        )
        assert accepted.status_code == 302, accepted.text[:300]
        assert accepted.headers["Location"].startswith(sp["SignInUrl"])

    saml_checks = tmp_path / "verify-saml.xml"
    lab.run(["verify", "--phase", "saml", "--junit", str(saml_checks)])
    assert lab.last_stdout.strip().endswith("24 of 24 checks passed")  # 12 per account, as a table
    assert saml_checks.read_text().count("<testcase ") == 24

    # SCIM phase (entraScimEnable).
    rich = lab.users("create", "RichRoe")
    for nickname in NICKNAMES:
        lab.assign("create", "RichRoe", nickname)
    nikki_ids = {n: _identity_store_users(lab, n)[nikki["user"]] for n in NICKNAMES}
    enabled = lab.run(["--json", "scim-enable", "--timeout", "120"])
    assert [a["changed"] for a in enabled["accounts"]] == [True, True]
    again = lab.run(["--json", "scim-enable", "--timeout", "120"])
    assert [a["changed"] for a in again["accounts"]] == [False, False]
    for nickname in NICKNAMES:
        store = lab.instance(nickname)["IdentityStoreId"]
        users = lab.session(nickname).client("identitystore").list_users(IdentityStoreId=store)["Users"]
        names = sorted(u["UserName"] for u in users)
        # One NikkiWolf (Terraform's, now matched by SCIM on userName), and RichRoe from SCIM.
        assert names == sorted([nikki["user"], rich["user"]])
        # ... and it is the very user Terraform created in Step 2.2, now linked to Entra.
        assert _identity_store_users(lab, nickname)[nikki["user"]] == nikki_ids[nickname]
    for nickname in NICKNAMES:
        lab.terraform_scim_admin(nickname, rich["user"])
        lab.terraform_abac(nickname)
    assert lab.run(["--json", "abac"])["accounts"][0]["changed"] is True
    assert lab.run(["--json", "abac"])["accounts"][0]["changed"] is False
    mismatch = lab.run(["--json", "abac", "--attribute", "CostCenter=user.employeeId"], expect=2)
    assert "access-control attribute(s) Department with no claim" in mismatch["error"]
    # Step 5: the AccessControl claim now rides in Nikki's SAML response.
    lab.graph().patch(f"/users/{nikki['objectId']}", {"department": "Engineering"})
    response, sp = saml_sign_in(lab, "aws-commercial", nikki["user"], password)
    claims = saml_check.check_response(
        response,
        certificates=lab.idp_certificates("aws-commercial"),
        issuer=f"https://sts.windows.net/{lab.tenant_id}/",
        audience=sp["EntityId"],
        recipient=sp["AcsUrl"],
    )["attributes"]
    assert claims["https://aws.amazon.com/SAML/Attributes/AccessControl:Department"] == ["Engineering"]

    junit_file = tmp_path / "verify.xml"
    verified = lab.run(["--json", "verify", "--abac", "--junit", str(junit_file)])
    assert verified["failed"] == 0, [c for c in verified["checks"] if c["status"] == "fail"]
    assert verified["passed"] == 2 * 22, verified["table"] if "table" in verified else verified

    # Nothing secret in any output or file written.
    secrets = [password, lab.secret_value("entraidc-user-richroe")]
    for nickname in NICKNAMES:
        stored = (
            lab.session(nickname)
            .client("secretsmanager")
            .get_secret_value(SecretId=f"entraidc/{nickname}/scim-access-token")["SecretString"]
        )
        secrets.append(json.loads(stored)["Token"])
    written = [p.read_text() for p in tmp_path.iterdir()]
    for text in lab.outputs + written:
        for value in secrets:
            assert value not in text

    # Teardown (entraTeardown): the script, then Terraform's destroy provisioners in reverse order.
    torn = lab.run(["--json", "teardown"])
    assert [a["tenants"] for a in torn["accounts"]] == [1, 1]
    assert [a["identitySourceRestored"] for a in torn["accounts"]] == [1, 1]
    assert [_ownership_record(lab, n) for n in NICKNAMES] == [{}, {}]
    assert [a["tenants"] for a in lab.run(["--json", "teardown"])["accounts"]] == [0, 0]
    for nickname in NICKNAMES:
        lab.federate("destroy", nickname)
        assert lab.vault().get_secret(f"entraidc-saml-{nickname}") is None
        for name in ("RichRoe", "NikkiWolf"):
            lab.assign("destroy", name, nickname)
        lab.app("destroy", nickname)
        lab.app("destroy", nickname)
    for name in ("RichRoe", "NikkiWolf"):
        assert lab.users("destroy", name)["deleted"] is True
        assert lab.users("destroy", name)["deleted"] is False

    left = json.dumps(inventory(twin_admin))
    assert "AWS IAM Identity Center (" not in left
    assert rich["user"] not in left
    assert MARKER not in json.dumps(inventory(twin_admin).get("azure-id", {}).get("users", []))
