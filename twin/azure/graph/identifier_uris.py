"""Identifier-URI restrictions on applications (Entra docs "Restrictions on identifier URIs of
Microsoft Entra applications"; Graph "identifierUriRestriction" with excludeSaml, on by default
in tenants since 2025).

Allowed: api://<appId>, api://<tenantId>/..., and http(s) or api URIs on a verified domain of the
tenant or a subdomain of one. Anything else is refused unless the application is a SAML app,
i.e. its service principal's preferredSingleSignOnMode is already "saml" (excludeSaml). The
answer is Graph's: 400 HostNameNotOnVerifiedDomain, "Values of identifierUris property must use a
verified domain of the organization or its subdomain: '<uri>'" (as quoted in
hashicorp/terraform-provider-azuread issue 1392 and microsoftgraph/microsoft-graph-docs-contrib
pull request 9317).
"""

from urllib.parse import urlsplit

from twin.azure import ids


def _on_verified_domain(host: str) -> bool:
    host = host.lower()
    return any(host == d or host.endswith("." + d) for d in ids.VERIFIED_DOMAINS)


def allowed(uri: str, app_id: str) -> bool:
    parts = urlsplit(str(uri))
    host = (parts.hostname or "").lower()
    if parts.scheme == "api" and host in (app_id.lower(), ids.TENANT_ID):
        return True
    return parts.scheme in ("https", "http", "api") and _on_verified_domain(host)


def refused(store, application: dict, uris) -> str | None:
    """The first identifier URI the tenant's restriction refuses for this application, else None."""
    sp = store.find_sp_by_app_id(application["appId"])
    if sp is not None and sp.get("preferredSingleSignOnMode") == "saml":
        return None
    return next((u for u in uris or [] if not allowed(u, application["appId"])), None)


def message(uri: str) -> str:
    return (
        "Values of identifierUris property must use a verified domain of the organization or its "
        f"subdomain: '{uri}'"
    )
