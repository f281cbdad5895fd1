"""User sign-in for the Azure CLI (`az login -u … -p …`): the resource-owner password grant and the
refresh-token grant of the Microsoft identity platform, for the twin's test admin only.

References: "Microsoft identity platform and OAuth 2.0 Resource Owner Password Credentials"
(POST /{tenant}/oauth2/v2.0/token grant_type=password; answers access_token, refresh_token,
id_token, client_info), "refresh tokens", MSAL Python (user realm discovery
GET /common/userrealm/<upn>?api-version=1.0 before a password grant; client_info = base64url JSON
{uid, utid}), "Access token claims reference" (delegated tokens carry scp, upn, idtyp user).

The delegated scopes of the Azure CLI's Microsoft Graph token are *inferred* from public Azure CLI
issues that quote decoded tokens (e.g. Azure/azure-cli issues 22775 and 26471): a fixed set without
Synchronization.* or Policy.*. ARM and Key Vault tokens carry user_impersonation.
"""

import base64
import json
import secrets
import time

from twin.azure import ids
from twin.azure.tokens import TokenError

REFRESH_AUDIENCE = "urn:twin:refresh-token"

AZURE_CLI_GRAPH_SCOPES = (
    "Application.ReadWrite.All AppRoleAssignment.ReadWrite.All AuditLog.Read.All "
    "DelegatedPermissionGrant.ReadWrite.All Directory.AccessAsUser.All email Group.ReadWrite.All "
    "openid profile User.Read.All User.ReadWrite.All"
)


def user_realm(upn: str) -> dict:
    domain = upn.rpartition("@")[2].lower()
    managed = domain in ids.VERIFIED_DOMAINS
    return {
        "ver": "1.0",
        "account_type": "Managed" if managed else "Unknown",
        "domain_name": domain,
        "cloud_instance_name": "microsoftonline.com",
        "cloud_audience_urn": "urn:federation:MicrosoftOnline",
    }


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def issue(store, audience: str, user_id: str, upn: str) -> dict:
    scp = AZURE_CLI_GRAPH_SCOPES if audience == ids.GRAPH_URL else "user_impersonation"
    # Signed like the access tokens (key kept in the state dir), so that it survives a twin restart.
    refresh = store.issuer.sign(
        {
            "aud": REFRESH_AUDIENCE,
            "oid": user_id,
            "exp": int(time.time()) + 90 * 86400,
            "n": secrets.token_hex(8),
        }
    )
    return {
        "token_type": "Bearer",
        "scope": scp,
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "expires_on": str(int(time.time()) + 3599),
        "access_token": store.issuer.issue(
            audience,
            ids.AZURE_CLI_CLIENT_ID,
            user_id,
            scp=scp,
            upn=upn,
        ),
        "refresh_token": refresh,
        "id_token": store.issuer.id_token(ids.AZURE_CLI_CLIENT_ID, user_id, upn),
        "client_info": _b64(json.dumps({"uid": user_id, "utid": ids.TENANT_ID}).encode()),
    }


def signed_in_user(store, form) -> str | None:
    """The test admin's object id when the grant proves who it is, else None."""
    if form.get("grant_type") == "password":
        upn, password = str(form.get("username", "")).lower(), form.get("password", "")
        if upn == ids.ADMIN_UPN.lower() and secrets.compare_digest(password, store.admin_password):
            return ids.ADMIN_OBJECT_ID
        return None
    try:
        return store.issuer.verify(str(form.get("refresh_token", "")), {REFRESH_AUDIENCE})["oid"]
    except TokenError:
        return None
