"""Defects a first run against a real tenant would have hit, reproduced by the twin (issue 12).

- SAML mode before the identifier URI: Entra "Restrictions on identifier URIs of Microsoft Entra
  applications" (excludeSaml) and Microsoft's "Configure SAML-based single sign-on for your
  application using the Microsoft Graph API" (sets preferredSingleSignOnMode first).
- Gallery template lookup: "List applicationTemplates" ($filter on displayName with eq or
  contains; the tutorial's displayName eq '...' and template id).
- customKeyIdentifier is Edm.Binary (base64): Graph "keyCredential resource type".
- Key Vault RBAC propagation: "Provide access to Key Vault keys, certificates, and secrets with
  Azure role-based access control" (up to 10 minutes); 403 Forbidden / ForbiddenByRbac body.
"""

import re
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from entraidc.saml_federation import sp_thumbprints
from lab import APP_TEMPLATE, Lab

from twin.azure import catalogue
from twin.core import paths


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def test_saml_federate_sets_saml_mode_before_the_non_verified_identifier_uri(lab):
    lab.users("create", "NikkiWolf")
    lab.app("create", "aws-commercial")
    lab.terraform_aws_side("aws-commercial", lab.result_tags("entraidc-user-nikkiwolf")["upn"])
    assert lab.federate("create", "aws-commercial")["changed"] is True
    app = lab.result_tags("entraidc-app-aws-commercial")
    graph = lab.graph()
    sp = graph.get(f"/servicePrincipals/{app['servicePrincipalId']}")
    assert sp["preferredSingleSignOnMode"] == "saml"
    application = graph.get(f"/applications(appId='{app['appId']}')")
    (entity_id,) = application["identifierUris"]
    # Identity Center's entity ID, on no verified domain of the tenant
    assert urlsplit(entity_id).hostname.endswith(".amazon.com") and "/platform/saml/d-" in entity_id


def test_the_gallery_template_is_found_by_exact_name_or_id_and_a_prefix_is_refused(lab):
    env = {
        "ENTRAIDC_ACCOUNT_NICKNAME": "aws-commercial",
        "ENTRAIDC_APP_DISPLAY_NAME": "AWS IAM Identity Center (aws-commercial)",
        "ENTRAIDC_RESULT_SECRET_NAME": "entraidc-app-aws-commercial",
    }
    prefix = lab.run(
        ["entra-app", "create"], expect=1, ENTRAIDC_APP_TEMPLATE_NAME="AWS IAM Identity Center", **env
    )
    assert "expected one gallery template 'AWS IAM Identity Center'" in prefix["error"]
    assert APP_TEMPLATE in prefix["error"]  # names the exact gallery name to use
    by_id = lab.run(["entra-app", "create"], ENTRAIDC_APP_TEMPLATE_NAME=catalogue.AWS_TEMPLATE_ID, **env)
    assert by_id["changed"] is True


def test_certificates_are_recognised_by_their_base64_custom_key_identifier(lab):
    lab.app("create", "aws-commercial")
    app = lab.result_tags("entraidc-app-aws-commercial")
    graph = lab.graph()
    cert = graph.post(
        f"/servicePrincipals/{app['servicePrincipalId']}/addTokenSigningCertificate",
        {"displayName": "CN=entra-idc SAML signing"},
    )
    sp = graph.get(f"/servicePrincipals/{app['servicePrincipalId']}")
    assert sp["preferredTokenSigningKeyThumbprint"] is None  # only the key credentials name it
    assert sp_thumbprints(sp) == {cert["thumbprint"].upper()}


def _rbac_vault(lab, name: str, assign: bool) -> str:
    """An RBAC vault as the module creates it, with (or without) the caller's Secrets Officer role."""
    from twin.azure import ids

    uri = lab.create_vault(name, rbac=True)
    token = lab.credential.get_token("https://management.azure.com/.default").token
    headers = {"Authorization": f"Bearer {token}"}
    group = f"/subscriptions/{ids.SUBSCRIPTION_ID}/resourceGroups/rg-entraidc"
    vault_id = f"{group}/providers/Microsoft.KeyVault/vaults/{name}"
    if assign:
        officer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7"
        assigned = requests.put(
            f"https://management.azure.com{vault_id}/providers/Microsoft.Authorization/"
            f"roleAssignments/{uuid.uuid4()}?api-version=2022-04-01",
            json={
                "properties": {
                    "roleDefinitionId": f"/subscriptions/{ids.SUBSCRIPTION_ID}/providers/"
                    f"Microsoft.Authorization/roleDefinitions/{officer}",
                    "principalId": ids.AUTOMATION_SP_OBJECT_ID,
                }
            },
            headers=headers,
            timeout=30,
        )
        assert assigned.status_code == 201, assigned.text
    return uri


def _secret_requests(log_from: int, vault: str) -> list[tuple[str, int]]:
    """(method, status) of each request the twin answered on this vault's secrets since
    ``log_from``, from its request log (one line per request: twin/core/server.py)."""
    with (paths.state_dir() / "twin.log").open("rb") as log:
        log.seek(log_from)
        lines = log.read().decode(errors="replace").splitlines()
    found = (re.search(r'"(\w+) /secrets/[^ ]* HTTP/[\d.]+" (\d{3}) .* (\S+)$', line) for line in lines)
    return [(m.group(1), int(m.group(2))) for m in found if m and m.group(3) == f"{vault}.vault.azure.net"]


def _log_size() -> int:
    return (paths.state_dir() / "twin.log").stat().st_size


def test_key_vault_rbac_propagation_is_waited_out_right_after_the_assignment(lab, twin_admin):
    status, body = twin_admin(
        "POST", "/faults", {"service": "keyvault", "operation": "*", "kind": "delay", "seconds": 4}
    )
    assert status == 201, body
    lab.env["ENTRAIDC_KEY_VAULT_URI"] = _rbac_vault(lab, "entraidc-rbac01", assign=True)
    log_from = _log_size()
    assert lab.users("create", "NikkiWolf")["changed"] is True
    calls = _secret_requests(log_from, "entraidc-rbac01")
    # The first read refused while the assignment propagates, retried until it answers, then one write.
    assert calls[-2:] == [("GET", 404), ("PUT", 200)] and calls[:-2], calls
    assert set(calls[:-2]) == {("GET", 403)}, calls
    log = "".join(lab.outputs)
    assert "Key Vault RBAC: role assignment created" in log and "the role assignment is in effect" in log


def test_key_vault_403_without_a_fresh_assignment_is_final_and_names_the_role(lab, twin_admin):
    lab.env["ENTRAIDC_KEY_VAULT_URI"] = _rbac_vault(lab, "entraidc-rbac02", assign=False)
    log_from = _log_size()
    result = lab.users("create", "NikkiWolf", expect=1)
    assert _secret_requests(log_from, "entraidc-rbac02") == [("GET", 403)], "a final 403 is not retried"
    assert "waiting up to" not in "".join(lab.outputs)
    assert "HTTP 403 Forbidden" in result["error"] and "Key Vault Secrets Officer" in result["error"]
    assert "has no Key Vault secrets role" in result["error"]
    status, inventory = twin_admin("GET", "/inventory")
    assert inventory["azure-id"]["users"] == []  # nothing created before the vault refused


def test_a_deleted_user_is_not_purged_app_only_and_the_run_says_so(lab, twin_admin):
    """ "Permanently delete an item (directory object)": users — Application: Not supported."""
    created = lab.users("create", "NikkiWolf")
    assert lab.users("destroy", "NikkiWolf")["deleted"] is True
    assert "stays in the recycle bin for 30 days" in "".join(lab.outputs)
    deleted = twin_admin("GET", "/inventory")[1]["azure-id"]["deletedItems"]
    assert [i["id"] for i in deleted] == [created["objectId"]]
    assert lab.users("create", "NikkiWolf")["changed"] is True  # the soft-deleted user blocks nothing
