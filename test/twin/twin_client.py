"""Test helpers: SigV4-signed calls to the console operations, and SCIM requests, sent with
`requests` exactly as a client on an agent would send them."""

import json

import boto3
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest

DIRECTORY_TARGET = "AWSIdentityStoreService"
CONTROL_TARGET = "SWBService"


def directory_url(region: str) -> str:
    return f"https://up.sso.{region}.amazonaws.com/identitystore/"


def control_url(region: str) -> str:
    return f"https://sso.{region}.amazonaws.com/control/"


def signed_post(
    profile: str, url: str, service: str, target: str, body: dict, credentials=None
) -> requests.Response:
    session = boto3.Session(profile_name=profile)
    request = AWSRequest(
        method="POST",
        url=url,
        data=json.dumps(body),
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target},
    )
    SigV4Auth(credentials or session.get_credentials(), service, session.region_name).add_auth(request)
    prepared = request.prepare()
    return requests.post(prepared.url, data=prepared.body, headers=dict(prepared.headers), timeout=30)


def directory_call(profile: str, operation: str, body: dict, **kwargs) -> requests.Response:
    region = boto3.Session(profile_name=profile).region_name
    return signed_post(
        profile, directory_url(region), "identitystore", f"{DIRECTORY_TARGET}.{operation}", body, **kwargs
    )


def control_call(profile: str, operation: str, body: dict, **kwargs) -> requests.Response:
    region = boto3.Session(profile_name=profile).region_name
    return signed_post(profile, control_url(region), "sso", f"{CONTROL_TARGET}.{operation}", body, **kwargs)


def instance(profile: str) -> dict:
    return boto3.Session(profile_name=profile).client("sso-admin").list_instances()["Instances"][0]


def scim_endpoint_and_token(profile: str) -> tuple[str, str]:
    """The directory's provisioning tenant (made if missing, as the console does) and a new bearer token."""
    store_id = instance(profile)["IdentityStoreId"]
    tenants = directory_call(profile, "ListProvisioningTenants", {"IdentityStoreId": store_id}).json()
    tenant = (tenants["ProvisioningTenants"] or [None])[0]
    if tenant is None:
        made = directory_call(profile, "CreateProvisioningTenant", {"IdentityStoreId": store_id})
        assert made.status_code == 200, made.text
        tenant = made.json()["ProvisioningTenant"]
    tenant_id = tenant["TenantId"]
    tokens = directory_call(profile, "ListBearerTokens", {"TenantId": tenant_id}).json()["BearerTokens"]
    for old in sorted(tokens, key=lambda t: t["CreationTime"])[:-1]:
        directory_call(profile, "DeleteBearerToken", {"TenantId": tenant_id, "TokenId": old["TokenId"]})
    token = directory_call(profile, "CreateBearerToken", {"TenantId": tenant["TenantId"]})
    assert token.status_code == 200, token.text
    return tenant["ScimEndpoint"], token.json()["BearerToken"]["Token"]


class Scim:
    def __init__(self, endpoint: str, token: str) -> None:
        self.endpoint, self.token = endpoint, token

    def __call__(
        self, method: str, path: str, body: dict | None = None, token: str | None = None, **params
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {token or self.token}", "Content-Type": "application/scim+json"}
        return requests.request(
            method,
            self.endpoint + path.lstrip("/"),
            json=body,
            headers=headers,
            params=params or None,
            timeout=30,
        )


def scim_user(user_name: str, external_id: str | None = None, **extra) -> dict:
    user = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"givenName": "Rich", "familyName": "Roe"},
        "displayName": "Rich Roe",
        "emails": [{"value": user_name, "type": "work", "primary": True}],
        "active": True,
    }
    if external_id:
        user["externalId"] = external_id
    user.update(extra)
    return user
