"""ARM authorization: the caller's Azure RBAC role at the request's scope or above must allow the
action (Azure RBAC "Understand Azure role definitions": Owner */*, Contributor */* except
Microsoft.Authorization/*/Write|Delete, Reader */read; "Troubleshoot Azure RBAC": 403
AuthorizationFailed "The client '…' with object id '…' does not have authorization to perform
action '…' over scope '…' or the scope is invalid. If access was recently granted, please refresh
your credentials.")."""

from twin.azure.arm.authorization import PROVIDER, roles_of
from twin.azure.web import arm_error

WRITERS = {"Owner", "Contributor"}
ASSIGNERS = {"Owner", "User Access Administrator", "Role Based Access Control Administrator"}
READ_ACTIONS = ("checkNameAvailability",)


def required_roles(method: str, path: str) -> tuple[str, set[str] | None]:
    """The action's name and the roles that allow it (None: any role at the scope)."""
    if method in ("GET", "HEAD") or path.rstrip("/").endswith(READ_ACTIONS):
        return "read", None
    if f"/{PROVIDER}/roleassignments/".lower() in path.lower():
        return "Microsoft.Authorization/roleAssignments/write", ASSIGNERS
    return "write", WRITERS


def denied(store, claims: dict, method: str, path: str):
    parts = path.strip("/").split("/")
    if len(parts) < 2 or parts[0].lower() != "subscriptions":
        return None  # /subscriptions, /tenants: each caller sees its own
    action, allowed = required_roles(method, path)
    held = roles_of(store, claims["oid"], path)
    if held and (allowed is None or held & allowed):
        return None
    return arm_error(
        403,
        "AuthorizationFailed",
        f"The client '{claims.get('upn') or claims.get('appid')}' with object id '{claims['oid']}' does not "
        f"have authorization to perform action '{action}' over scope '{path}' or the scope is invalid. If "
        "access was recently granted, please refresh your credentials.",
    )
