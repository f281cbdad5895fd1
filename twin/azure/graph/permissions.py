"""The permissions Microsoft Graph documents for each operation the twin serves, enforced per route.

Each row: the Flask endpoint, then the permissions that grant it to a delegated token (``scp``) and
to an app-only token (``roles``) — every listed group must be satisfied by one of its members —,
the directory roles a signed-in user needs for delegated access (reads need none: member users read
the directory), and the Graph reference page whose "Permissions" table it follows
(https://learn.microsoft.com/graph/api/<page>). Anything not listed is refused: the twin is never
more permissive than Graph. twin/azure/README.md renders the same table.
"""

from dataclasses import dataclass

APP_ADMINS = ("Application Administrator", "Cloud Application Administrator", "Global Administrator")
USER_ADMINS = ("User Administrator", "Global Administrator")
# "Update user", passwordProfile, app-only: "at least the User Administrator Microsoft Entra role".
PASSWORD_RESET_APP_ROLES = (
    "User Administrator",
    "Privileged Authentication Administrator",
    "Global Administrator",
)
SYNC_ADMINS = (
    "Application Administrator",
    "Cloud Application Administrator",
    "Hybrid Identity Administrator",
    "Global Administrator",
)
REPORT_READERS = ("Reports Reader", "Security Reader", "Security Administrator", "Global Administrator")

ORG_READ = (
    "Organization.Read.All",
    "Directory.Read.All",
    "Organization.ReadWrite.All",
    "Directory.ReadWrite.All",
)
# Delegated: "User.Read" per organization-list; Directory.AccessAsUser.All (the signed-in user's own
# access, which lets a member read the organization) is *inferred* from the Azure CLI reading it.
ORG_READ_DELEGATED = ("User.Read", "Directory.AccessAsUser.All", *ORG_READ)
USER_READ = ("User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All")
USER_WRITE = ("User.ReadWrite.All", "Directory.ReadWrite.All")
APP_READ = (
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
)
APP_WRITE = ("Application.ReadWrite.All",)
ASSIGN_READ = ("AppRoleAssignment.ReadWrite.All", *APP_READ)
ASSIGN_WRITE = ("AppRoleAssignment.ReadWrite.All", "Application.ReadWrite.All", "Directory.ReadWrite.All")
SYNC_READ = ("Synchronization.Read.All", "Synchronization.ReadWrite.All")
SYNC_WRITE = ("Synchronization.ReadWrite.All",)
POLICY_READ = ("Policy.Read.All", "Policy.ReadWrite.ApplicationConfiguration")
POLICY_WRITE = ("Policy.ReadWrite.ApplicationConfiguration",)


@dataclass(frozen=True)
class Rule:
    delegated: tuple[tuple[str, ...], ...]
    application: tuple[tuple[str, ...], ...]
    roles: tuple[str, ...]
    page: str


def rule(groups, page: str, roles: tuple[str, ...] = (), delegated=None) -> Rule:
    groups = tuple(groups)
    return Rule(tuple(delegated) if delegated is not None else groups, groups, roles, page)


ANY_TOKEN = Rule((), (), (), "applicationtemplate-list")  # "no additional permissions"

RULES: dict[str, Rule] = {
    "listOrganization": rule([ORG_READ], "organization-list", delegated=[ORG_READ_DELEGATED]),
    "getOrganization": rule([ORG_READ], "organization-get", delegated=[ORG_READ_DELEGATED]),
    "listUsers": rule([USER_READ], "user-list"),
    "getUser": rule([USER_READ], "user-get"),
    "createUser": rule([USER_WRITE], "user-post-users", USER_ADMINS),
    "updateUser": rule([USER_WRITE], "user-update", USER_ADMINS),
    "deleteUser": rule([USER_WRITE], "user-delete", USER_ADMINS),
    "listUserAppRoleAssignments": rule([ASSIGN_READ], "user-list-approleassignments"),
    "listUserDirectoryRoles": rule([USER_READ], "user-list-memberof"),
    "listServicePrincipalDirectoryRoles": rule([APP_READ], "serviceprincipal-list-memberof"),
    "getDeletedItem": rule([(*USER_READ, *APP_READ)], "directory-deleteditems-get"),
    "listDeletedApplications": rule([APP_READ], "directory-deleteditems-list"),
    "listDeletedServicePrincipals": rule([APP_READ], "directory-deleteditems-list"),
    # Users app-only need User.DeleteRestore.All: checked in the route (directory.py).
    "deleteDeletedItem": rule(
        [(*APP_WRITE, *USER_WRITE, "User.DeleteRestore.All")],
        "directory-deleteditems-delete",
        USER_ADMINS + APP_ADMINS,
    ),
    "listApplicationTemplates": ANY_TOKEN,
    "getApplicationTemplate": Rule((), (), (), "applicationtemplate-get"),
    "instantiate": rule([APP_WRITE], "applicationtemplate-instantiate", APP_ADMINS),
    "listApplications": rule([APP_READ], "application-list"),
    "createApplication": rule([APP_WRITE], "application-post-applications", APP_ADMINS),
    "getApplication": rule([APP_READ], "application-get"),
    "updateApplication": rule([APP_WRITE], "application-update", APP_ADMINS),
    "deleteApplication": rule([APP_WRITE], "application-delete", APP_ADMINS),
    "listServicePrincipals": rule([APP_READ], "serviceprincipal-list"),
    "createServicePrincipal": rule([APP_WRITE], "serviceprincipal-post-serviceprincipals", APP_ADMINS),
    "getServicePrincipal": rule([APP_READ], "serviceprincipal-get"),
    "updateServicePrincipal": rule([APP_WRITE], "serviceprincipal-update", APP_ADMINS),
    "deleteServicePrincipal": rule([APP_WRITE], "serviceprincipal-delete", APP_ADMINS),
    "addTokenSigningCertificate": rule(
        [APP_WRITE], "serviceprincipal-addtokensigningcertificate", APP_ADMINS
    ),
    "listAppRoleAssignedTo": rule([ASSIGN_READ], "serviceprincipal-list-approleassignedto"),
    "getAppRoleAssignedTo": rule([ASSIGN_READ], "serviceprincipal-list-approleassignedto"),
    # The page lists AppRoleAssignment.ReadWrite.All *and* Application.Read.All (or Directory.Read.All);
    # Application.ReadWrite.All alone is not listed (the azuread provider's docs say it suffices: not
    # settled, so the twin follows the page).
    "grantAppRoleAssignedTo": rule(
        [("AppRoleAssignment.ReadWrite.All",), APP_READ],
        "serviceprincipal-post-approleassignedto",
        APP_ADMINS,
    ),
    "deleteAppRoleAssignedTo": rule([ASSIGN_WRITE], "serviceprincipal-delete-approleassignedto", APP_ADMINS),
    "listServicePrincipalClaimsMappingPolicies": rule(
        [POLICY_READ, APP_READ], "serviceprincipal-list-claimsmappingpolicies"
    ),
    "addServicePrincipalClaimsMappingPolicy": rule(
        [POLICY_WRITE, APP_WRITE], "serviceprincipal-post-claimsmappingpolicies", APP_ADMINS
    ),
    "removeServicePrincipalClaimsMappingPolicy": rule(
        [POLICY_WRITE, APP_WRITE], "serviceprincipal-delete-claimsmappingpolicies", APP_ADMINS
    ),
    "listClaimsMappingPolicies": rule([POLICY_READ], "claimsmappingpolicy-list"),
    "getClaimsMappingPolicy": rule([POLICY_READ], "claimsmappingpolicy-get"),
    "createClaimsMappingPolicy": rule(
        [POLICY_WRITE], "claimsmappingpolicy-post-claimsmappingpolicies", APP_ADMINS
    ),
    "updateClaimsMappingPolicy": rule([POLICY_WRITE], "claimsmappingpolicy-update", APP_ADMINS),
    "deleteClaimsMappingPolicy": rule([POLICY_WRITE], "claimsmappingpolicy-delete", APP_ADMINS),
    "listProvisioningObjectSummary": rule(
        [("AuditLog.Read.All",)], "provisioningobjectsummary-list", REPORT_READERS
    ),
}
# Synchronization: reads accept Synchronization.Read.All too; pages are synchronization-<suffix>.
for _endpoint, _suffix in {
    "listSynchronizationTemplates": "synchronization-list-templates",
    "listSynchronizationJobs": "synchronization-list-jobs",
    "getSynchronizationJob": "synchronizationjob-get",
    "getSynchronizationSchema": "synchronizationschema-get",
    "createSynchronizationJob": "synchronization-post-jobs",
    "deleteSynchronizationJob": "synchronizationjob-delete",
    "putSynchronizationSecrets": "synchronization-secrets",
    "validateSynchronizationCredentials": "synchronizationjob-validatecredentials",
    "startSynchronizationJob": "synchronizationjob-start",
    "pauseSynchronizationJob": "synchronizationjob-pause",
    "restartSynchronizationJob": "synchronizationjob-restart",
    "provisionOnDemand": "synchronizationjob-provisionondemand",
}.items():
    _access = SYNC_READ if _endpoint.startswith(("list", "get")) else SYNC_WRITE
    RULES[_endpoint] = rule([_access], f"synchronization-{_suffix}", SYNC_ADMINS)
for _name in ("Application", "ServicePrincipal"):
    for _verb in ("get", "update", "delete"):
        RULES[f"{_verb}{_name}ByAppId"] = RULES[f"{_verb}{_name}"]


def denied(endpoint: str, claims: dict, user_roles: set[str]) -> str | None:
    """Why the token may not call ``endpoint`` (None when it may)."""
    found = RULES.get(endpoint)
    if found is None:
        return f"no documented permission for {endpoint}"
    if claims.get("idtyp") == "app":
        held, groups = set(claims.get("roles") or []), found.application
    else:
        held, groups = set(str(claims.get("scp") or "").split()), found.delegated
    for group in groups:
        if not held & set(group):
            return f"the token carries none of {', '.join(group)}"
    if claims.get("idtyp") != "app" and found.roles and not user_roles & set(found.roles):
        return f"the signed-in user holds none of the directory roles {', '.join(found.roles)}"
    return None
