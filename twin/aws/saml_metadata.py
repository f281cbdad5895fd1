"""SAML 2.0 metadata: reading the IdP's (entity ID, sign-in URL, signing certificates) and
writing IAM Identity Center's service-provider metadata (OASIS SAML 2.0 Metadata, sections
2.3, 2.4.3, 2.4.4)."""
import base64
import uuid

from cryptography import x509
from lxml import etree

from twin.aws.errors import AwsError

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
NS = {"md": MD, "ds": DS}


def parse_idp_metadata(xml: str) -> tuple[str, str, list[str]]:
    """(entityID, SingleSignOnService location, base64 DER signing certificates)."""
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.fromstring(xml.encode(), parser=parser)  # noqa: S320 - entities and network disabled
    except etree.XMLSyntaxError as e:
        raise AwsError("ValidationException", f"IdP metadata is not well-formed XML: {e}") from None
    descriptor = root if root.tag == f"{{{MD}}}EntityDescriptor" else root.find(".//md:EntityDescriptor", NS)
    if descriptor is None or descriptor.find("md:IDPSSODescriptor", NS) is None:
        raise AwsError("ValidationException", "IdP metadata has no EntityDescriptor with an IDPSSODescriptor")
    idp = descriptor.find("md:IDPSSODescriptor", NS)
    sso = idp.findall("md:SingleSignOnService", NS)
    if not sso:
        raise AwsError("ValidationException", "IdP metadata has no SingleSignOnService")
    location = next((s.get("Location") for s in sso if s.get("Binding", "").endswith("HTTP-POST")),
                    sso[0].get("Location"))
    certificates = [c.text.strip().replace("\n", "") for c in idp.findall(
        "md:KeyDescriptor//ds:X509Certificate", NS) if c.text and _is_signing(c)]
    if not certificates:
        raise AwsError("ValidationException", "IdP metadata has no signing X509Certificate")
    return descriptor.get("entityID", ""), location, certificates


def _is_signing(cert_element) -> bool:
    key_descriptor = next(a for a in cert_element.iterancestors() if a.tag == f"{{{MD}}}KeyDescriptor")
    return key_descriptor.get("use") in (None, "signing")


def certificate_summary(cert_b64: str) -> dict:
    """What the twin keeps and lists of an IdP certificate. The ID is opaque (inferred: AWS has
    separate Import/List/DeleteExternalIdPCertificate actions, so certificate IDs are the service's
    own, not thumbprints); clients must not read meaning into it."""
    pem_body = "".join(line for line in cert_b64.splitlines() if "-----" not in line).strip()
    try:
        der = base64.b64decode(pem_body, validate=False)
        cert = x509.load_der_x509_certificate(der)
    except ValueError as e:
        raise AwsError("ValidationException", f"IdP certificate is not valid X.509: {e}") from None
    return {"CertificateId": f"cert-{uuid.uuid4().hex[:24]}",
            "Subject": cert.subject.rfc4514_string(), "NotBefore": cert.not_valid_before_utc.timestamp(),
            "NotAfter": cert.not_valid_after_utc.timestamp(), "Body": pem_body}


def sp_metadata(entity_id: str, acs_urls: list[str]) -> str:
    """SPSSODescriptor with one HTTP-POST AssertionConsumerService per URL, the first the default."""
    services = "".join(
        '<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" '
        f'Location="{url}" index="{i}"' + (' isDefault="true"' if i == 0 else "") + "/>"
        for i, url in enumerate(acs_urls))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<md:EntityDescriptor xmlns:md="{MD}" '
            f'entityID="{entity_id}"><md:SPSSODescriptor AuthnRequestsSigned="false" '
            'WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
            "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>"
            f"{services}</md:SPSSODescriptor></md:EntityDescriptor>")
