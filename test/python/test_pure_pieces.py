"""Pieces without I/O: passwords, markers, ABAC claim definitions, SAML metadata, verify output."""

import base64
import hashlib
import json
import xml.etree.ElementTree as ET

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from entraidc import abac, junit, marker, output, passwords, saml_metadata
from entraidc.errors import InputError


def test_passwords_are_random_complex_and_redacted():
    seen = {passwords.generate() for _ in range(20)}
    assert len(seen) == 20
    for value in seen:
        assert len(value) == 24
        assert any(c.isupper() for c in value) and any(c.islower() for c in value)
        assert any(c.isdigit() for c in value) and any(not c.isalnum() for c in value)
        assert output.redact(f"password={value}") == "password=***"


def test_markers_distinguish_ours_from_others():
    assert marker.app_is_marked(
        {"tags": ["WindowsAzureActiveDirectoryIntegratedApp", "entra-idc"]}, "entra-idc"
    )
    assert not marker.app_is_marked({"tags": ["WindowsAzureActiveDirectoryIntegratedApp"]}, "entra-idc")
    assert marker.tags_with(["a"], "entra-idc") == ["a", "entra-idc"]
    assert marker.tags_with(["entra-idc"], "entra-idc") == ["entra-idc"]
    user = {"onPremisesExtensionAttributes": {"extensionAttribute15": "entra-idc"}}
    assert marker.user_is_marked(user, "entra-idc")
    assert not marker.user_is_marked({"onPremisesExtensionAttributes": None}, "entra-idc")
    assert marker.policy_is_marked({"displayName": "entra-idc: ABAC claims (aws-govcloud)"}, "entra-idc")
    assert not marker.policy_is_marked({"displayName": "entra-idc-other: x"}, "entra-idc")


def test_abac_claims_match_identity_center_attribute_names():
    attributes = abac.parse_attributes(None)
    assert attributes == {"Department": "department"}
    policy = json.loads(abac.definition({"Department": "department", "CostCenter": "employeeOrgData"}))
    schema = policy["ClaimsMappingPolicy"]["ClaimsSchema"]
    assert {
        "Source": "user",
        "ID": "department",
        "SamlClaimType": "https://aws.amazon.com/SAML/Attributes/AccessControl:Department",
    } in schema
    with pytest.raises(InputError):
        abac.parse_attributes(["Department=department"])


def _certificate() -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "test")])
    import datetime

    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_signing_thumbprints_of_federation_metadata():
    der = _certificate()
    body = base64.b64encode(der).decode()
    xml = f"""<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.net/t/">
      <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
        <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>
          <X509Certificate>{body[:40]}
{body[40:]}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
        <KeyDescriptor use="encryption"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>
          <X509Certificate>{base64.b64encode(_certificate()).decode()}</X509Certificate></X509Data></KeyInfo>
        </KeyDescriptor>
      </IDPSSODescriptor></EntityDescriptor>"""
    assert saml_metadata.signing_thumbprints(xml) == {hashlib.sha1(der).hexdigest().upper()}  # noqa: S324
    assert saml_metadata.entity_id(xml) == "https://sts.windows.net/t/"


def test_verify_table_and_junit(tmp_path):
    checks = [
        junit.Check("aws-commercial", "3.3 identity source", "pass", "ok"),
        junit.Check("aws-govcloud", "4.4 RichRoe", "fail", "missing"),
        junit.Check("aws-govcloud", "RichRoe -> AdministratorAccess", "skip", "later"),
    ]
    text = junit.table(checks)
    assert "FAIL" in text and text.endswith("2 of 3 checks passed, 1 failed")
    path = tmp_path / "verify.xml"
    junit.write(checks, str(path))
    suites = ET.parse(path).getroot().findall("testsuite")  # noqa: S314 - our own file
    assert [s.get("name") for s in suites] == [
        "entraidc-verify.aws-commercial",
        "entraidc-verify.aws-govcloud",
    ]
    assert suites[1].get("failures") == "1" and suites[1].get("skipped") == "1"
    assert suites[1].find("testcase/failure").get("message") == "missing"


def test_reply_urls_are_every_acs_of_the_sp_metadata_default_first():
    md = "urn:oasis:names:tc:SAML:2.0:metadata"
    post = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
    xml = (
        f'<md:EntityDescriptor xmlns:md="{md}" entityID="https://sp"><md:SPSSODescriptor>'
        f'<md:AssertionConsumerService Binding="{post}" Location="https://b/acs" index="1"/>'
        f'<md:AssertionConsumerService Binding="{post}" Location="https://c/acs" index="2" isDefault="true"/>'
        f'<md:AssertionConsumerService Binding="{post}" Location="https://a/acs" index="0"/>'
        "</md:SPSSODescriptor></md:EntityDescriptor>"
    )
    config = {"AcsUrl": "https://c/acs", "MetadataXml": xml}
    assert saml_metadata.reply_urls(config) == ["https://c/acs", "https://a/acs", "https://b/acs"]
    assert saml_metadata.reply_urls({"AcsUrl": "https://only/acs"}) == ["https://only/acs"]
