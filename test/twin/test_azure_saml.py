"""The twin's SAML IdP: signed responses that an independent verifier accepts against the
app's federation metadata, carrying the configured identifier and reply URL.

References: OASIS SAML 2.0 Core (saml-core-2.0-os) §2.3.3 Assertion/Issuer, §2.4.1.2
SubjectConfirmationData Recipient and InResponseTo, §2.5.1.4 AudienceRestriction, §3.2.2
Response Destination; SAML 2.0 Bindings §3.4 HTTP-Redirect (DEFLATE) and §3.5 HTTP-POST;
SAML 2.0 Metadata §2.4.1 KeyDescriptor; W3C XML Signature (verified with signxml, configured
here independently of the twin: RSA-SHA256 only, the certificate taken from the metadata).
Entra behaviour: "Single sign-on SAML protocol" (issuer https://sts.windows.net/<tenant>/,
AADSTS50105 for unassigned users, AADSTS50011 for a reply URL mismatch).
"""

import base64
import datetime
import json
import re
import uuid
import zlib

import pytest
from azure_inprocess import AzureTwin
from lxml import etree
from signxml import InvalidSignature, SignatureConfiguration, SignatureMethod, XMLVerifier

from twin.azure import ids

SP_ENTITY = "https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067c2f1e1"
SP_ACS = "https://us-east-1.signin.aws.amazon.com/platform/saml/acs/0b3f5c1e-8a7d-4e2b-9c6f-1d2e3f4a5b6c"
NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
VERIFY = SignatureConfiguration(signature_methods=frozenset({SignatureMethod.RSA_SHA256}))


@pytest.fixture
def saml_app(tmp_path):
    twin = AzureTwin(tmp_path)
    app, sp = twin.gallery_app("AWS IAM Identity Center (aws-commercial)")
    # SAML mode first: the tenant's identifier-URI restriction exempts only SAML apps.
    assert (
        twin.graph(
            "PATCH", f"/servicePrincipals/{sp['id']}", {"preferredSingleSignOnMode": "saml"}
        ).status_code
        == 204
    )
    assert (
        twin.graph(
            "PATCH",
            f"/applications/{app['id']}",
            {"identifierUris": [SP_ENTITY], "web": {"redirectUris": [SP_ACS]}},
        ).status_code
        == 204
    )
    end = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    cert = twin.graph(
        "POST",
        f"/servicePrincipals/{sp['id']}/addTokenSigningCertificate",
        {"displayName": "CN=entra-idc SAML signing", "endDateTime": end},
    ).get_json()
    assert (
        twin.graph(
            "PATCH",
            f"/servicePrincipals/{sp['id']}",
            {"preferredTokenSigningKeyThumbprint": cert["thumbprint"]},
        ).status_code
        == 204
    )
    return twin, app, sp


def authn_request(request_id: str, acs: str = SP_ACS) -> str:
    xml = (
        f'<samlp:AuthnRequest xmlns:samlp="{NS["samlp"]}" xmlns:saml="{NS["saml"]}" ID="{request_id}" '
        f'Version="2.0" IssueInstant="2026-01-01T00:00:00Z" AssertionConsumerServiceURL="{acs}">'
        f"<saml:Issuer>{SP_ENTITY}</saml:Issuer></samlp:AuthnRequest>"
    )
    compressor = zlib.compressobj(wbits=-15)
    return base64.b64encode(compressor.compress(xml.encode()) + compressor.flush()).decode()


def sign_in(twin, upn: str, password: str, saml_request: str):
    path = f"/{ids.TENANT_ID}/saml2"
    form_page = twin.call(
        ids.LOGIN_HOST, "GET", path, query_string={"SAMLRequest": saml_request, "RelayState": "portal"}
    )
    if form_page.status_code != 200:
        return form_page
    fields = dict(
        re.findall(r'name="(SAMLRequest|RelayState)" value="([^"]*)"', form_page.get_data(as_text=True))
    )
    return twin.call(ids.LOGIN_HOST, "POST", path, data={**fields, "login": upn, "passwd": password})


def posted_response(page) -> tuple[str, bytes, str]:
    text = page.get_data(as_text=True)
    action = re.search(r'<form method="POST" name="hiddenform" action="([^"]+)"', text).group(1)
    value = re.search(r'name="SAMLResponse" value="([^"]+)"', text).group(1)
    relay = re.search(r'name="RelayState" value="([^"]+)"', text).group(1)
    return action, base64.b64decode(value), relay


def metadata_certificate(twin, app) -> str:
    response = twin.call(
        ids.LOGIN_HOST,
        "GET",
        f"/{ids.TENANT_ID}/federationmetadata/2007-06/federationmetadata.xml",
        query_string={"appid": app["appId"]},
    )
    assert response.status_code == 200
    metadata = etree.fromstring(response.get_data())
    assert metadata.get("entityID") == ids.STS_ISSUER
    sso = metadata.xpath("//md:IDPSSODescriptor/md:SingleSignOnService/@Location", namespaces=NS)
    assert set(sso) == {f"{ids.AUTHORITY}/{ids.TENANT_ID}/saml2"}
    cert = metadata.xpath(
        "//md:IDPSSODescriptor/md:KeyDescriptor[@use='signing']//ds:X509Certificate/text()", namespaces=NS
    )[0]
    pem = "-----BEGIN CERTIFICATE-----\n" + cert + "\n-----END CERTIFICATE-----\n"
    XMLVerifier().verify(
        response.get_data(), x509_cert=pem, expect_config=VERIFY
    )  # the metadata is signed too
    return pem


def test_signed_response_validates_against_the_federation_metadata(saml_app):
    twin, app, sp = saml_app
    user = twin.user("NikkiWolf")
    twin.assign(sp, user)
    request_id = f"_{uuid.uuid4()}"
    action, response_xml, relay = posted_response(
        sign_in(twin, "NikkiWolf@example.org", "Tw1n-Passw0rd!", authn_request(request_id))
    )
    assert action == SP_ACS and relay == "portal"
    verified = XMLVerifier().verify(
        response_xml, x509_cert=metadata_certificate(twin, app), expect_config=VERIFY
    )
    assertion = verified.signed_xml
    assert etree.QName(assertion).localname == "Assertion"
    response = etree.fromstring(response_xml)
    assert response.get("Destination") == SP_ACS and response.get("InResponseTo") == request_id
    assert assertion.findtext("saml:Issuer", namespaces=NS) == ids.STS_ISSUER
    assert assertion.xpath(
        "saml:Conditions/saml:AudienceRestriction/saml:Audience/text()", namespaces=NS
    ) == [SP_ENTITY]
    confirmation = assertion.find("saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData", NS)
    assert confirmation.get("Recipient") == SP_ACS and confirmation.get("InResponseTo") == request_id
    assert assertion.findtext("saml:Subject/saml:NameID", namespaces=NS) == "NikkiWolf@example.org"


def test_a_tampered_response_or_another_certificate_fails_verification(saml_app):
    twin, app, sp = saml_app
    twin.assign(sp, twin.user("NikkiWolf"))
    _, response_xml, _ = posted_response(
        sign_in(twin, "NikkiWolf@example.org", "Tw1n-Passw0rd!", authn_request("_r1"))
    )
    pem = metadata_certificate(twin, app)
    tampered = response_xml.replace(b"NikkiWolf@example.org</NameID>", b"RichRoe@example.org</NameID>")
    assert tampered != response_xml
    with pytest.raises(InvalidSignature):
        XMLVerifier().verify(tampered, x509_cert=pem, expect_config=VERIFY)
    end = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    other = twin.graph(
        "POST",
        f"/servicePrincipals/{sp['id']}/addTokenSigningCertificate",
        {"displayName": "CN=other", "endDateTime": end},
    ).get_json()
    other_pem = "-----BEGIN CERTIFICATE-----\n" + other["key"] + "\n-----END CERTIFICATE-----\n"
    with pytest.raises(InvalidSignature):
        XMLVerifier().verify(response_xml, x509_cert=other_pem, expect_config=VERIFY)


def test_unassigned_users_wrong_passwords_and_foreign_reply_urls_are_refused(saml_app):
    twin, _, sp = saml_app
    twin.user("RichRoe")
    unassigned = sign_in(twin, "RichRoe@example.org", "Tw1n-Passw0rd!", authn_request("_r2"))
    assert unassigned.status_code == 400 and "AADSTS50105" in unassigned.get_data(as_text=True)
    twin.assign(sp, twin.store.find_user("RichRoe@example.org"))
    wrong = sign_in(twin, "RichRoe@example.org", "not-it", authn_request("_r3"))
    assert wrong.status_code == 400 and "AADSTS50126" in wrong.get_data(as_text=True)
    foreign = sign_in(
        twin,
        "RichRoe@example.org",
        "Tw1n-Passw0rd!",
        authn_request("_r4", acs="https://attacker.example/acs"),
    )
    assert foreign.status_code == 400 and "AADSTS50011" in foreign.get_data(as_text=True)


def test_claims_mapping_policy_adds_the_abac_attribute(saml_app):
    twin, app, sp = saml_app
    twin.assign(sp, twin.user("NikkiWolf", department="billing"))
    claim = "https://aws.amazon.com/SAML/Attributes/AccessControl:Department"
    definition = json.dumps(
        {
            "ClaimsMappingPolicy": {
                "Version": 1,
                "IncludeBasicClaimSet": "true",
                "ClaimsSchema": [{"Source": "user", "ID": "department", "SamlClaimType": claim}],
            }
        }
    )
    policy = twin.graph(
        "POST",
        "/policies/claimsMappingPolicies",
        {"displayName": "entra-idc: abac", "definition": [definition]},
    ).get_json()
    linked = twin.graph(
        "POST",
        f"/servicePrincipals/{sp['id']}/claimsMappingPolicies/$ref",
        {"@odata.id": f"https://graph.microsoft.com/v1.0/policies/claimsMappingPolicies/{policy['id']}"},
    )
    assert linked.status_code == 204
    _, response_xml, _ = posted_response(
        sign_in(twin, "NikkiWolf@example.org", "Tw1n-Passw0rd!", authn_request("_r5"))
    )
    assertion = (
        XMLVerifier()
        .verify(response_xml, x509_cert=metadata_certificate(twin, app), expect_config=VERIFY)
        .signed_xml
    )
    values = assertion.xpath(f"//saml:Attribute[@Name='{claim}']/saml:AttributeValue/text()", namespaces=NS)
    assert values == ["billing"]


def _metadata_thumbprint(twin, app) -> str:
    import hashlib

    pem = metadata_certificate(twin, app)
    der = base64.b64decode("".join(pem.splitlines()[1:-1]))
    return hashlib.sha1(der).hexdigest().upper()  # noqa: S324 - a certificate thumbprint


def test_the_metadata_serves_the_previous_certificate_while_a_new_one_propagates(saml_app):
    """A login delay rule on federationMetadata: the thumbprint change is not in the metadata yet."""
    twin, app, sp = saml_app
    first = twin.graph("GET", f"/servicePrincipals/{sp['id']}").get_json()[
        "preferredTokenSigningKeyThumbprint"
    ]
    assert _metadata_thumbprint(twin, app) == first
    twin.context.faults.add(
        {"service": "login", "operation": "federationMetadata", "kind": "delay", "seconds": 60}
    )
    second = twin.graph(
        "POST", f"/servicePrincipals/{sp['id']}/addTokenSigningCertificate", {"displayName": "CN=rotated"}
    ).get_json()["thumbprint"]
    assert (
        twin.graph(
            "PATCH", f"/servicePrincipals/{sp['id']}", {"preferredTokenSigningKeyThumbprint": second}
        ).status_code
        == 204
    )
    assert _metadata_thumbprint(twin, app) == first  # still the old one
    twin.context.faults.clear()
    assert _metadata_thumbprint(twin, app) == second
