"""The console operations without public API: hosts, targets, shapes and error bodies.

References: twin/README.md "Console operations without public API" (what is known and what
is inferred, operation by operation); AWS JSON 1.1 error shape as botocore's
``JSONParser._do_error_parse`` reads it (``__type``, ``message``).
"""

import base64
import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from twin_client import control_call, directory_call, instance

IDP_ENTITY = "https://sts.windows.net/00000000-0000-0000-0000-0000000000aa/"
IDP_LOGIN = "https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa/saml2"


def idp_certificate() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Microsoft Azure Federated SSO Certificate")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3))
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def idp_metadata(cert: str) -> str:
    return (
        f'<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{IDP_ENTITY}">'
        '<IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
        '<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data>'
        f"<X509Certificate>{cert}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>"
        '<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" '
        f'Location="{IDP_LOGIN}"/></IDPSSODescriptor></EntityDescriptor>'
    )


# Console actions the library never calls (SWBService.*, the IdP certificate list), so the documented
# policy the twin enforces lacks them; these tests grant them to both profiles.
NOT_IN_POLICY = ["sso:ListDirectoryAssociations", "sso:GetSsoConfiguration", "sso:DescribeRegisteredRegions",
                 "sso-directory:ListExternalIdPCertificates"]


@pytest.fixture
def control_actions(twin_environ, twin_reset, twin_aws_policy):
    for profile in ("aws-commercial", "aws-govcloud"):
        twin_aws_policy(profile, with_=NOT_IN_POLICY)


@pytest.fixture
def govcloud(control_actions):
    return instance("aws-govcloud")


def test_provisioning_tenant_and_bearer_tokens_lifecycle(govcloud):
    store = govcloud["IdentityStoreId"]
    tenant = directory_call("aws-govcloud", "CreateProvisioningTenant", {"IdentityStoreId": store}).json()
    tenant = tenant["ProvisioningTenant"]
    # GovCloud's documented SCIM host is the dual-stack one (GovCloud user guide, "IAM Identity Center").
    assert tenant["ScimEndpoint"] == f"https://scim.us-gov-west-1.api.aws/{tenant['TenantId']}/scim/v2/"
    listed = directory_call("aws-govcloud", "ListProvisioningTenants", {"IdentityStoreId": store}).json()
    assert listed == {"ProvisioningTenants": [tenant]}  # the publicly seen answer shape
    token = directory_call("aws-govcloud", "CreateBearerToken", {"TenantId": tenant["TenantId"]}).json()
    token = token["BearerToken"]
    assert token["ExpirationTime"] - token["CreationTime"] == pytest.approx(365 * 24 * 3600)
    tokens = directory_call("aws-govcloud", "ListBearerTokens", {"TenantId": tenant["TenantId"]}).json()
    assert tokens["BearerTokens"] == [{k: token[k] for k in ("TokenId", "CreationTime", "ExpirationTime")}]
    assert token["Token"] not in str(tokens)
    deleted = directory_call(
        "aws-govcloud", "DeleteBearerToken", {"TenantId": tenant["TenantId"], "TokenId": token["TokenId"]}
    )
    assert deleted.status_code == 200 and deleted.json() == {}
    directory_call(
        "aws-govcloud", "DeleteProvisioningTenant", {"IdentityStoreId": store, "TenantId": tenant["TenantId"]}
    )
    assert directory_call("aws-govcloud", "ListProvisioningTenants", {"IdentityStoreId": store}).json() == {
        "ProvisioningTenants": []
    }


def test_a_second_tenant_is_a_conflict_and_a_third_token_exceeds_the_quota(govcloud):
    store = govcloud["IdentityStoreId"]
    tenant = directory_call("aws-govcloud", "CreateProvisioningTenant", {"IdentityStoreId": store}).json()
    again = directory_call("aws-govcloud", "CreateProvisioningTenant", {"IdentityStoreId": store})
    assert again.status_code == 400 and again.json()["__type"] == "ConflictException"
    assert again.headers["x-amzn-ErrorType"] == "ConflictException"
    tenant_id = tenant["ProvisioningTenant"]["TenantId"]
    for _ in range(2):
        assert directory_call("aws-govcloud", "CreateBearerToken", {"TenantId": tenant_id}).status_code == 200
    third = directory_call("aws-govcloud", "CreateBearerToken", {"TenantId": tenant_id})
    assert third.json()["__type"] == "ServiceQuotaExceededException"


def test_external_idp_from_metadata_switches_the_identity_source(govcloud):
    store, arn = govcloud["IdentityStoreId"], govcloud["InstanceArn"]
    created = directory_call(
        "aws-govcloud",
        "CreateExternalIdPConfigurationForDirectory",
        {"IdentityStoreId": store, "IdPMetadataXml": idp_metadata(idp_certificate())},
    )
    assert created.status_code == 200, created.text
    created = created.json()
    sp = created["SPConfiguration"]
    assert sp["EntityId"] == f"https://us-gov-west-1.signin.amazonaws-us-gov.com/platform/saml/{store}"
    assert sp["AcsUrl"].startswith("https://us-gov-west-1.signin.amazonaws-us-gov.com/platform/saml/acs/")
    assert f'entityID="{sp["EntityId"]}"' in sp["MetadataXml"] and sp["AcsUrl"] in sp["MetadataXml"]
    idp_id = created["IdPId"]
    listed = directory_call(
        "aws-govcloud", "ListExternalIdPConfigurationsForDirectory", {"IdentityStoreId": store}
    ).json()
    assert listed["ExternalIdPConfigurations"][0]["IdPEntityId"] == IDP_ENTITY
    assert listed["ExternalIdPConfigurations"][0]["IdPLoginUrl"] == IDP_LOGIN
    assert listed["IdentitySource"] == "IDENTITY_STORE"
    directory_call(
        "aws-govcloud",
        "EnableExternalIdPConfigurationForDirectory",
        {"IdentityStoreId": store, "IdPId": idp_id},
    )
    association = control_call("aws-govcloud", "ListDirectoryAssociations", {"instanceArn": arn}).json()
    assert association["directoryAssociations"][0]["directoryType"] == "EXTERNAL_IDP"
    refused = directory_call(
        "aws-govcloud",
        "DeleteExternalIdPConfigurationForDirectory",
        {"IdentityStoreId": store, "IdPId": idp_id},
    )
    assert refused.json()["__type"] == "ConflictException"
    for operation in (
        "DisableExternalIdPConfigurationForDirectory",
        "DeleteExternalIdPConfigurationForDirectory",
    ):
        assert directory_call("aws-govcloud", operation, {"IdentityStoreId": store, "IdPId": idp_id}).ok
    association = control_call("aws-govcloud", "ListDirectoryAssociations", {"instanceArn": arn}).json()
    assert association["directoryAssociations"][0]["directoryType"] == "IDENTITY_STORE"


def test_external_idp_from_entity_id_login_url_and_certificate(control_actions):
    store = instance("aws-commercial")["IdentityStoreId"]
    answer = directory_call(
        "aws-commercial",
        "CreateExternalIdPConfigurationForDirectory",
        {
            "IdentityStoreId": store,
            "IdPEntityId": IDP_ENTITY,
            "IdPLoginUrl": IDP_LOGIN,
            "IdPCertificate": idp_certificate(),
        },
    ).json()
    assert (
        answer["SPConfiguration"]["EntityId"]
        == f"https://us-east-1.signin.aws.amazon.com/platform/saml/{store}"
    )
    assert answer["SPConfiguration"]["SignInUrl"] == f"https://{store}.awsapps.com/start"
    certificates = directory_call(
        "aws-commercial", "ListExternalIdPCertificates", {"IdentityStoreId": store, "IdPId": answer["IdPId"]}
    ).json()["Certificates"]
    assert [c["CertificateId"] for c in certificates] == answer["IdPCertificateIds"]


@pytest.mark.parametrize(
    ("operation", "body", "code"),
    [
        ("CreateProvisioningTenant", {}, "ValidationException"),
        ("ListProvisioningTenants", {"IdentityStoreId": "d-0000000000"}, "ResourceNotFoundException"),
        ("DeleteBearerToken", {"TenantId": "nope", "TokenId": "x"}, "ResourceNotFoundException"),
        (
            "CreateExternalIdPConfigurationForDirectory",
            {"IdentityStoreId": "{store}", "IdPMetadataXml": "<nope"},
            "ValidationException",
        ),
        (
            "EnableExternalIdPConfigurationForDirectory",
            {"IdentityStoreId": "{store}", "IdPId": "idp-x"},
            "ResourceNotFoundException",
        ),
        ("NoSuchOperation", {}, "UnknownOperationException"),
    ],
)
def test_error_shapes(govcloud, operation, body, code):
    body = {k: v.replace("{store}", govcloud["IdentityStoreId"]) for k, v in body.items()}
    answer = directory_call("aws-govcloud", operation, body)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert answer.json()["__type"] == code and answer.json()["message"]


def test_another_accounts_identity_store_is_access_denied(twin_environ):
    commercial_store = instance("aws-commercial")["IdentityStoreId"]
    answer = directory_call("aws-govcloud", "ListProvisioningTenants", {"IdentityStoreId": commercial_store})
    assert answer.json()["__type"] == "AccessDeniedException"


def test_control_operations_know_the_instance(control_actions):
    govcloud = instance("aws-govcloud")
    answer = control_call("aws-govcloud", "GetSsoConfiguration", {"instanceArn": govcloud["InstanceArn"]})
    assert answer.json()["ssoConfiguration"]["identityStoreId"] == govcloud["IdentityStoreId"]
    wrong = control_call(
        "aws-govcloud", "GetSsoConfiguration", {"instanceArn": "arn:aws-us-gov:sso:::instance/x"}
    )
    assert wrong.json()["__type"] == "ResourceNotFoundException"
