"""login.microsoftonline.com: OIDC discovery, instance discovery, JWKS and the token endpoint.

References: Microsoft identity platform "OpenID Connect on the Microsoft identity platform"
(/{tenant}/v2.0/.well-known/openid-configuration), "client credentials flow"
(POST /{tenant}/oauth2/v2.0/token, error body with error/error_description/error_codes and
AADSTS codes), MSAL Python authority.py (instance discovery at /common/discovery/instance,
skipped for well-known hosts such as login.microsoftonline.com).
"""

import re
import time
import uuid

from flask import request

from twin.azure import ids, saml_idp
from twin.azure.login import user_grants
from twin.azure.web import json_response, make_app

RESOURCES = {
    ids.GRAPH_URL: ids.GRAPH_URL,
    "00000003-0000-0000-c000-000000000000": ids.GRAPH_URL,
    "https://management.azure.com": ids.ARM_URL,
    "https://management.core.windows.net": "https://management.core.windows.net/",
    ids.KEYVAULT_AUDIENCE: ids.KEYVAULT_AUDIENCE,
}


def _tenant_known(tenant: str) -> bool:
    # "organizations" and "common": the multi-tenant authorities `az login -u` starts from.
    return tenant.lower() in (ids.TENANT_ID, ids.TENANT_DOMAIN, "organizations", "common")


def _aad_error(status: int, error: str, code: int, description: str):
    now = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
    trace = str(uuid.uuid4())
    return json_response(
        {
            "error": error,
            "error_description": f"AADSTS{code}: {description} Trace ID: {trace} Timestamp: {now}",
            "error_codes": [code],
            "timestamp": now,
            "trace_id": trace,
            "correlation_id": str(uuid.uuid4()),
        },
        status,
    )


def _no_tenant(tenant: str):
    return _aad_error(
        400,
        "invalid_tenant",
        90002,
        f"Tenant '{tenant}' not found. Check to make sure you have "
        "the correct tenant ID and are signing into the correct cloud.",
    )


def openid_configuration(version: str) -> dict:
    base = f"{ids.AUTHORITY}/{ids.TENANT_ID}"
    v = "/v2.0" if version == "v2.0" else ""
    return {
        "token_endpoint": f"{base}/oauth2{v}/token",
        "token_endpoint_auth_methods_supported": [
            "client_secret_post",
            "private_key_jwt",
            "client_secret_basic",
        ],
        "jwks_uri": f"{ids.AUTHORITY}/{ids.TENANT_ID}/discovery{v}/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": f"{ids.AUTHORITY}/{ids.TENANT_ID}/v2.0" if v else ids.STS_ISSUER,
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": "https://graph.microsoft.com/oidc/userinfo",
        "authorization_endpoint": f"{base}/oauth2{v}/authorize",
        "device_authorization_endpoint": f"{base}/oauth2{v}/devicecode",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{base}/oauth2{v}/logout",
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "tid", "oid"],
        "tenant_region_scope": "NA",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
    }


def _audience(scope: str | None, resource: str | None) -> str | None:
    if scope:
        wanted = [s for s in scope.split() if s.endswith("/.default")]
        if len(wanted) != 1:
            return None
        base = wanted[0][: -len("/.default")].rstrip("/")
    elif resource:
        base = resource.rstrip("/")
    else:
        return None
    return RESOURCES.get(base)


def make_login_app(store, context):
    app = make_app("azure-login", "login", context)

    @app.get("/common/discovery/instance")
    def instanceDiscovery():
        authorization = request.args.get("authorization_endpoint", "")
        host = authorization.split("/")[2] if authorization.count("/") >= 2 else ids.LOGIN_HOST
        if host != ids.LOGIN_HOST:
            return json_response(
                {
                    "error": "invalid_instance",
                    "error_description": f"AADSTS50049: Unknown or invalid instance {host}.",
                },
                400,
            )
        return json_response(
            {
                "tenant_discovery_endpoint": f"{ids.AUTHORITY}/{{tenant}}/v2.0/.well-known/"
                "openid-configuration",
                "api-version": "1.1",
                "metadata": [
                    {
                        "preferred_network": ids.LOGIN_HOST,
                        "preferred_cache": "login.windows.net",
                        "aliases": [
                            ids.LOGIN_HOST,
                            "login.windows.net",
                            "login.microsoft.com",
                            "sts.windows.net",
                        ],
                    }
                ],
            }
        )

    @app.get("/<tenant>/v2.0/.well-known/openid-configuration")
    def openIdConfigurationV2(tenant):
        if not _tenant_known(tenant):
            return _no_tenant(tenant)
        return json_response(openid_configuration("v2.0"))

    @app.get("/<tenant>/.well-known/openid-configuration")
    def openIdConfigurationV1(tenant):
        if not _tenant_known(tenant):
            return _no_tenant(tenant)
        return json_response(openid_configuration("v1"))

    @app.get("/<tenant>/discovery/v2.0/keys")
    @app.get("/<tenant>/discovery/keys")
    def keys(tenant):
        return json_response(store.issuer.jwks())

    @app.post("/<tenant>/oauth2/v2.0/token")
    @app.post("/<tenant>/oauth2/token")
    def token(tenant):
        if not _tenant_known(tenant):
            return _no_tenant(tenant)
        form = request.form
        if form.get("grant_type") in ("password", "refresh_token"):
            return user_token(form)
        if form.get("grant_type") != "client_credentials":
            return _aad_error(
                400,
                "unsupported_grant_type",
                70003,
                "The app requested an unsupported grant type 'grant_type'.",
            )
        client_id = form.get("client_id", "")
        secret = form.get("client_secret", "")
        if request.authorization and request.authorization.type == "basic":
            client_id, secret = request.authorization.username or "", request.authorization.password or ""
        if client_id != ids.AUTOMATION_CLIENT_ID:
            return _aad_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory "
                f"'{ids.TENANT_DISPLAY_NAME}'.",
            )
        if secret != store.client_secret:
            return _aad_error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is "
                "the client secret value, not the client secret ID.",
            )
        audience = _audience(form.get("scope"), form.get("resource"))
        if audience is None:
            wanted = form.get("scope") or form.get("resource")
            return _aad_error(
                400,
                "invalid_resource",
                500011,
                f"The resource principal named {wanted} was not found in the tenant named "
                f"{ids.TENANT_DISPLAY_NAME}.",
            )
        # App-only tokens carry the principal's application permissions on that resource in `roles`
        # ("Access token claims reference"); only Microsoft Graph has app roles here.
        roles = store.graph_permissions_of(ids.AUTOMATION_SP_OBJECT_ID) if audience == ids.GRAPH_URL else None
        token = store.issuer.issue(audience, ids.AUTOMATION_CLIENT_ID, ids.AUTOMATION_SP_OBJECT_ID, roles)
        body = {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token}
        if request.path.endswith("/oauth2/token"):
            now = int(time.time())
            body.update(
                {
                    "expires_on": str(now + 3599),
                    "not_before": str(now),
                    "resource": audience,
                    "expires_in": "3599",
                    "ext_expires_in": "3599",
                }
            )
        return json_response(body)

    def user_token(form):
        if form.get("client_id") != ids.AZURE_CLI_CLIENT_ID:
            return _aad_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{form.get('client_id')}' was not found in the directory "
                f"'{ids.TENANT_DISPLAY_NAME}'.",
            )
        user_id = user_grants.signed_in_user(store, form)
        if user_id is None:
            if form.get("grant_type") == "password":
                return _aad_error(
                    400,
                    "invalid_grant",
                    50126,
                    "Error validating credentials due to invalid username or password.",
                )
            return _aad_error(
                400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired."
            )
        audience = _audience(form.get("scope"), form.get("resource"))
        if audience is None:
            return _aad_error(
                400,
                "invalid_scope",
                70011,
                "The provided value for the input parameter 'scope' is not valid.",
            )
        return json_response(user_grants.issue(store, audience, user_id, ids.ADMIN_UPN))

    @app.get("/common/userrealm/<upn>")
    def userRealm(upn):
        return json_response(user_grants.user_realm(upn))

    saml_idp.add_routes(app, store, context)
    return _single_slashes(app)


def _single_slashes(app):
    """The go-azure-sdk joins loginEndpoint (which ends in "/") and "/{tenant}/oauth2/v2.0/token"."""

    def wsgi(environ, start_response):
        environ["PATH_INFO"] = re.sub(r"/{2,}", "/", environ.get("PATH_INFO", "/"))
        return app(environ, start_response)

    return wsgi
