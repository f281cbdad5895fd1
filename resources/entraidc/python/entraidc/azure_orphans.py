"""The azure-id half of `sweep`: the resource group, Key Vault and vault role assignment that carry
this library's marker but that the Terraform state does not hold — what an apply killed between
ARM's answer and Terraform's state write leaves behind. The azurerm provider refuses to create a
resource that already exists ("A resource with the ID … already exists - to be managed via
Terraform this resource needs to be imported into the State"), and ARM refuses a second identical
role assignment (409 RoleAssignmentExists), so each orphan would block the next apply.

NOT PURE TERRAFORM: part of the separate `sweep` command (orphans.py). Only objects tagged
ManagedBy=<marker> (role assignments: described "Managed by <marker>", they have no tags) are
touched. Deleted vaults of ours are purged so that their name is free again.
"""

from . import output
from .arm import ArmClient

TAG = "ManagedBy"
RESOURCES_API = "2021-04-01"
VAULTS_API = "2023-07-01"
AUTHORIZATION_API = "2022-04-01"


def _ours(item: dict, marker: str) -> bool:
    tags = item.get("tags") or (item.get("properties") or {}).get("tags") or {}
    return tags.get(TAG) == marker


def _orphan_role_assignments(arm: ArmClient, vault_id: str, marker: str, held: set[str]) -> list[str]:
    listed = arm.list(f"{vault_id}/providers/Microsoft.Authorization/roleAssignments", AUTHORIZATION_API)
    return [
        a["id"]
        for a in listed
        if str(a["properties"].get("scope", "")).lower() == vault_id.lower()
        and str(a["properties"].get("description") or "").startswith(f"Managed by {marker}")
        and a["id"].lower() not in held
    ]


def sweep_azure(ctx, marker: str, held: set[str]) -> dict:
    held = {s.lower() for s in held}
    arm = ArmClient(ctx.tokens)
    sub = f"/subscriptions/{arm.subscription_id()}"
    done = {
        "account": "azure-id",
        "resourceGroups": [],
        "keyVaults": [],
        "roleAssignments": [],
        "purgedVaults": [],
    }
    for group in arm.list(f"{sub}/resourcegroups", RESOURCES_API):
        if _ours(group, marker) and group["id"].lower() not in held:
            arm.delete(group["id"], RESOURCES_API)
            done["resourceGroups"].append(group["name"])
            output.log(
                "azure-id", f"deleted resource group {group['name']}: tagged {TAG}={marker}, not in the state"
            )
    for vault in arm.list(f"{sub}/providers/Microsoft.KeyVault/vaults", VAULTS_API):
        if not _ours(vault, marker):
            continue
        if vault["id"].lower() not in held:
            arm.delete(vault["id"], VAULTS_API)
            done["keyVaults"].append(vault["name"])
            output.log(
                "azure-id", f"deleted Key Vault {vault['name']}: tagged {TAG}={marker}, not in the state"
            )
            continue
        for assignment in _orphan_role_assignments(arm, vault["id"], marker, held):
            arm.delete(assignment, AUTHORIZATION_API)
            done["roleAssignments"].append(assignment)
            output.log(
                "azure-id", f"deleted role assignment {assignment}: made by {marker}, not in the state"
            )
    for deleted in arm.list(f"{sub}/providers/Microsoft.KeyVault/deletedVaults", VAULTS_API):
        props = deleted.get("properties") or {}
        if _ours(deleted, marker) and str(props.get("vaultId", "")).lower() not in held:
            location = str(props.get("location", "")).replace(" ", "").lower()
            arm.post(
                f"{sub}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{deleted['name']}/purge",
                VAULTS_API,
            )
            done["purgedVaults"].append(deleted["name"])
            output.log("azure-id", f"purged deleted Key Vault {deleted['name']}: tagged {TAG}={marker}")
    return done
