"""Key Vault RBAC propagation: a role assignment on a vault can take minutes before the data plane
honours it ("Provide access to Key Vault keys, certificates, and secrets with Azure role-based
access control": up to 10 minutes; Microsoft's verified module Azure/terraform-azurerm-avm-res-
keyvault-vault waits with time_sleep.wait_for_rbac_before_*_operations).

A 403 ForbiddenByRbac is therefore waited out only while the caller's newest data-plane role
assignment on this vault is younger than that window (read from ARM: the vault by name in the
caller's subscriptions, then its role assignments for the caller); any other 403 is final.
"""

import datetime
import os
from urllib.parse import urlsplit

import requests

from .arm import ArmClient
from .azure_auth import TokenSource, token_claims
from .errors import GraphError

PROPAGATION_SECONDS = 600.0
SECRET_ROLES = {  # built-in role ids (Azure "built-in roles" reference)
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
    "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
}


def _created(assignment: dict) -> datetime.datetime | None:
    raw = (assignment.get("properties") or {}).get("createdOn")
    try:
        return datetime.datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        return None


class RbacPropagation:
    def __init__(self, vault_uri: str, tokens: TokenSource, session: requests.Session):
        self.vault_name = (urlsplit(vault_uri).hostname or "").split(".")[0].lower()
        self.tokens = tokens
        self.arm = ArmClient(tokens, session)
        self.window = float(os.environ.get("ENTRAIDC_KEY_VAULT_RBAC_WAIT") or PROPAGATION_SECONDS)

    def _vault_id(self) -> str | None:
        for sub in self.arm.list("/subscriptions", "2022-12-01"):
            vaults = self.arm.list(
                f"/subscriptions/{sub['subscriptionId']}/resources",
                "2021-04-01",
                **{"$filter": "resourceType eq 'Microsoft.KeyVault/vaults'"},
            )
            for vault in vaults:
                if vault.get("name", "").lower() == self.vault_name:
                    return vault["id"]
        return None

    def remaining(self) -> tuple[float, str]:
        """Seconds left of the propagation window of the caller's newest secrets role assignment on
        the vault (0 when there is none or it is older), and what was found, for the message."""
        try:
            vault_id = self._vault_id()
            if vault_id is None:
                return 0.0, f"vault {self.vault_name} not found in the caller's subscriptions"
            oid = token_claims(self.tokens.token(f"{self.arm.url}/.default"))["oid"]
            listed = self.arm.list(
                f"{vault_id}/providers/Microsoft.Authorization/roleAssignments",
                "2022-04-01",
                **{"$filter": f"principalId eq '{oid}'"},
            )
        except (requests.RequestException, GraphError, KeyError, ValueError) as exc:
            return 0.0, f"could not read the vault's role assignments from ARM ({type(exc).__name__})"
        mine = [
            a
            for a in listed
            if str((a.get("properties") or {}).get("roleDefinitionId", "")).rsplit("/", 1)[-1].lower()
            in SECRET_ROLES
        ]
        if not mine:
            return 0.0, f"the caller (object id {oid}) has no Key Vault secrets role on {vault_id}"
        newest = max((c for c in map(_created, mine) if c is not None), default=None)
        if newest is None:
            return 0.0, "the role assignment has no creation time"
        age = (datetime.datetime.now(datetime.UTC) - newest).total_seconds()
        return max(0.0, self.window - age), f"role assignment created {age:.0f}s ago"
