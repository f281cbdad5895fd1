"""What a first run against a real tenant meets and the twin did not show (issue 20), reproduced by
the twin, each with the Microsoft page it follows:

- Reference updates during replication: 400 Request_BadRequest "Not a valid reference update."
  ("Set up Microsoft Entra ID for client authentication", troubleshooting Request_BadRequest).
- A Key Vault secret recreated right after its purge: 409 Conflict ObjectIsBeingDeleted, "retry
  later" (Azure/azure-sdk-for-net issue 34322; no API polls a purge, azure-sdk-for-python issue 19263).
- The federation metadata right after a signing-certificate change may still carry the previous
  certificate ("Federation metadata" of the Microsoft identity platform; the Graph SAML tutorial adds
  the certificate, then sets preferredTokenSigningKeyThumbprint): uploaded only once it carries the
  active one.
- An app-only password reset needs the User Administrator role (Graph "Update user", passwordProfile):
  a user whose initial password never reached the vault is created again instead.
- A purged application leaves its service principal in the recycle bin ("Restore an enterprise
  application"); applications of ours deleted by hand wait there too: both are purged.
- Azure rights before the apply: Microsoft.KeyVault is not registered in a fresh subscription
  ("Azure resource providers and types"; "Resolve errors for resource provider registration"), and
  the roles must be held on scopes that exist before the apply (the subscription): preflight names
  them in the same error as the Graph permissions.
"""

import time

import pytest
from lab import Lab


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def _fired(twin_admin, rule_id: str) -> int:
    status, faults = twin_admin("GET", "/faults")
    assert status == 200, faults
    rules = faults["faults"] + faults["spent"]
    return next(r["fired"] for r in rules if r["id"] == rule_id)


def test_assigning_a_just_created_user_waits_out_not_a_valid_reference_update(lab, twin_admin):
    lab.app("create", "aws-commercial")
    time.sleep(6)  # the app's service principal has replicated; the user created next has not
    status, rule = twin_admin(
        "POST",
        "/faults",
        {"service": "graph", "operation": "grantAppRoleAssignedTo", "kind": "delay", "seconds": 6},
    )
    assert status == 201, rule
    lab.users("create", "NikkiWolf")
    assert lab.assign("create", "NikkiWolf", "aws-commercial")["changed"] is True
    assert _fired(twin_admin, rule["added"]) >= 1
    assert "/appRoleAssignedTo: 400, retrying in" in "".join(lab.outputs)


def test_a_secret_recreated_while_its_purge_completes_is_written_once_the_name_is_free(lab, twin_admin):
    lab.users("create", "NikkiWolf")
    assert lab.users("destroy", "NikkiWolf")["deleted"] is True  # its secret deleted and purged
    status, rule = twin_admin(
        "POST",
        "/faults",
        {"service": "keyvault", "operation": "purgeDeletedSecret", "kind": "delay", "seconds": 8},
    )
    assert status == 201, rule
    assert lab.users("create", "NikkiWolf")["changed"] is True
    assert _fired(twin_admin, rule["added"]) >= 1
    assert "Key Vault PUT secrets/entraidc-user-nikkiwolf: 409, retrying in" in "".join(lab.outputs)
    assert lab.result_tags("entraidc-user-nikkiwolf")["upn"].startswith("NikkiWolf@")


def test_the_idp_metadata_is_uploaded_only_once_it_carries_the_new_signing_certificate(lab, twin_admin):
    lab.users("create", "NikkiWolf")
    lab.app("create", "aws-commercial")
    lab.terraform_aws_side("aws-commercial", lab.result_tags("entraidc-user-nikkiwolf")["upn"])
    status, rule = twin_admin(
        "POST",
        "/faults",
        {"service": "login", "operation": "federationMetadata", "kind": "delay", "seconds": 6},
    )
    assert status == 201, rule
    assert lab.federate("create", "aws-commercial")["changed"] is True
    (certificate,) = lab.idp_certificates("aws-commercial")
    assert certificate["Subject"] == "CN=entra-idc SAML signing"  # not the tenant's, served meanwhile
    assert _fired(twin_admin, rule["added"]) >= 1
    assert "still carries certificate(s)" in "".join(lab.outputs)


def test_a_user_whose_password_never_reached_the_vault_is_created_again_not_reset(lab):
    """Resetting it app-only would need the User Administrator role (Graph "Update user")."""
    first = lab.users("create", "NikkiWolf")
    lab.vault().delete_and_purge_secret("entraidc-user-nikkiwolf")  # as after a failed vault write
    again = lab.users("create", "NikkiWolf")
    assert again["changed"] is True and again["objectId"] != first["objectId"]
    stored = lab.result_tags("entraidc-user-nikkiwolf")
    assert stored["objectId"] == again["objectId"]
    assert "deleted user NikkiWolf@" in "".join(lab.outputs)


def _recycle_bin(twin_admin) -> list[str]:
    return sorted(i["type"] for i in twin_admin("GET", "/inventory")[1]["azure-id"]["deletedItems"])


def test_destroying_the_app_purges_its_service_principal_from_the_recycle_bin_too(lab, twin_admin):
    lab.app("create", "aws-commercial")
    assert lab.app("destroy", "aws-commercial")["deleted"] == 1
    assert _recycle_bin(twin_admin) == []


def test_teardown_purges_an_app_of_ours_that_someone_deleted_by_hand(lab, twin_admin):
    lab.app("create", "aws-commercial")
    app_id = lab.result_tags("entraidc-app-aws-commercial")["appId"]
    lab.graph().delete(f"/applications(appId='{app_id}')")
    assert _recycle_bin(twin_admin) == ["#microsoft.graph.application", "#microsoft.graph.servicePrincipal"]
    torn = lab.run(["--json", "teardown", "--all-marked"])
    assert torn["entra"]["purgedApplications"] == 1
    assert _recycle_bin(twin_admin) == []


def test_preflight_names_the_arm_roles_at_scopes_that_exist_before_the_apply_with_the_graph_gaps(lab):
    """Contributor on the resource group only: the group does not exist before the first apply, and
    the vault purge path is subscription-scoped; one error names these and a missing Graph permission."""
    import uuid

    from twin.azure import catalogue, ids

    sub = catalogue.SUBSCRIPTION_SCOPE
    group = f"{sub}/resourceGroups/rg-entraidc"
    contributor = {
        "properties": {
            "roleDefinitionId": catalogue.role_definition("Contributor")["id"],
            "principalId": ids.AUTOMATION_SP_OBJECT_ID,
        }
    }
    granted = lab.arm(
        "PUT",
        f"{group}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}",
        "2022-04-01",
        contributor,
    )
    assert granted.status_code == 201, granted.text
    assert lab.arm("DELETE", catalogue.owner_assignment()["id"], "2022-04-01").status_code == 200
    grant = ids.stable_id("grant/Organization.Read.All")
    lab.graph().delete(f"/servicePrincipals/{catalogue.GRAPH_SP_OBJECT_ID}/appRoleAssignedTo/{grant}")
    error = lab.run(["--json", "preflight"], expect=2)["error"]
    assert "Organization.Read.All (" in error  # Graph, and ARM in the same message:
    assert (
        f"On Azure Resource Manager it also lacks: Contributor (or Owner) on the subscription {sub}" in error
    )
    assert (
        f"Role Based Access Control Administrator (or User Access Administrator, or Owner) on {sub}" in error
    )


def test_preflight_reports_that_the_module_registers_microsoft_keyvault(twin_environ, twin_reset):
    """The lab's own vault set-up registers Microsoft.KeyVault; a fresh twin has it NotRegistered."""
    from entraidc_cli import run

    done = run(["--json", "preflight"], dict(twin_environ, ENTRAIDC_OWNER_MARKER="entra-idc"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Microsoft.KeyVault is NotRegistered in /subscriptions/" in done.stderr
    assert "the module registers it at the start of the apply" in done.stderr
