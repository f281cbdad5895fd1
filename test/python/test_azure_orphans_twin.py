"""The azure-id half of `sweep` (issue 14, "killed at every phase boundary"): an apply killed between
ARM's answer and Terraform's state write leaves a resource group, a vault or a role assignment
that the azurerm provider then refuses to create again ("already exists - to be managed via
Terraform this resource needs to be imported into the State"; ARM 409 RoleAssignmentExists,
"Troubleshoot Azure RBAC"). `sweep` removes exactly those carrying our marker, purges our
deleted vaults, and leaves everyone else's alone."""

import json
import uuid

import pytest
import requests
from lab import MARKER, Lab

from twin.azure import ids

ARM = "https://management.azure.com"
SUB = f"/subscriptions/{ids.SUBSCRIPTION_ID}"
OFFICER = f"{SUB}/providers/Microsoft.Authorization/roleDefinitions/b86a8fe4-44ce-4948-aee5-eccb2c155cd7"


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def _group(lab, name: str, tags: dict) -> str:
    answer = lab.arm(
        "PUT", f"{SUB}/resourceGroups/{name}", "2021-04-01", {"location": "eastus", "tags": tags}
    )
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["id"]


def _vault(lab, group: str, name: str, tags: dict) -> str:
    body = {
        "location": "eastus",
        "tags": tags,
        "properties": {
            "tenantId": lab.tenant_id,
            "sku": {"family": "A", "name": "standard"},
            "enableRbacAuthorization": True,
            "softDeleteRetentionInDays": 7,
        },
    }
    answer = lab.arm(
        "PUT",
        f"{SUB}/resourceGroups/{group}/providers/Microsoft.KeyVault/vaults/{name}",
        "2023-07-01",
        body,
    )
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["id"]


def _officer(lab, vault_id: str, description: str, principal: str) -> requests.Response:
    props = {"roleDefinitionId": OFFICER, "principalId": principal, "description": description}
    return lab.arm(
        "PUT",
        f"{vault_id}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}",
        "2022-04-01",
        {"properties": props},
    )


def test_sweep_removes_our_azure_orphans_purges_our_deleted_vaults_and_keeps_the_rest(
    lab, tmp_path, twin_admin
):
    ours, theirs = {"ManagedBy": MARKER}, {"ManagedBy": "other-team"}
    held_group = _group(lab, "rg-entraidc-held", ours)
    held_vault = _vault(lab, "rg-entraidc-held", "entraidc-held0001", ours)
    _group(lab, "rg-entraidc-lost", ours)  # the create whose state write was lost ...
    _vault(lab, "rg-entraidc-lost", "entraidc-lost0001", ours)  # ... with what was made inside it
    _vault(lab, "rg-entraidc-held", "entraidc-lost0002", ours)  # a vault alone, in a held group
    # Killed after the assignment's PUT: what the next apply's PUT would meet.
    lost_assignment = _officer(lab, held_vault, f"Managed by {MARKER}: lost", ids.AUTOMATION_SP_OBJECT_ID)
    again = _officer(lab, held_vault, f"Managed by {MARKER}: the next apply", ids.AUTOMATION_SP_OBJECT_ID)
    assert again.status_code == 409 and "RoleAssignmentExists" in again.text
    foreign = _officer(lab, held_vault, "an operator's own access", ids.ADMIN_OBJECT_ID)
    _group(lab, "rg-someone-else", theirs)
    _vault(lab, "rg-someone-else", "someone-else0001", theirs)

    state = tmp_path / "state.json"
    state.write_text(
        json.dumps(
            {
                "values": {
                    "root_module": {
                        "resources": [
                            {"address": "azurerm_resource_group.this", "values": {"id": held_group}},
                            {"address": "azurerm_key_vault.this", "values": {"id": held_vault}},
                        ]
                    }
                }
            }
        )
    )
    swept = lab.run(["--json", "sweep", "--account", "aws-commercial", "--state", str(state)])["azure"]
    assert swept["resourceGroups"] == ["rg-entraidc-lost"]
    assert swept["keyVaults"] == ["entraidc-lost0002"]
    assert swept["roleAssignments"] == [lost_assignment.json()["id"]]
    assert sorted(swept["purgedVaults"]) == ["entraidc-lost0001", "entraidc-lost0002"]

    inventory = twin_admin("GET", "/inventory")[1]["azure-id"]
    groups = sorted(g.rsplit("/", 1)[1] for g in inventory["resourceGroups"])
    assert groups == [
        "rg-entraidc",
        "rg-entraidc-held",
        "rg-someone-else",
    ]  # rg-entraidc: Lab's own, untagged
    assert "entraidc-lost0001" not in json.dumps(inventory["deletedKeyVaults"])
    assert "entraidc-lost0002" not in json.dumps(inventory["deletedKeyVaults"])
    vaults = json.dumps(inventory["keyVaults"])
    assert "entraidc-held0001" in vaults and "someone-else0001" in vaults and "entraidc-testlab01" in vaults
    assignments = [a["id"] if isinstance(a, dict) else a for a in inventory["roleAssignments"]]
    assert foreign.json()["id"] in json.dumps(assignments)
    assert lost_assignment.json()["id"] not in json.dumps(assignments)
    # A second sweep finds nothing more: the group, vault and assignment it removed are gone for good.
    again = lab.run(["--json", "sweep", "--account", "aws-commercial", "--state", str(state)])["azure"]
    assert again == {
        **again,
        "resourceGroups": [],
        "keyVaults": [],
        "roleAssignments": [],
        "purgedVaults": [],
    }


def test_sweep_reads_the_state_from_terraform_in_memory(lab, tmp_path):
    fake = tmp_path / "terraform"
    fake.write_text(
        '#!/bin/sh\n[ "$2" = show ] && [ "$3" = -json ] || exit 9\necho \'{"format_version":"1.0"}\'\n'
    )
    fake.chmod(0o755)
    _group(lab, "rg-entraidc-lost", {"ManagedBy": MARKER})
    swept = lab.run(
        ["--json", "sweep", "--account", "aws-govcloud", "--terraform-dir", str(tmp_path)],
        ENTRAIDC_TERRAFORM=str(fake),
    )
    assert swept["azure"]["resourceGroups"] == ["rg-entraidc-lost"]
    assert list(tmp_path.iterdir()) == [fake]  # the state was never written to a file

    broken = tmp_path / "broken"
    broken.write_text("#!/bin/sh\necho 'Error: Backend initialization required' >&2\nexit 1\n")
    broken.chmod(0o755)
    failed = lab.run(
        ["--json", "sweep", "--terraform-dir", str(tmp_path)], expect=2, ENTRAIDC_TERRAFORM=str(broken)
    )
    assert "--terraform-dir" in failed["error"] and "Backend initialization required" in failed["error"]
