"""The SAML IdP endpoints on login.microsoftonline.com: federation metadata and /saml2 sign-in.

SP-initiated sign-in (SAML 2.0 Bindings §3.4 HTTP-Redirect, §3.5 HTTP-POST): the AuthnRequest
arrives at /{tenant}/saml2; the twin answers with a sign-in form (login + passwd, what a
browser user fills in) and, once the user has signed in, with the auto-posting form that
carries the signed SAMLResponse to the service provider's Assertion Consumer Service URL.
Error codes are Entra's: AADSTS700016 (unknown identifier), AADSTS50011 (reply URL
mismatch), AADSTS50105 (user not assigned), AADSTS50126 (bad password).
"""

import base64
import html
import zlib

from flask import Response, request
from lxml import etree

from twin.azure import claims_policy, ids, saml_metadata, saml_response

SAMLP = saml_response.SAMLP


def _page(title: str, body: str, status: int = 200) -> Response:
    return Response(
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>",
        status=status,
        mimetype="text/html",
    )


def _error(code: int, message: str) -> Response:
    return _page(
        "Sign in to your account", f'<div id="error">AADSTS{code}: {html.escape(message)}</div>', 400
    )


def _decode_request(value: str) -> etree._Element:
    """HTTP-Redirect carries base64(DEFLATE(xml)), HTTP-POST base64(xml) (SAML Bindings §3.4.4.1, §3.5.4)."""
    raw = base64.b64decode(value)
    if not raw.lstrip().startswith(b"<"):
        raw = zlib.decompress(raw, -15)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(raw, parser)


def signing_material(store, sp: dict) -> dict | None:
    thumbprint = sp.get("preferredTokenSigningKeyThumbprint")
    return store.signing_keys.get(thumbprint) if thumbprint else None


def rollover_key(sp_id: str) -> str:
    """The fault-registry id of a service principal's last signing-certificate change."""
    return f"signing:{sp_id}"


def stale_signing_material(store, sp: dict) -> dict:
    """What the metadata endpoint still serves while a certificate change propagates (a login delay
    rule on federationMetadata): the certificate that signed before, or, for an app that had none, the
    tenant's own token-signing certificate (*inferred*: Entra signs with the tenant's keys until an app
    has its own certificate)."""
    previous = store.previous_signing.get(sp["id"])
    return (store.signing_keys.get(previous) if previous else None) or store.tenant_signing_material()


def find_saml_target(store, identifier: str):
    """(service principal, application) whose identifierUris holds identifier."""
    for app in store.applications.values():
        if identifier in (app.get("identifierUris") or []):
            return store.find_sp_by_app_id(app["appId"]), app
    return None, None


def _assigned(store, sp: dict, user: dict) -> bool:
    return any(
        a["resourceId"] == sp["id"] and a["principalId"] == user["id"]
        for a in store.app_role_assignments.values()
    )


def add_routes(app, store, context) -> None:
    @app.get("/<tenant>/federationmetadata/2007-06/federationmetadata.xml")
    def federationMetadata(tenant):
        if tenant.lower() not in (ids.TENANT_ID, ids.TENANT_DOMAIN):
            return _error(90002, f"Tenant '{tenant}' not found.")
        app_id = request.args.get("appid", "")
        with store.lock:
            sp = store.find_sp_by_app_id(app_id)
            material = signing_material(store, sp) if sp else None
            if material is not None and context.faults.hidden(
                "login", request.endpoint, [rollover_key(sp["id"])]
            ):
                material = stale_signing_material(store, sp)
        if sp is None:
            return _error(700016, f"Application with identifier '{app_id}' was not found in the directory.")
        if material is None:
            return _error(500014, f"The application '{app_id}' has no active SAML token-signing certificate.")
        body = saml_metadata.federation_metadata(
            material["der_b64"], material["key"], material["certificate"]
        )
        return Response(body, mimetype="application/samlmetadata+xml")

    @app.route("/<tenant>/saml2", methods=["GET", "POST"])
    def saml2(tenant):
        if tenant.lower() not in (ids.TENANT_ID, ids.TENANT_DOMAIN):
            return _error(90002, f"Tenant '{tenant}' not found.")
        values = request.values
        saml_request = values.get("SAMLRequest")
        if not saml_request:
            return _error(
                750054,
                "SAMLRequest or SAMLResponse must be present as query string parameters in "
                "HTTP request for SAML Redirect binding.",
            )
        try:
            authn = _decode_request(saml_request)
        except (ValueError, zlib.error, etree.XMLSyntaxError):
            return _error(7500529, "The SAML message is not valid: it could not be decoded or parsed.")
        if etree.QName(authn).localname != "AuthnRequest":
            return _error(7500529, "The SAML message is not an AuthnRequest.")
        issuer = authn.findtext(f"{{{saml_response.SAML}}}Issuer") or ""
        with store.lock:
            sp, application = find_saml_target(store, issuer)
            if sp is None:
                return _error(
                    700016,
                    f"Application with identifier '{issuer}' was not found in the directory "
                    f"'{ids.TENANT_DISPLAY_NAME}'.",
                )
            reply_urls = list((application.get("web") or {}).get("redirectUris") or [])
            acs = authn.get("AssertionConsumerServiceURL") or (reply_urls[0] if reply_urls else "")
            if acs not in reply_urls:
                return _error(
                    50011,
                    f"The redirect URI '{acs}' specified in the request does not match the "
                    f"redirect URIs configured for the application '{application['appId']}'.",
                )
            if "login" not in request.form:
                return _sign_in_form(tenant, saml_request, values.get("RelayState"))
            user = store.find_user(request.form.get("login", ""))
            if user is None or store.user_passwords.get(user["id"]) != request.form.get("passwd"):
                return _error(50126, "Error validating credentials due to invalid username or password.")
            if sp.get("appRoleAssignmentRequired", True) and not _assigned(store, sp, user):
                return _error(
                    50105,
                    f"Your administrator has configured the application {sp['displayName']} "
                    "to block users unless they are specifically granted ('assigned') access.",
                )
            material = signing_material(store, sp)
            if material is None or sp.get("preferredSingleSignOnMode") != "saml":
                return _error(500014, "The application is not configured for SAML single sign-on.")
            policies = [
                store.claims_mapping_policies[p]
                for p in store.sp_claims_policies.get(sp["id"], [])
                if p in store.claims_mapping_policies
            ]
            extra = claims_policy.saml_claims(policies, user)
            signed = saml_response.build_response(
                dict(user), issuer, acs, authn.get("ID"), extra, material["key"], material["certificate"]
            )
        return _auto_post(acs, base64.b64encode(signed).decode(), values.get("RelayState"))


def _sign_in_form(tenant: str, saml_request: str, relay_state: str | None) -> Response:
    relay = (
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}"/>' if relay_state else ""
    )
    return _page(
        "Sign in to your account",
        f'<form method="post" action="{ids.AUTHORITY}/{html.escape(tenant)}/saml2">'
        f'<input type="hidden" name="SAMLRequest" value="{html.escape(saml_request)}"/>{relay}'
        '<input type="email" name="login"/><input type="password" name="passwd"/>'
        '<input type="submit" value="Sign in"/></form>',
    )


def _auto_post(acs: str, saml_b64: str, relay_state: str | None) -> Response:
    relay = (
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}"/>' if relay_state else ""
    )
    return _page(
        "Working...",
        f'<form method="POST" name="hiddenform" action="{html.escape(acs)}">'
        f'<input type="hidden" name="SAMLResponse" value="{saml_b64}"/>{relay}'
        '<noscript><input type="submit" value="Continue"/></noscript></form>'
        "<script>document.forms[0].submit()</script>",
    )
