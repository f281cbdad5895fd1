"""A test user assigned to an enterprise application (Steps 1.4 and 4.3): `entra-assign create|destroy`.

NOT PURE TERRAFORM: terraform_data + local-exec running this module — app role assignments of
gallery applications are Microsoft Graph objects the azurerm provider cannot manage.

https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto: appRoleId is the
role of the app that allows users, or the default access role 00000000-0000-0000-0000-000000000000
when the app defines none.
"""

from . import output
from .azure_context import AzureContext
from .errors import EntraIdcError
from .inputs import guid, owner_marker, require
from .marker import app_is_marked, user_is_marked

DEFAULT_ACCESS_ROLE = "00000000-0000-0000-0000-000000000000"


def user_role_id(sp: dict) -> str:
    roles = [
        role
        for role in sp.get("appRoles") or []
        if role.get("isEnabled", True) and "User" in (role.get("allowedMemberTypes") or [])
    ]
    # The gallery app names its sign-in role "User"; prefer it when there are several.
    preferred = [role for role in roles if role.get("displayName") == "User" or role.get("value") == "User"]
    chosen = preferred or roles
    return chosen[0]["id"] if chosen else DEFAULT_ACCESS_ROLE


def assignments_of(graph, sp_id: str, user_id: str) -> list[dict]:
    return [
        a
        for a in graph.list(f"/servicePrincipals/{sp_id}/appRoleAssignedTo")
        if a.get("principalId") == user_id
    ]


def _inputs():
    return {
        "sp_id": guid(
            "ENTRAIDC_SERVICE_PRINCIPAL_ID", "the service principal ID reported by entra-app create"
        ),
        "user_id": guid("ENTRAIDC_USER_OBJECT_ID", "the user object ID reported by entra-users create"),
        "upn": require(
            "ENTRAIDC_USER_PRINCIPAL_NAME", "the user principal name reported by entra-users create"
        ),
        "marker": owner_marker(),
    }


def assign(graph, sp: dict, user_id: str, upn: str) -> bool:
    """Idempotent assignment; True when it was created now."""
    if assignments_of(graph, sp["id"], user_id):
        output.log("azure-id", f"{upn} is already assigned to {sp.get('displayName')!r}")
        return False
    graph.post(
        f"/servicePrincipals/{sp['id']}/appRoleAssignedTo",
        {"principalId": user_id, "resourceId": sp["id"], "appRoleId": user_role_id(sp)},
        retry_not_found=True,
    )
    output.log("azure-id", f"assigned {upn} to {sp.get('displayName')!r}")
    return True


def create(ctx: AzureContext) -> dict:
    args = _inputs()
    graph, marker = ctx.graph, args["marker"]
    sp = graph.get(f"/servicePrincipals/{args['sp_id']}", retry_not_found=True)
    user = graph.get(
        f"/users/{args['user_id']}",
        retry_not_found=True,
        params={"$select": "id,userPrincipalName,onPremisesExtensionAttributes"},
    )
    if not app_is_marked(sp, marker) or not user_is_marked(user, marker):
        raise EntraIdcError(
            f"refusing to assign {args['upn']} to {sp.get('displayName')!r}: one of them was "
            f"not created by {marker}",
            account="azure-id",
        )
    changed = assign(graph, sp, args["user_id"], args["upn"])
    return {"user": args["upn"], "servicePrincipalId": sp["id"], "changed": changed}


def destroy(ctx: AzureContext) -> dict:
    args = _inputs()
    graph, marker = ctx.graph, args["marker"]
    sp = graph.get(f"/servicePrincipals/{args['sp_id']}", allow_not_found=True)
    removed = 0
    if sp is None:
        output.log("azure-id", f"service principal {args['sp_id']} is gone; nothing to unassign")
    elif not app_is_marked(sp, marker):
        output.log("azure-id", f"{sp.get('displayName')!r} was not created by {marker}; left alone")
    else:
        for assignment in assignments_of(graph, sp["id"], args["user_id"]):
            graph.delete(f"/servicePrincipals/{sp['id']}/appRoleAssignedTo/{assignment['id']}")
            removed += 1
        output.log(
            "azure-id", f"removed {removed} assignment(s) of {args['upn']} to {sp.get('displayName')!r}"
        )
    return {"user": args["upn"], "removed": removed}
