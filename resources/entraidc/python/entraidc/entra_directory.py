"""Read-only lookups in the azure-id tenant shared by several commands."""

from urllib.parse import quote

from .errors import EntraIdcError
from .graph import GraphClient

USER_SELECT = (
    "id,userPrincipalName,displayName,givenName,surname,mail,accountEnabled,onPremisesExtensionAttributes"
)


def default_domain(graph: GraphClient) -> str:
    """The tenant's default verified domain: organization.verifiedDomains[isDefault]
    (https://learn.microsoft.com/graph/api/resources/verifieddomain)."""
    for org in graph.list("/organization", params={"$select": "id,verifiedDomains"}):
        for domain in org.get("verifiedDomains") or []:
            if domain.get("isDefault"):
                return domain["name"]
    raise EntraIdcError("the tenant has no default verified domain (GET /organization)", account="azure-id")


def user_by_upn(graph: GraphClient, upn: str, retry_not_found: bool = False) -> dict | None:
    return graph.get(
        f"/users/{quote(upn)}",
        params={"$select": USER_SELECT},
        retry_not_found=retry_not_found,
        allow_not_found=True,
    )


def odata_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def applications_named(graph: GraphClient, display_name: str) -> list[dict]:
    return list(
        graph.list(
            "/applications",
            params={
                "$filter": f"displayName eq {odata_string(display_name)}",
                "$select": "id,appId,displayName,tags,notes",
            },
        )
    )


def service_principal_of(graph: GraphClient, app_id: str, retry_not_found: bool = False) -> dict | None:
    found = list(graph.list("/servicePrincipals", params={"$filter": f"appId eq {odata_string(app_id)}"}))
    if found or not retry_not_found:
        return found[0] if found else None
    # A just-created service principal may be missing from a filtered list for a while.
    return graph.get(
        f"/servicePrincipals(appId={odata_string(app_id)})", retry_not_found=True, allow_not_found=True
    )
