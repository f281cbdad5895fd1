"""Checks a SAML response as a service provider would: XML signature (exclusive C14N, enveloped
signature, RSA-SHA256/SHA1), signing certificate, issuer, audience and recipient.

Written from the W3C XML Signature 1.1 recommendation (sections 4.4.3 Reference, 4.3.3 SignedInfo)
with lxml's exclusive canonicalisation and cryptography's verification, so it shares no code
with the twin's signer.
"""

import base64
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
NS = {"ds": DS, "saml": SAML, "samlp": "urn:oasis:names:tc:SAML:2.0:protocol"}
DIGESTS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": hashlib.sha256,
    "http://www.w3.org/2000/09/xmldsig#sha1": hashlib.sha1,
}
SIGNATURES = {
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256": hashes.SHA256(),
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1": hashes.SHA1(),  # noqa: S303 - still sent by IdPs
}


def _c14n(element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)


def verify_signature(signature) -> tuple[etree._Element, x509.Certificate]:
    """Returns the signed element and the certificate from KeyInfo; raises AssertionError if invalid."""
    signed_info = signature.find("ds:SignedInfo", NS)
    reference = signed_info.find("ds:Reference", NS)
    target_id = reference.get("URI", "").lstrip("#")
    root = signature.getroottree().getroot()
    target = root if root.get("ID") == target_id else root.find(f".//*[@ID='{target_id}']")
    assert target is not None, f"reference #{target_id} not found"
    copy = etree.fromstring(etree.tostring(target))  # noqa: S320 - our own serialisation
    for sig in copy.findall("ds:Signature", NS):  # enveloped-signature transform
        copy.remove(sig)
    digest = DIGESTS[reference.find("ds:DigestMethod", NS).get("Algorithm")](_c14n(copy)).digest()
    assert base64.b64decode(reference.findtext("ds:DigestValue", namespaces=NS)) == digest, "digest mismatch"
    cert_b64 = "".join(signature.findtext(".//ds:X509Certificate", namespaces=NS).split())
    cert = x509.load_der_x509_certificate(base64.b64decode(cert_b64))
    algorithm = SIGNATURES[signed_info.find("ds:SignatureMethod", NS).get("Algorithm")]
    cert.public_key().verify(
        base64.b64decode(signature.findtext("ds:SignatureValue", namespaces=NS)),
        _c14n(signed_info),
        padding.PKCS1v15(),
        algorithm,
    )
    return target, cert


def check_response(
    response_b64: str, *, certificates: list[dict], issuer: str, audience: str, recipient: str
) -> dict:
    """Validates the response against what the service provider was configured with; ``certificates``
    as ListExternalIdPCertificates lists them (Subject, NotBefore, NotAfter: the IDs are opaque)."""
    root = etree.fromstring(base64.b64decode(response_b64))  # noqa: S320 - from the local twin
    signatures = root.findall(".//ds:Signature", NS)
    assert signatures, "the SAML response is not signed"
    given = {(c["Subject"], round(c["NotBefore"]), round(c["NotAfter"])) for c in certificates}
    for signature in signatures:
        _target, cert = verify_signature(signature)
        seen = (
            cert.subject.rfc4514_string(),
            round(cert.not_valid_before_utc.timestamp()),
            round(cert.not_valid_after_utc.timestamp()),
        )
        assert seen in given, "signed with a certificate the SP was not given"
    assertion = root.find(".//saml:Assertion", NS)
    assert assertion.findtext("saml:Issuer", namespaces=NS) == issuer
    assert assertion.findtext(".//saml:Audience", namespaces=NS) == audience
    confirmation = assertion.find(".//saml:SubjectConfirmationData", NS)
    assert confirmation.get("Recipient") == recipient
    attributes = {
        a.get("Name"): [v.text for v in a.findall("saml:AttributeValue", NS)]
        for a in assertion.findall(".//saml:Attribute", NS)
    }
    return {"name_id": assertion.findtext(".//saml:NameID", namespaces=NS), "attributes": attributes}

