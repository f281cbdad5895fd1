"""IAM Identity Center's SAML ACS on the sign-in host: a signed assertion from the enabled
external IdP signs a user in (302 to the access portal); anything else is refused.

References: SAML 2.0 Core 2.3.3/2.4/2.5 (Issuer, Subject, Conditions, AudienceRestriction),
Profiles 4.1.4.3 (Recipient, NotOnOrAfter), Bindings 3.5 (HTTP-POST ``SAMLResponse``);
XML-DSig enveloped signature checked with signxml.
"""

import base64
import datetime
import uuid

import boto3
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner, methods
from twin_client import directory_call, instance

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
IDP = "https://sts.windows.net/00000000-0000-0000-0000-0000000000aa/"


def key_and_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Microsoft Azure Federated SSO Certificate")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def saml_response(key_pem, cert_pem, *, name_id, audience, recipient, issuer=IDP) -> str:
    now = datetime.datetime.now(datetime.UTC)
    stamp = lambda d: (now + d).strftime("%Y-%m-%dT%H:%M:%SZ")  # noqa: E731
    response = etree.Element(
        f"{{{SAMLP}}}Response",
        nsmap={"samlp": SAMLP},
        ID=f"_{uuid.uuid4()}",
        Version="2.0",
        IssueInstant=stamp(datetime.timedelta()),
        Destination=recipient,
    )
    assertion = etree.Element(
        f"{{{SAML}}}Assertion",
        nsmap={None: SAML},
        ID=f"_{uuid.uuid4()}",
        Version="2.0",
        IssueInstant=stamp(datetime.timedelta()),
    )
    etree.SubElement(assertion, f"{{{SAML}}}Issuer").text = issuer
    subject = etree.SubElement(assertion, f"{{{SAML}}}Subject")
    etree.SubElement(
        subject, f"{{{SAML}}}NameID", Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
    ).text = name_id
    confirmation = etree.SubElement(
        subject, f"{{{SAML}}}SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"
    )
    etree.SubElement(
        confirmation,
        f"{{{SAML}}}SubjectConfirmationData",
        Recipient=recipient,
        NotOnOrAfter=stamp(datetime.timedelta(minutes=5)),
    )
    conditions = etree.SubElement(
        assertion,
        f"{{{SAML}}}Conditions",
        NotBefore=stamp(-datetime.timedelta(minutes=1)),
        NotOnOrAfter=stamp(datetime.timedelta(hours=1)),
    )
    etree.SubElement(
        etree.SubElement(conditions, f"{{{SAML}}}AudienceRestriction"), f"{{{SAML}}}Audience"
    ).text = audience
    signed = XMLSigner(
        method=methods.enveloped,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    ).sign(assertion, key=key_pem, cert=cert_pem, reference_uri=assertion.get("ID"))
    response.append(signed)
    return base64.b64encode(etree.tostring(response)).decode()


@pytest.fixture
def federated(twin_environ, twin_reset):
    """aws-govcloud federated to an IdP whose key the test holds, with user nikkiwolf@example.com."""
    key_pem, cert_pem = key_and_cert()
    store = instance("aws-govcloud")["IdentityStoreId"]
    body = base64.b64encode(
        x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)
    ).decode()
    created = directory_call(
        "aws-govcloud",
        "CreateExternalIdPConfigurationForDirectory",
        {
            "IdentityStoreId": store,
            "IdPEntityId": IDP,
            "IdPLoginUrl": "https://login.microsoftonline.com/x/saml2",
            "IdPCertificate": body,
        },
    ).json()
    directory_call(
        "aws-govcloud",
        "EnableExternalIdPConfigurationForDirectory",
        {"IdentityStoreId": store, "IdPId": created["IdPId"]},
    )
    boto3.Session(profile_name="aws-govcloud").client("identitystore").create_user(
        IdentityStoreId=store,
        UserName="NikkiWolf@example.com",
        DisplayName="Nikki Wolf",
        Name={"GivenName": "Nikki", "FamilyName": "Wolf"},
    )
    return key_pem, cert_pem, created["SPConfiguration"]


def post(sp, saml_b64):
    return requests.post(sp["AcsUrl"], data={"SAMLResponse": saml_b64}, allow_redirects=False, timeout=30)


def test_signed_assertion_signs_the_user_in_and_goes_to_the_portal(federated):
    key_pem, cert_pem, sp = federated
    answer = post(
        sp,
        saml_response(
            key_pem,
            cert_pem,
            name_id="nikkiwolf@example.com",
            audience=sp["EntityId"],
            recipient=sp["AcsUrl"],
        ),
    )
    assert answer.status_code == 302, answer.text
    assert answer.headers["Location"] == sp["SignInUrl"]
    assert sp["AcsUrl"].startswith("https://us-gov-west-1.signin.amazonaws-us-gov.com/platform/saml/acs/")


@pytest.mark.parametrize("change", ["other key", "audience", "recipient", "issuer", "unknown user"])
def test_everything_else_is_refused(federated, change):
    key_pem, cert_pem, sp = federated
    args = {"name_id": "nikkiwolf@example.com", "audience": sp["EntityId"], "recipient": sp["AcsUrl"]}
    if change == "other key":
        key_pem, cert_pem = key_and_cert()
    elif change == "audience":
        args["audience"] = "https://signin.aws.amazon.com/saml"
    elif change == "recipient":
        args["recipient"] = sp["AcsUrl"] + "x"
    elif change == "issuer":
        args["issuer"] = "https://sts.windows.net/another-tenant/"
    else:
        args["name_id"] = "richroe@example.com"
    answer = post(sp, saml_response(key_pem, cert_pem, **args))
    assert answer.status_code == 403 and answer.text.startswith("Sign-in refused")


def _acs_locations(metadata_xml: str) -> list[str]:
    from lxml import etree

    root = etree.fromstring(metadata_xml.encode())
    acs = "{urn:oasis:names:tc:SAML:2.0:metadata}AssertionConsumerService"
    return [e.get("Location") for e in root.iter(acs)]


def test_metadata_lists_every_acs_and_each_accepts_its_own_recipient(federated):
    # IAM Identity Center user guide, "How to connect to an external identity provider": the metadata
    # "contains both IPv4-only and dual-stack assertion consumer service (ACS) URLs".
    key_pem, cert_pem, sp = federated
    locations = _acs_locations(sp["MetadataXml"])
    assert locations[0] == sp["AcsUrl"] and len(locations) == 2
    assert locations[1].startswith("https://us-gov-west-1.sso.signin.amazonaws-us-gov.com/platform/saml/acs/")
    for url in locations:
        signed = saml_response(key_pem, cert_pem, name_id="nikkiwolf@example.com",
                               audience=sp["EntityId"], recipient=url)
        answer = requests.post(url, data={"SAMLResponse": signed}, allow_redirects=False, timeout=30)
        assert answer.status_code == 302, answer.text
    # A response meant for one ACS is refused at another (Recipient, SAML 2.0 Profiles 4.1.4.3).
    signed = saml_response(key_pem, cert_pem, name_id="nikkiwolf@example.com",
                           audience=sp["EntityId"], recipient=locations[0])
    answer = requests.post(locations[1], data={"SAMLResponse": signed}, allow_redirects=False, timeout=30)
    assert answer.status_code == 403 and "recipient" in answer.text
