"""SAML 2.0 metadata documents: the app's federation metadata from Entra and its signing
certificates (OASIS SAML 2.0 Metadata, section 2.4.1.1 KeyDescriptor)."""

import base64
import hashlib
import os
import xml.etree.ElementTree as ET  # noqa: S405 - parses metadata from the tenant's own login endpoint

import requests

from . import output
from .errors import EntraIdcError
from .retry import RetryPolicy, send

NS = {"md": "urn:oasis:names:tc:SAML:2.0:metadata", "ds": "http://www.w3.org/2000/09/xmldsig#"}


def authority_host() -> str:
    return (os.environ.get("AZURE_AUTHORITY_HOST") or "https://login.microsoftonline.com").rstrip("/")


def federation_metadata_url(tenant_id: str, app_id: str) -> str:
    # https://learn.microsoft.com/entra/identity-platform/federation-metadata
    return f"{authority_host()}/{tenant_id}/federationmetadata/2007-06/federationmetadata.xml?appid={app_id}"


def fetch_federation_metadata(tenant_id: str, app_id: str, policy: RetryPolicy | None = None) -> str:
    url = federation_metadata_url(tenant_id, app_id)
    response = send(
        lambda: requests.get(url, timeout=60), policy or RetryPolicy.from_env(), retry_not_found=True
    )
    if response.status_code != 200:
        raise EntraIdcError(
            f"GET {url.split('?')[0]} failed: HTTP {response.status_code}", account="azure-id"
        )
    return response.text


def fetch_metadata_signed_with(
    tenant_id: str, app_id: str, thumbprint: str, policy: RetryPolicy | None = None
) -> str:
    """The app's federation metadata once it carries the active signing certificate (``thumbprint``).

    Right after addTokenSigningCertificate and the preferredTokenSigningKeyThumbprint change, the
    metadata endpoint can still serve the previous certificate; uploading that to Identity Center would
    make it refuse every assertion signed with the new one. Waited for within the replication budget
    (ENTRAIDC_NOT_FOUND_BUDGET), else an error before anything is uploaded.
    """
    policy = policy or RetryPolicy.from_env()
    wanted = thumbprint.upper()
    started, attempt = policy.clock(), 0
    while True:
        metadata = fetch_federation_metadata(tenant_id, app_id, policy)
        served = signing_thumbprints(metadata)
        if wanted in served:
            return metadata
        delay = policy.backoff(attempt)
        waited = policy.clock() - started
        carried = ", ".join(sorted(served)) or "none"
        if waited + delay > policy.not_found_budget:
            raise EntraIdcError(
                f"the federation metadata of application {app_id} still carries signing certificate(s) "
                f"{carried}, not the active {wanted}, after {waited:.0f}s; nothing was uploaded to IAM "
                "Identity Center. Run the step again later (Entra publishes a new certificate with a delay)",
                account="azure-id",
            )
        output.log(
            "azure-id",
            f"federation metadata of application {app_id} still carries certificate(s) {carried}, not the "
            f"active {wanted}; retrying in {delay:.1f}s",
        )
        policy.sleep(delay)
        attempt += 1


def signing_thumbprints(metadata_xml: str) -> set[str]:
    """SHA-1 thumbprints (upper-case hex, as Entra shows them) of the IdP signing certificates."""
    root = ET.fromstring(metadata_xml)  # noqa: S314
    found = set()
    for descriptor in root.iter(f"{{{NS['md']}}}IDPSSODescriptor"):
        for key in descriptor.findall("md:KeyDescriptor", NS):
            if key.get("use", "signing") != "signing":
                continue
            for cert in key.iterfind(".//ds:X509Certificate", NS):
                der = base64.b64decode("".join((cert.text or "").split()))
                found.add(hashlib.sha1(der).hexdigest().upper())  # noqa: S324 - a thumbprint
    return found


def entity_id(metadata_xml: str) -> str:
    return ET.fromstring(metadata_xml).get("entityID", "")  # noqa: S314


def single_sign_on_url(metadata_xml: str) -> str:
    """The IdP's HTTP-POST (else first) SingleSignOnService location."""
    root = ET.fromstring(metadata_xml)  # noqa: S314
    services = list(root.iter(f"{{{NS['md']}}}SingleSignOnService"))
    post = [s for s in services if s.get("Binding", "").endswith("HTTP-POST")]
    chosen = (post or services)[:1]
    return chosen[0].get("Location", "") if chosen else ""


def assertion_consumer_services(metadata_xml: str) -> list[str]:
    """Every AssertionConsumerService location of an SP's metadata, the default one first, then by
    index (SAML 2.0 Metadata 2.2.3 IndexedEndpointType). IAM Identity Center lists an IPv4-only and a
    dual-stack ACS, plus one per replicated Region (user guide, "How to connect to an external
    identity provider")."""
    root = ET.fromstring(metadata_xml)  # noqa: S314
    services = list(root.iter(f"{{{NS['md']}}}AssertionConsumerService"))

    def order(item):
        position, service = item
        default = service.get("isDefault", "").lower() == "true"
        index = service.get("index", "")
        return (not default, int(index) if index.isdigit() else position, position)

    return [s.get("Location", "") for _, s in sorted(enumerate(services), key=order) if s.get("Location")]


def reply_urls(sp_config: dict) -> list[str]:
    """The Entra reply URLs for an Identity Center SP configuration: all its ACS URLs, default first."""
    found = assertion_consumer_services(sp_config["MetadataXml"]) if sp_config.get("MetadataXml") else []
    return found or [sp_config["AcsUrl"]]
