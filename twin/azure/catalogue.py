"""Fixed catalogue objects: the automation principal, gallery templates, built-in roles.

The gallery template's id is the twin's own (a deterministic GUID): scripts look a template
up by displayName, as Microsoft's "Configure SAML-based SSO with Microsoft Graph" tutorial
does, never by a hard-coded id.
"""

from twin.azure import ids

AWS_TEMPLATE_NAME = "AWS IAM Identity Center (successor to AWS Single Sign-On)"
AWS_TEMPLATE_ID = ids.stable_id("applicationTemplate/aws-iam-identity-center")
# Entra's well-known id of the default "User" app role of gallery SAML apps.
USER_ROLE_ID = "18d14569-c3bd-439b-9a66-3a2aee01d14f"
MSIAM_ACCESS_ROLE_ID = ids.stable_id("appRole/msiam_access")
DEFAULT_ACCESS_ROLE_ID = "00000000-0000-0000-0000-000000000000"

TEMPLATES = [
    {
        "id": AWS_TEMPLATE_ID,
        "displayName": AWS_TEMPLATE_NAME,
        "homePageUrl": "https://aws.amazon.com/single-sign-on/",
        "supportedSingleSignOnModes": ["saml", "external"],
        "supportedProvisioningTypes": ["sync"],
        "logoUrl": "https://az495088.vo.msecnd.net/app-logo/awssinglesignon_215.png",
        "categories": ["developerServices", "security", "itInfrastructure"],
        "publisher": "Amazon",
        "description": "Federate once to AWS IAM Identity Center and manage access to AWS accounts and "
        "applications centrally.",
        "provisioningSyncTemplate": "AWSSingleSignOn",
    },
    {
        "id": ids.stable_id("applicationTemplate/aws-single-account"),
        "displayName": "AWS Single-Account Access",
        "homePageUrl": "https://aws.amazon.com/",
        "supportedSingleSignOnModes": ["saml", "external"],
        "supportedProvisioningTypes": [],
        "logoUrl": "https://az495088.vo.msecnd.net/app-logo/aws_215.png",
        "categories": ["developerServices"],
        "publisher": "Amazon",
        "description": "Sign in to one AWS account.",
    },
    {
        "id": ids.stable_id("applicationTemplate/non-gallery"),
        "displayName": "Custom",
        "homePageUrl": None,
        "supportedSingleSignOnModes": ["saml", "password", "external", "notSupported"],
        "supportedProvisioningTypes": ["sync"],
        "logoUrl": None,
        "categories": [],
        "publisher": "Microsoft",
        "description": None,
    },
]


def template_view(template: dict) -> dict:
    return {k: v for k, v in template.items() if k != "provisioningSyncTemplate"}


def gallery_app_roles() -> list[dict]:
    return [
        {
            "allowedMemberTypes": ["User"],
            "description": "User",
            "displayName": "User",
            "id": USER_ROLE_ID,
            "isEnabled": True,
            "origin": "Application",
            "value": None,
        },
        {
            "allowedMemberTypes": ["User"],
            "description": "msiam_access",
            "displayName": "msiam_access",
            "id": MSIAM_ACCESS_ROLE_ID,
            "isEnabled": True,
            "origin": "Application",
            "value": None,
        },
    ]


def automation_objects() -> tuple[dict, dict]:
    """The app registration and service principal the pipeline signs in as."""
    app = {
        "id": ids.AUTOMATION_APP_OBJECT_ID,
        "appId": ids.AUTOMATION_CLIENT_ID,
        "displayName": ids.AUTOMATION_APP_NAME,
        "identifierUris": [],
        "signInAudience": "AzureADMyOrg",
        "tags": [],
        "notes": None,
        "web": {"redirectUris": [], "homePageUrl": None, "logoutUrl": None},
        "appRoles": [],
        "keyCredentials": [],
        "passwordCredentials": [],
        "createdDateTime": "2026-01-01T00:00:00Z",
        "publisherDomain": ids.TENANT_DOMAIN,
    }
    sp = _first_party_sp(
        ids.AUTOMATION_SP_OBJECT_ID,
        ids.AUTOMATION_CLIENT_ID,
        app["displayName"],
        [],
        [ids.AUTOMATION_CLIENT_ID],
    )
    sp["appOwnerOrganizationId"] = ids.TENANT_ID
    return app, sp


SUBSCRIPTION_SCOPE = f"/subscriptions/{ids.SUBSCRIPTION_ID}"

# Built-in Azure RBAC roles the module can name (ids are the public built-in role ids).
ROLE_DEFINITIONS = {
    "Owner": ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", ["*"], []),
    "Contributor": ("b24988ac-6180-42a0-ab88-20f7382dd24c", ["*"], []),
    "Reader": ("acdd72a7-3385-48ef-bd42-f606fba81ae7", ["*/read"], []),
    "User Access Administrator": (
        "18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d",
        ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
        [],
    ),
    "Role Based Access Control Administrator": (
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
        [
            "Microsoft.Authorization/roleAssignments/write",
            "Microsoft.Authorization/roleAssignments/delete",
            "*/read",
            "Microsoft.Support/*",
        ],
        [],
    ),
    "Key Vault Administrator": (
        "00482a5a-887f-4fb3-b363-3b7fe8e74483",
        ["Microsoft.KeyVault/*/read"],
        ["Microsoft.KeyVault/vaults/*"],
    ),
    "Key Vault Secrets Officer": (
        "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        ["Microsoft.KeyVault/*/read"],
        ["Microsoft.KeyVault/vaults/secrets/*"],
    ),
    "Key Vault Secrets User": (
        "4633458b-17de-408a-b874-0445c86b69e6",
        [],
        [
            "Microsoft.KeyVault/vaults/secrets/getSecret/action",
            "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
        ],
    ),
}
SECRET_WRITER_ROLES = {"Key Vault Administrator", "Key Vault Secrets Officer"}
SECRET_READER_ROLES = SECRET_WRITER_ROLES | {"Key Vault Secrets User"}


def role_definition(name: str, scope: str = "") -> dict:
    """A built-in role; ARM names it under the subscription whatever scope it was read at."""
    role_id, actions, data_actions = ROLE_DEFINITIONS[name]
    return {
        "id": f"{SUBSCRIPTION_SCOPE}/providers/Microsoft.Authorization/roleDefinitions/{role_id}",
        "name": role_id,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": name,
            "type": "BuiltInRole",
            "description": name,
            "assignableScopes": ["/"],
            "permissions": [
                {"actions": actions, "notActions": [], "dataActions": data_actions, "notDataActions": []}
            ],
        },
    }


def role_name_of(role_definition_id: str) -> str | None:
    guid = role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()
    return next((n for n, (rid, _, _) in ROLE_DEFINITIONS.items() if rid == guid), None)


def owner_assignment(principal_id: str = ids.AUTOMATION_SP_OBJECT_ID) -> dict:
    """The automation principal (and the test admin) own the subscription (control plane only: no
    data actions)."""
    name = ids.stable_id(
        "roleAssignment/automation-owner"
        if principal_id == ids.AUTOMATION_SP_OBJECT_ID
        else f"roleAssignment/owner-{principal_id}"
    )
    return {
        "id": f"{SUBSCRIPTION_SCOPE}/providers/Microsoft.Authorization/roleAssignments/{name}",
        "name": name,
        "type": "Microsoft.Authorization/roleAssignments",
        "properties": {
            "roleDefinitionId": role_definition("Owner", SUBSCRIPTION_SCOPE)["id"],
            "principalId": principal_id,
            "principalType": "ServicePrincipal" if principal_id == ids.AUTOMATION_SP_OBJECT_ID else "User",
            "scope": SUBSCRIPTION_SCOPE,
            "description": "twin: subscription owner",
            "condition": None,
            "conditionVersion": None,
            "createdOn": "2026-01-01T00:00:00Z",
            "updatedOn": "2026-01-01T00:00:00Z",
        },
    }


# Microsoft Graph's service principal in every tenant (well-known appId); its app roles are the
# application permissions. The twin's role ids are its own (stable) GUIDs: scripts and tokens use
# the permission names (``value``), never the ids.
GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
GRAPH_SP_OBJECT_ID = ids.stable_id("servicePrincipal/microsoft-graph")
GRAPH_APP_PERMISSIONS = (
    "Application.Read.All",
    "Application.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All",
    "AuditLog.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "Organization.Read.All",
    "Policy.Read.All",
    "Policy.ReadWrite.ApplicationConfiguration",
    "Synchronization.Read.All",
    "Synchronization.ReadWrite.All",
    "User.DeleteRestore.All",
    "User.Read.All",
    "User.ReadWrite.All",
)
# What the automation principal is granted at start: exactly docs/permissions.md's set.
AUTOMATION_GRANTS = (
    "AppRoleAssignment.ReadWrite.All",
    "Application.ReadWrite.All",
    "Organization.Read.All",
    "Policy.ReadWrite.ApplicationConfiguration",
    "Synchronization.ReadWrite.All",
    "User.ReadWrite.All",
)


def graph_permission_id(name: str) -> str:
    return ids.stable_id(f"graphAppRole/{name}")


def graph_service_principal() -> dict:
    roles = [
        {
            "allowedMemberTypes": ["Application"],
            "description": name,
            "displayName": name,
            "id": graph_permission_id(name),
            "isEnabled": True,
            "origin": "Application",
            "value": name,
        }
        for name in GRAPH_APP_PERMISSIONS
    ]
    names = [GRAPH_APP_ID, "https://graph.microsoft.com"]
    sp = _first_party_sp(GRAPH_SP_OBJECT_ID, GRAPH_APP_ID, "Microsoft Graph", roles, names)
    sp["appOwnerOrganizationId"] = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"  # Microsoft's tenant
    return sp


def _first_party_sp(object_id: str, app_id: str, name: str, app_roles: list, names: list) -> dict:
    """A service principal that exists from the start (not created through the twin's Graph)."""
    return {
        "id": object_id,
        "appId": app_id,
        "appDisplayName": name,
        "displayName": name,
        "servicePrincipalType": "Application",
        "accountEnabled": True,
        "appRoleAssignmentRequired": False,
        "appRoles": app_roles,
        "tags": [],
        "notes": None,
        "preferredSingleSignOnMode": None,
        "samlSingleSignOnSettings": None,
        "loginUrl": None,
        "replyUrls": [],
        "servicePrincipalNames": names,
        "keyCredentials": [],
        "passwordCredentials": [],
        "preferredTokenSigningKeyThumbprint": None,
        "applicationTemplateId": None,
        "notificationEmailAddresses": [],
    }


def automation_grants() -> list[dict]:
    """The automation principal's application permissions, as app role assignments to Graph."""
    return [
        {
            "id": ids.stable_id(f"grant/{name}"),
            "appRoleId": graph_permission_id(name),
            "createdDateTime": "2026-01-01T00:00:00Z",
            "deletedDateTime": None,
            "principalDisplayName": ids.AUTOMATION_APP_NAME,
            "principalId": ids.AUTOMATION_SP_OBJECT_ID,
            "principalType": "ServicePrincipal",
            "resourceDisplayName": "Microsoft Graph",
            "resourceId": GRAPH_SP_OBJECT_ID,
        }
        for name in AUTOMATION_GRANTS
    ]
