"""An app's federation metadata document (what "Federation Metadata XML" downloads).

References: OASIS SAML 2.0 Metadata (saml-metadata-2.0-os) §2.4.1 KeyDescriptor, §2.4.3
IDPSSODescriptor; Microsoft identity platform "Federation metadata"
(/{tenant}/federationmetadata/2007-06/federationmetadata.xml?appid=<appId>, entityID
https://sts.windows.net/<tenant>/, SSO at https://login.microsoftonline.com/<tenant>/saml2).
"""

import uuid

from lxml import etree

from twin.azure import ids
from twin.azure.saml_response import DS, sign

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
SSO_URL = f"{ids.AUTHORITY}/{ids.TENANT_ID}/saml2"


def federation_metadata(cert_der_b64: str, key_pem: bytes, cert_pem: bytes) -> bytes:
    root = etree.Element(
        f"{{{MD}}}EntityDescriptor", {"ID": f"_{uuid.uuid4()}", "entityID": ids.STS_ISSUER}, nsmap={None: MD}
    )
    etree.SubElement(root, f"{{{DS}}}Signature", {"Id": "placeholder"}, nsmap={"ds": DS})
    idp = etree.SubElement(
        root,
        f"{{{MD}}}IDPSSODescriptor",
        {"protocolSupportEnumeration": "urn:oasis:names:tc:SAML:2.0:protocol"},
    )
    key = etree.SubElement(idp, f"{{{MD}}}KeyDescriptor", {"use": "signing"})
    info = etree.SubElement(key, f"{{{DS}}}KeyInfo", nsmap={None: DS})
    etree.SubElement(
        etree.SubElement(info, f"{{{DS}}}X509Data"), f"{{{DS}}}X509Certificate"
    ).text = cert_der_b64
    etree.SubElement(
        idp,
        f"{{{MD}}}SingleLogoutService",
        {"Binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "Location": SSO_URL},
    )
    for name_id in (
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    ):
        etree.SubElement(idp, f"{{{MD}}}NameIDFormat").text = name_id
    for binding in ("HTTP-Redirect", "HTTP-POST"):
        etree.SubElement(
            idp,
            f"{{{MD}}}SingleSignOnService",
            {"Binding": f"urn:oasis:names:tc:SAML:2.0:bindings:{binding}", "Location": SSO_URL},
        )
    signed = sign(root, key_pem, cert_pem)
    return etree.tostring(signed, xml_declaration=True, encoding="utf-8")
