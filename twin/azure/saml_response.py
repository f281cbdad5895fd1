"""Signed SAML 2.0 responses as Entra ID issues them to a SAML service provider.

References: SAML 2.0 Core (OASIS saml-core-2.0-os) §2.3.3 Assertion, §2.4 Subject and
SubjectConfirmationData (Recipient, NotOnOrAfter, InResponseTo), §2.5 Conditions /
AudienceRestriction, §3.2.2 Response (Destination, InResponseTo, Status); SAML 2.0 Bindings
§3.5 HTTP-POST; Microsoft "Single sign-on SAML protocol" (Entra signs the assertion with
RSA-SHA256, issuer https://sts.windows.net/<tenant>/, NameID format emailAddress).
"""

import datetime
import uuid

from lxml import etree
from signxml import XMLSigner, methods

from twin.azure import ids

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
CLAIMS = "http://schemas.microsoft.com/identity/claims"
WS_CLAIMS = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims"


def _iso(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _el(parent, ns: str, tag: str, text: str | None = None, **attrs) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def user_claims(user: dict, extra: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Entra's default claims for a gallery SAML app, then the claims-mapping policy's."""
    claims = [
        (f"{CLAIMS}/tenantid", ids.TENANT_ID),
        (f"{CLAIMS}/objectidentifier", user["id"]),
        (f"{CLAIMS}/displayname", user.get("displayName") or ""),
        (f"{CLAIMS}/identityprovider", ids.STS_ISSUER),
        (
            f"{CLAIMS}/authnmethodsreferences",
            "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",
        ),
        (f"{WS_CLAIMS}/givenname", user.get("givenName") or ""),
        (f"{WS_CLAIMS}/surname", user.get("surname") or ""),
        (f"{WS_CLAIMS}/emailaddress", user.get("mail") or ""),
        (f"{WS_CLAIMS}/name", user["userPrincipalName"]),
    ]
    return [(name, value) for name, value in claims + extra if value]


def build_assertion(
    user: dict,
    audience: str,
    recipient: str,
    in_response_to: str | None,
    claims: list[tuple[str, str]],
    now: datetime.datetime,
) -> etree._Element:
    assertion_id = f"_{uuid.uuid4()}"
    assertion = etree.Element(
        f"{{{SAML}}}Assertion",
        {"ID": assertion_id, "IssueInstant": _iso(now), "Version": "2.0"},
        nsmap={None: SAML},
    )
    _el(assertion, SAML, "Issuer", ids.STS_ISSUER)
    etree.SubElement(assertion, f"{{{DS}}}Signature", {"Id": "placeholder"}, nsmap={"ds": DS})
    subject = _el(assertion, SAML, "Subject")
    _el(
        subject,
        SAML,
        "NameID",
        user["userPrincipalName"],
        Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    )
    confirmation = _el(subject, SAML, "SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer")
    _el(
        confirmation,
        SAML,
        "SubjectConfirmationData",
        InResponseTo=in_response_to,
        NotOnOrAfter=_iso(now + datetime.timedelta(minutes=5)),
        Recipient=recipient,
    )
    conditions = _el(
        assertion,
        SAML,
        "Conditions",
        NotBefore=_iso(now - datetime.timedelta(minutes=5)),
        NotOnOrAfter=_iso(now + datetime.timedelta(hours=1)),
    )
    _el(_el(conditions, SAML, "AudienceRestriction"), SAML, "Audience", audience)
    statement = _el(assertion, SAML, "AttributeStatement")
    for name, value in claims:
        _el(_el(statement, SAML, "Attribute", Name=name), SAML, "AttributeValue", value)
    authn = _el(assertion, SAML, "AuthnStatement", AuthnInstant=_iso(now), SessionIndex=assertion_id)
    _el(
        _el(authn, SAML, "AuthnContext"),
        SAML,
        "AuthnContextClassRef",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:Password",
    )
    return assertion


def sign(element: etree._Element, key_pem: bytes, cert_pem: bytes) -> etree._Element:
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=EXC_C14N,
    )
    return signer.sign(element, key=key_pem, cert=cert_pem, reference_uri=element.get("ID"))


def build_response(
    user: dict,
    audience: str,
    recipient: str,
    in_response_to: str | None,
    extra_claims: list[tuple[str, str]],
    key_pem: bytes,
    cert_pem: bytes,
) -> bytes:
    now = datetime.datetime.now(datetime.UTC)
    assertion = sign(
        build_assertion(user, audience, recipient, in_response_to, user_claims(user, extra_claims), now),
        key_pem,
        cert_pem,
    )
    response = etree.Element(
        f"{{{SAMLP}}}Response",
        {
            k: v
            for k, v in {
                "ID": f"_{uuid.uuid4()}",
                "Version": "2.0",
                "IssueInstant": _iso(now),
                "Destination": recipient,
                "InResponseTo": in_response_to,
            }.items()
            if v
        },
        nsmap={"samlp": SAMLP},
    )
    issuer = etree.SubElement(response, f"{{{SAML}}}Issuer", nsmap={None: SAML})
    issuer.text = ids.STS_ISSUER
    status = etree.SubElement(response, f"{{{SAMLP}}}Status")
    etree.SubElement(
        status, f"{{{SAMLP}}}StatusCode", {"Value": "urn:oasis:names:tc:SAML:2.0:status:Success"}
    )
    response.append(assertion)
    return etree.tostring(response, xml_declaration=False, encoding="utf-8")
