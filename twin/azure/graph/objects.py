"""New application and service-principal objects, as Graph creates them."""

import uuid

from twin.azure import catalogue, ids
from twin.azure.web import now_iso

APPLICATION_WRITABLE = {
    "displayName",
    "identifierUris",
    "web",
    "notes",
    "tags",
    "appRoles",
    "signInAudience",
    "info",
    "description",
    "groupMembershipClaims",
    "optionalClaims",
    "spa",
    "publicClient",
    "requiredResourceAccess",
    "api",
    "isFallbackPublicClient",
}
SERVICE_PRINCIPAL_WRITABLE = {
    "displayName",
    "notes",
    "tags",
    "preferredSingleSignOnMode",
    "samlSingleSignOnSettings",
    "loginUrl",
    "logoutUrl",
    "appRoleAssignmentRequired",
    "notificationEmailAddresses",
    "preferredTokenSigningKeyThumbprint",
    "accountEnabled",
    "description",
    "homepage",
    "replyUrls",
    "appId",
    "appRoles",
    "servicePrincipalNames",
}
SSO_MODES = {None, "saml", "password", "oidc", "notSupported"}


def new_application(display_name: str, template_id: str | None = None) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "appId": str(uuid.uuid4()),
        "displayName": display_name,
        "createdDateTime": now_iso(),
        "deletedDateTime": None,
        "description": None,
        "identifierUris": [],
        "signInAudience": "AzureADMyOrg",
        "tags": [],
        "notes": None,
        "publisherDomain": ids.TENANT_DOMAIN,
        "applicationTemplateId": template_id,
        "web": {
            "homePageUrl": None,
            "logoutUrl": None,
            "redirectUris": [],
            "redirectUriSettings": [],
            "implicitGrantSettings": {"enableAccessTokenIssuance": False, "enableIdTokenIssuance": False},
        },
        "appRoles": catalogue.gallery_app_roles() if template_id else [],
        "info": {},
        "keyCredentials": [],
        "passwordCredentials": [],
        "groupMembershipClaims": None,
        "optionalClaims": None,
        "api": {},
        "spa": {"redirectUris": []},
        "publicClient": {"redirectUris": []},
        "requiredResourceAccess": [],
        "isFallbackPublicClient": None,
    }


def new_service_principal(application: dict, template_id: str | None = None) -> dict:
    gallery = template_id is not None
    return {
        "id": str(uuid.uuid4()),
        "appId": application["appId"],
        "displayName": application["displayName"],
        "appDisplayName": application["displayName"],
        "accountEnabled": True,
        "appOwnerOrganizationId": ids.TENANT_ID,
        "applicationTemplateId": template_id,
        "appRoleAssignmentRequired": gallery,
        "appRoles": [dict(r) for r in application["appRoles"]],
        "createdDateTime": now_iso(),
        "deletedDateTime": None,
        "description": None,
        "homepage": None,
        "loginUrl": None,
        "logoutUrl": None,
        "notes": None,
        "notificationEmailAddresses": [],
        "preferredSingleSignOnMode": None,
        "preferredTokenSigningKeyThumbprint": None,
        "replyUrls": list(application["web"]["redirectUris"]),
        "samlSingleSignOnSettings": None,
        "servicePrincipalNames": [application["appId"], *application["identifierUris"]],
        "servicePrincipalType": "Application",
        "tags": ["WindowsAzureActiveDirectoryIntegratedApp"]
        + (["WindowsAzureActiveDirectoryGalleryApplicationNonPrimaryV1"] if gallery else []),
        "keyCredentials": [],
        "passwordCredentials": [],
    }


def sync_reply_urls(store, application: dict) -> None:
    """The service principal mirrors its application's reply URLs and identifiers."""
    sp = store.find_sp_by_app_id(application["appId"])
    if sp is not None:
        sp["replyUrls"] = list((application.get("web") or {}).get("redirectUris") or [])
        sp["servicePrincipalNames"] = [application["appId"], *(application.get("identifierUris") or [])]
