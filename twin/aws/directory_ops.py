"""Console operations without public API at https://up.sso.<region>.amazonaws.com/identitystore/
(X-Amz-Target ``AWSIdentityStoreService.<Op>``, SigV4 service ``identitystore``, JSON 1.1).

Names are IAM ``sso-directory`` actions; request and response shapes are documented, with
what is known and what is inferred, in twin/README.md.
"""
import secrets
import time
import uuid
from collections.abc import Callable

from twin.aws.errors import AwsError
from twin.aws.saml_metadata import certificate_summary, parse_idp_metadata
from twin.aws.sp_config import scim_host, sp_configuration
from twin.aws.state import AwsState, BearerToken, Directory, ExternalIdP, ProvisioningTenant

TOKEN_LIFETIME_SECONDS = 365 * 24 * 3600  # the console's SCIM token expires after one year
MAX_TOKENS_PER_TENANT = 2


def _require(body: dict, *names: str) -> None:
    for name in names:
        if not isinstance(body.get(name), str) or not body[name]:
            raise AwsError("ValidationException", f"1 validation error detected: Value at '{name[0].lower()}"
                           f"{name[1:]}' failed to satisfy constraint: Member must not be null")


def _directory(state: AwsState, account_id: str, body: dict) -> Directory:
    _require(body, "IdentityStoreId")
    directory = state.directory_for_store(body["IdentityStoreId"])
    if directory is None:
        raise AwsError("ResourceNotFoundException", f"Identity store {body['IdentityStoreId']} not found")
    if directory.account.account_id != account_id:
        raise AwsError("AccessDeniedException", "User is not authorized to access identity store "
                       f"{body['IdentityStoreId']}")
    return directory


def _idp(directory: Directory, body: dict) -> ExternalIdP:
    _require(body, "IdPId")
    idp = directory.external_idps.get(body["IdPId"])
    if idp is None:
        raise AwsError("ResourceNotFoundException", f"External IdP configuration {body['IdPId']} not found")
    return idp


def _idp_view(idp: ExternalIdP) -> dict:
    return {"IdPId": idp.idp_id, "IdPEntityId": idp.entity_id, "IdPLoginUrl": idp.login_url,
            "Status": idp.status, "CreationTime": idp.creation_time,
            "IdPCertificateIds": [c["CertificateId"] for c in idp.certificates]}


def _idp_settings(body: dict) -> tuple[str, str, list[dict], str | None]:
    if body.get("IdPMetadataXml"):
        entity_id, login_url, certs = parse_idp_metadata(body["IdPMetadataXml"])
        return entity_id, login_url, [certificate_summary(c) for c in certs], body["IdPMetadataXml"]
    _require(body, "IdPEntityId", "IdPLoginUrl", "IdPCertificate")
    if not body["IdPLoginUrl"].startswith("https://"):
        raise AwsError("ValidationException", "IdPLoginUrl must be an https URL")
    return body["IdPEntityId"], body["IdPLoginUrl"], [certificate_summary(body["IdPCertificate"])], None


def get_sp_configuration(state: AwsState, account_id: str, body: dict) -> dict:
    return {"SPConfiguration": sp_configuration(_directory(state, account_id, body))}


def create_external_idp(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    if directory.external_idps:
        raise AwsError("ConflictException", "An external IdP configuration already exists for this directory")
    entity_id, login_url, certs, xml = _idp_settings(body)
    idp = ExternalIdP(f"idp-{uuid.uuid4().hex[:16]}", entity_id, login_url, certs, xml)
    directory.external_idps[idp.idp_id] = idp
    return {"IdPId": idp.idp_id, "IdPCertificateIds": [c["CertificateId"] for c in certs],
            "SPConfiguration": sp_configuration(directory)}


def update_external_idp(state: AwsState, account_id: str, body: dict) -> dict:
    idp = _idp(_directory(state, account_id, body), body)
    idp.entity_id, idp.login_url, idp.certificates, idp.metadata_xml = _idp_settings(body)
    return {"IdPId": idp.idp_id, "IdPCertificateIds": [c["CertificateId"] for c in idp.certificates]}


def list_external_idps(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    return {"ExternalIdPConfigurations": [_idp_view(i) for i in directory.external_idps.values()],
            "IdentitySource": directory.identity_source}


def list_external_idp_certificates(state: AwsState, account_id: str, body: dict) -> dict:
    idp = _idp(_directory(state, account_id, body), body)
    return {"Certificates": [{k: v for k, v in c.items() if k != "Body"} for c in idp.certificates]}


def enable_external_idp(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    _idp(directory, body).status = "ENABLED"
    return {}


def disable_external_idp(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    _idp(directory, body).status = "DISABLED"
    return {}


def delete_external_idp(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    idp = _idp(directory, body)
    if idp.status == "ENABLED":
        raise AwsError("ConflictException", "The external IdP configuration is the identity source; "
                       "disable it first (change the identity source back)")
    del directory.external_idps[idp.idp_id]
    return {}


def _tenant_view(tenant: ProvisioningTenant) -> dict:
    return {"TenantId": tenant.tenant_id, "ScimEndpoint": tenant.scim_endpoint,
            "CreationTime": tenant.creation_time}


def create_provisioning_tenant(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    if directory.tenants:
        raise AwsError("ConflictException", "A provisioning tenant already exists for this directory")
    tenant_id = f"{uuid.uuid4().hex[:11]}-{uuid.uuid4()}"
    account = directory.account
    endpoint = f"https://{scim_host(account.region, account.partition)}/{tenant_id}/scim/v2/"
    tenant = ProvisioningTenant(tenant_id, directory.identity_store_id, endpoint)
    directory.tenants[tenant_id] = tenant
    return {"ProvisioningTenant": _tenant_view(tenant)}


def list_provisioning_tenants(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    return {"ProvisioningTenants": [_tenant_view(t) for t in directory.tenants.values()]}


def delete_provisioning_tenant(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    _require(body, "TenantId")
    if directory.tenants.pop(body["TenantId"], None) is None:
        raise AwsError("ResourceNotFoundException", f"Provisioning tenant {body['TenantId']} not found")
    return {}


def _tenant(state: AwsState, account_id: str, body: dict) -> ProvisioningTenant:
    _require(body, "TenantId")
    found = state.tenant(body["TenantId"])
    if found is None or found[0].account.account_id != account_id:
        raise AwsError("ResourceNotFoundException", f"Provisioning tenant {body['TenantId']} not found")
    return found[1]


def _token_view(token: BearerToken) -> dict:
    return {"TokenId": token.token_id, "CreationTime": token.creation_time,
            "ExpirationTime": token.expiration_time}


def create_bearer_token(state: AwsState, account_id: str, body: dict) -> dict:
    tenant = _tenant(state, account_id, body)
    if len(tenant.tokens) >= MAX_TOKENS_PER_TENANT:
        raise AwsError("ServiceQuotaExceededException",
                       f"A provisioning tenant can have at most {MAX_TOKENS_PER_TENANT} bearer tokens")
    now = time.time()
    token = BearerToken(str(uuid.uuid4()), secrets.token_urlsafe(96), now, now + TOKEN_LIFETIME_SECONDS)
    tenant.tokens[token.token_id] = token
    return {"BearerToken": {**_token_view(token), "Token": token.secret}}


def list_bearer_tokens(state: AwsState, account_id: str, body: dict) -> dict:
    tenant = _tenant(state, account_id, body)
    return {"BearerTokens": [_token_view(t) for t in tenant.tokens.values()]}


def delete_bearer_token(state: AwsState, account_id: str, body: dict) -> dict:
    tenant = _tenant(state, account_id, body)
    _require(body, "TokenId")
    if tenant.tokens.pop(body["TokenId"], None) is None:
        raise AwsError("ResourceNotFoundException", f"Bearer token {body['TokenId']} not found")
    return {}


OPERATIONS: dict[str, Callable[[AwsState, str, dict], dict]] = {
    "GetAWSSPConfigurationForDirectory": get_sp_configuration,
    "CreateExternalIdPConfigurationForDirectory": create_external_idp,
    "UpdateExternalIdPConfigurationForDirectory": update_external_idp,
    "ListExternalIdPConfigurationsForDirectory": list_external_idps,
    "ListExternalIdPCertificates": list_external_idp_certificates,
    "EnableExternalIdPConfigurationForDirectory": enable_external_idp,
    "DisableExternalIdPConfigurationForDirectory": disable_external_idp,
    "DeleteExternalIdPConfigurationForDirectory": delete_external_idp,
    "CreateProvisioningTenant": create_provisioning_tenant,
    "ListProvisioningTenants": list_provisioning_tenants,
    "DeleteProvisioningTenant": delete_provisioning_tenant,
    "CreateBearerToken": create_bearer_token,
    "ListBearerTokens": list_bearer_tokens,
    "DeleteBearerToken": delete_bearer_token,
}
