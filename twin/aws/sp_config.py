"""IAM Identity Center's own SAML service-provider values for one directory.

Entity ID ``https://<region>.signin.aws.amazon.com/platform/saml/<id>`` (seen in real instances
and in Microsoft's gallery tutorial). The SP metadata lists several assertion consumer services:
"The SAML metadata file you download contains both IPv4-only and dual-stack assertion consumer
service (ACS) URLs" (IAM Identity Center user guide, "How to connect to an external identity
provider", https://docs.aws.amazon.com/singlesignon/latest/userguide/how-to-connect-idp.html),
plus one per replicated Region ("Multi-Region workforce access"). The twin's instances are
pre-2026 ones, so they also list the older ``…signin.aws.amazon.com/platform/saml/acs/<id>``
(their default). Which host is IPv4-only and which dual-stack, the GovCloud hosts, which IDs
fill <id>, and the access-portal URL forms are inferred (twin/README.md).
"""
from twin.aws.saml_metadata import sp_metadata
from twin.aws.state import Directory

GOVCLOUD = "aws-us-gov"


def _legacy_signin_host(region: str, partition: str) -> str:
    domain = "signin.amazonaws-us-gov.com" if partition == GOVCLOUD else "signin.aws.amazon.com"
    return f"{region}.{domain}"


def acs_hosts(region: str, partition: str) -> list[str]:
    """Hosts of the ACS URLs the metadata lists, the default first."""
    if partition == GOVCLOUD:
        return [_legacy_signin_host(region, partition), f"{region}.sso.signin.amazonaws-us-gov.com"]
    return [_legacy_signin_host(region, partition), f"{region}.signin.aws", f"{region}.sso.signin.aws"]


def scim_host(region: str, partition: str) -> str:
    """The SCIM endpoint host the service answers in ScimEndpoint. GovCloud: the dual-stack
    ``scim.<region>.api.aws`` is the documented one (GovCloud user guide, "IAM Identity Center"); its
    IPv4 SCIM host is undocumented. Commercial: ``scim.<region>.amazonaws.com`` (seen in real tenants)."""
    return f"scim.{region}.api.aws" if partition == GOVCLOUD else f"scim.{region}.amazonaws.com"


def acs_urls(directory: Directory) -> list[str]:
    account = directory.account
    return [f"https://{host}/platform/saml/acs/{directory.acs_id}"
            for host in acs_hosts(account.region, account.partition)]


def portal_url(directory: Directory) -> str:
    if directory.account.partition == GOVCLOUD:
        return f"https://start.us-gov-home.awsapps.com/directory/{directory.identity_store_id}"
    return f"https://{directory.identity_store_id}.awsapps.com/start"


def sp_configuration(directory: Directory) -> dict:
    account = directory.account
    host = _legacy_signin_host(account.region, account.partition)
    entity_id = f"https://{host}/platform/saml/{directory.identity_store_id}"
    urls = acs_urls(directory)
    return {"EntityId": entity_id, "AcsUrl": urls[0], "SignInUrl": portal_url(directory),
            "MetadataXml": sp_metadata(entity_id, urls)}
