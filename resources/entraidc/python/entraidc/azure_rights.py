"""What the module's apply needs from Azure Resource Manager, read before anything changes: the
Microsoft.KeyVault resource provider and the caller's role assignments at scopes that exist before
the first apply (docs/permissions.md, "Azure RBAC roles").

- A fresh subscription has not registered Microsoft.KeyVault ("Azure resource providers and types",
  providers registered by default); the module registers it (azurerm resource_providers_to_register),
  which needs the register action of Contributor or Owner on the subscription ("Resolve errors for
  resource provider registration").
- The resource group and the vault do not exist before the first apply, and the azurerm provider
  purges a deleted vault through a subscription-scope path (…/locations/{l}/deletedVaults/{n}/purge):
  Contributor (or Owner) and the right to assign roles must be held on the subscription.
"""

from .arm import ArmClient
from .azure_auth import token_claims
from .errors import GraphError

PROVIDERS_API = "2022-09-01"
AUTHORIZATION_API = "2022-04-01"
# Built-in role ids ("Azure built-in roles").
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
USER_ACCESS_ADMINISTRATOR = "18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d"
RBAC_ADMINISTRATOR = "f58310d9-a9f6-439a-9e8d-f62e7b41a168"
WRITERS = {OWNER, CONTRIBUTOR}
ASSIGNERS = {OWNER, USER_ACCESS_ADMINISTRATOR, RBAC_ADMINISTRATOR}


def _role_id(assignment: dict) -> str:
    return str((assignment.get("properties") or {}).get("roleDefinitionId", "")).rsplit("/", 1)[-1].lower()


def subscription_roles(arm: ArmClient, sub: str, object_id: str) -> set[str]:
    """Role definition ids the principal holds on the subscription, itself or inherited from above
    (a management group, the root): ARM lists at a scope the assignments at, above and below it, and
    those below (a resource group, a vault) do not count."""
    listed = arm.list(
        f"{sub}/providers/Microsoft.Authorization/roleAssignments",
        AUTHORIZATION_API,
        **{"$filter": f"principalId eq '{object_id}'"},
    )
    below = sub.lower().rstrip("/") + "/"
    return {
        _role_id(a)
        for a in listed
        if not str((a.get("properties") or {}).get("scope", "")).lower().startswith(below)
    }


def check(ctx) -> tuple[list[tuple[str, str]], list[str]]:
    """(what the caller lacks, as (right, why) pairs; what was found, for the log)."""
    arm = ArmClient(ctx.tokens)
    sub = f"/subscriptions/{arm.subscription_id()}"
    object_id = token_claims(ctx.tokens.token(f"{arm.url}/.default"))["oid"]
    try:
        held = subscription_roles(arm, sub, object_id)
        provider = arm.get(f"{sub}/providers/Microsoft.KeyVault", PROVIDERS_API) or {}
    except GraphError as err:
        if err.status != 403:
            raise
        # Reading at the subscription's scope needs a role there: refused means none.
        held, provider = set(), {}
    state = provider.get("registrationState") or "unknown (not readable)"
    gaps = []
    if not held & WRITERS:
        gaps.append(
            (
                f"Contributor (or Owner) on the subscription {sub}",
                "the module creates the resource group and the Key Vault, registers Microsoft.KeyVault, and "
                "purges a deleted vault through a subscription-scope path; the resource group's scope does "
                "not exist before the first apply",
            )
        )
    if not held & ASSIGNERS:
        gaps.append(
            (
                f"Role Based Access Control Administrator (or User Access Administrator, or Owner) on {sub}",
                "the module grants the caller Key Vault Secrets Officer on the vault it creates, a scope "
                "that does not exist before the apply (a condition can limit the role to that assignment)",
            )
        )
    found = [f"Microsoft.KeyVault is {state} in {sub}"]
    if state.lower() != "registered":
        found.append("the module registers it at the start of the apply (resource_providers_to_register)")
    return gaps, found
