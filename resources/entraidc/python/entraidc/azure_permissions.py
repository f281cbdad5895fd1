"""What each phase needs from Microsoft Graph, checked against the token the run will use, before
anything changes (docs/permissions.md, "Azure", is the same list with the reasons).

App-only tokens (service principal, also `az login --service-principal`) carry the granted
application permissions in `roles`; delegated tokens (the Azure CLI logged in as a user) carry the
Azure CLI's fixed scopes in `scp` ("Access token claims reference"). Where the documentation leaves
open whether a delegated token is accepted (the synchronization API and Directory.AccessAsUser.All,
microsoftgraph/microsoft-graph-docs-contrib issue 1045), a harmless read is tried and reported.
"""

from .azure_auth import token_claims
from .errors import GraphError, InputError

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"

# (permission, the permissions Graph also accepts instead, why)
NEEDS = {
    "saml": [
        (
            "Organization.Read.All",
            ("Directory.Read.All", "Organization.ReadWrite.All", "Directory.ReadWrite.All"),
            "GET /organization: the tenant's default verified domain for the test users",
        ),
        (
            "User.ReadWrite.All",
            ("Directory.ReadWrite.All",),
            "create, update and delete NikkiWolf and RichRoe",
        ),
        (
            "Application.ReadWrite.All",
            (),
            "instantiate the gallery app, SAML settings, signing certificate, delete the app",
        ),
        (
            "AppRoleAssignment.ReadWrite.All",
            (),
            "assign the test users to the app (serviceprincipal-post-approleassignedto lists it, with "
            "Application.Read.All or Directory.Read.All, and nothing less)",
        ),
    ],
    "scim": [
        ("Synchronization.ReadWrite.All", (), "the provisioning job: create, credentials, start, on demand"),
        (
            "Policy.ReadWrite.ApplicationConfiguration",
            (),
            "the ABAC claims-mapping policy and its link to the app",
        ),
    ],
}


# Directory roles a signed-in user needs for the SAML phase (the Graph pages' delegated notes), as
# role template ids ("Microsoft Entra built-in roles"). Read from Graph (the user's memberOf
# directoryRoles), not from the token's `wids` claim: that claim is configured per application and
# clients "shouldn't take a dependency on a claim being present" ("Access token claims reference").
GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10"
USER_ROLES = [
    (
        "Application Administrator or Cloud Application Administrator",
        {"9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "158c047a-c907-4556-b7ef-446551a6b5f7", GLOBAL_ADMIN},
        "the gallery app, its SAML settings and assignments",
    ),
    ("User Administrator", {"fe930be7-5e62-47db-91af-98c3a49a38b1", GLOBAL_ADMIN}, "the test users"),
]


def needed(phase: str) -> list[tuple[str, tuple[str, ...], str]]:
    return NEEDS["saml"] + (NEEDS["scim"] if phase == "scim" else [])


# What a delegated token may hold instead (organization-list: User.Read for delegated access).
DELEGATED_ALTERNATIVES = {"Organization.Read.All": ("User.Read", "Directory.AccessAsUser.All")}


def missing(held: set[str], phase: str, delegated: bool = False) -> list[tuple[str, str]]:
    gaps = []
    for name, alternatives, why in needed(phase):
        accepted = {name, *alternatives, *(DELEGATED_ALTERNATIVES.get(name, ()) if delegated else ())}
        if not held & accepted:
            gaps.append((name, why))
    return gaps


def user_role_templates(graph, user_id: str) -> tuple[set[str], str]:
    """(role template ids of the directory roles the user is a member of, why they could not be read
    or ""): "List a user's direct memberships", cast to microsoft.graph.directoryRole."""
    try:
        roles = graph.list(
            f"/users/{user_id}/memberOf/graph.directoryRole", params={"$select": "roleTemplateId"}
        )
        return {str(r.get("roleTemplateId")) for r in roles}, ""
    except GraphError as err:
        return set(), f"reading them answered HTTP {err.status} {err.code}"


def _probe_synchronization(graph) -> str:
    """A harmless read the synchronization API answers only to a token it accepts."""
    try:
        sps = list(graph.get("/servicePrincipals", params={"$top": "1", "$select": "id"}).get("value", []))
        if not sps:
            return "no service principal to probe with"
        graph.get(f"/servicePrincipals/{sps[0]['id']}/synchronization/jobs")
        return "listing synchronization jobs succeeded"
    except GraphError as err:
        return f"listing synchronization jobs answered HTTP {err.status} {err.code}"


def check(ctx, phase: str, arm_gaps: list[tuple[str, str]] = ()) -> dict:
    """Raises InputError naming every missing permission and how to grant it, with ``arm_gaps`` (what
    the caller lacks on Azure Resource Manager, azure_rights.py) in the same message."""
    claims = token_claims(ctx.tokens.token(ctx.graph.scope))
    app_only = claims.get("idtyp") == "app" or ("roles" in claims and "scp" not in claims)
    held = set(claims.get("roles") or []) if app_only else set(str(claims.get("scp") or "").split())
    gaps = missing(held, phase, delegated=not app_only)
    if not app_only:
        held_roles, unread = user_role_templates(ctx.graph, str(claims.get("oid")))
        if unread:
            gaps.append(("the user's directory roles", unread))
        else:
            gaps += [(f"directory role {name}", why) for name, ids, why in USER_ROLES if not held_roles & ids]
    who = (
        f"service principal {claims.get('appid')}"
        if app_only
        else f"user {claims.get('upn') or claims.get('oid')}"
    )
    if not gaps and not arm_gaps:
        return {"identity": who, "appOnly": app_only, "permissions": sorted(held)}
    arm_part = "; ".join(f"{name} ({why})" for name, why in arm_gaps)
    if not gaps:
        raise InputError(
            f"the Azure login ({who}) lacks what the module's apply needs on Azure Resource Manager: "
            f"{arm_part}. Grant these role assignments (docs/permissions.md, Azure RBAC roles).",
            account="azure-id",
        )
    lines = [f"{name} ({why})" for name, why in gaps]
    if app_only:
        grant = (
            "Grant them as Microsoft Graph *application* permissions of that app registration, with admin "
            f"consent: Entra admin center > App registrations > {claims.get('appid')} > API permissions, or "
            f"`az ad app permission add --id {claims.get('appid')} --api {GRAPH_APP_ID} --api-permissions "
            "<id>=Role` then `az ad app permission admin-consent`."
        )
    else:
        probe = _probe_synchronization(ctx.graph) if phase == "scim" else ""
        grant = (
            "The Azure CLI's user token carries a fixed set of delegated scopes, without Synchronization.* "
            "or Policy.*: the SCIM phase needs the Azure CLI logged in as a service principal "
            "(`az login --service-principal`) or the step's azureCredentialsId, holding these "
            "application permissions." + (f" Probe: {probe}." if probe else "")
        )
    also = f" On Azure Resource Manager it also lacks: {arm_part}." if arm_part else ""
    raise InputError(
        f"the Azure login ({who}) lacks what the {phase.upper()} phase needs from Microsoft Graph: "
        + "; ".join(lines)
        + ". "
        + grant
        + also,
        account="azure-id",
    )
