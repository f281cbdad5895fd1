"""login.microsoftonline.com as MSAL and the go-azure-sdk (azurerm provider) use it.

References: Microsoft identity platform "OpenID Connect" (/{tenant}/v2.0/.well-known/
openid-configuration: token_endpoint, issuer, jwks_uri), "client credentials flow" (token
response token_type/expires_in/access_token; errors with AADSTS codes), MSAL Python
authority.py (instance discovery answer: tenant_discovery_endpoint, metadata aliases),
hashicorp/go-azure-sdk sdk/auth/client_credentials.go (token URL "%s/%s/oauth2/v2.0/token"
built from the metadata's loginEndpoint, which ends in "/"; claims read from the token).
"""

import base64
import json

import pytest
from azure_inprocess import AzureTwin
from werkzeug.test import EnvironBuilder, run_wsgi_app

from twin.azure import ids


@pytest.fixture
def twin(tmp_path):
    return AzureTwin(tmp_path)


def token_form(twin, **overrides) -> dict:
    return {
        "grant_type": "client_credentials",
        "client_id": ids.AUTOMATION_CLIENT_ID,
        "client_secret": twin.store.client_secret,
        "scope": "https://graph.microsoft.com/.default",
        **overrides,
    }


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_openid_configuration_points_at_the_tenant_token_endpoint(twin):
    config = twin.call(
        ids.LOGIN_HOST, "GET", f"/{ids.TENANT_ID}/v2.0/.well-known/openid-configuration"
    ).get_json()
    assert config["token_endpoint"] == f"{ids.AUTHORITY}/{ids.TENANT_ID}/oauth2/v2.0/token"
    assert config["issuer"] == f"{ids.AUTHORITY}/{ids.TENANT_ID}/v2.0"
    keys = twin.call(ids.LOGIN_HOST, "GET", config["jwks_uri"].removeprefix(ids.AUTHORITY)).get_json()["keys"]
    assert keys and keys[0]["kty"] == "RSA"
    unknown = twin.call(ids.LOGIN_HOST, "GET", "/no-such-tenant/v2.0/.well-known/openid-configuration")
    assert unknown.status_code == 400 and "AADSTS90002" in unknown.get_json()["error_description"]


def test_instance_discovery_names_the_tenant_discovery_endpoint(twin):
    answer = twin.call(
        ids.LOGIN_HOST,
        "GET",
        "/common/discovery/instance",
        query_string={
            "api-version": "1.1",
            "authorization_endpoint": f"{ids.AUTHORITY}/{ids.TENANT_ID}/oauth2/v2.0/authorize",
        },
    )
    body = answer.get_json()
    assert body["tenant_discovery_endpoint"].endswith("/v2.0/.well-known/openid-configuration")
    assert ids.LOGIN_HOST in body["metadata"][0]["aliases"]


def test_token_carries_the_claims_the_azurerm_provider_reads(twin):
    response = twin.call(
        ids.LOGIN_HOST,
        "POST",
        f"/{ids.TENANT_ID}/oauth2/v2.0/token",
        data=token_form(twin, scope="https://management.azure.com//.default"),
    )
    body = response.get_json()
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    claims = claims_of(body["access_token"])
    assert claims["aud"] == ids.ARM_URL and claims["tid"] == ids.TENANT_ID
    assert claims["oid"] == ids.AUTOMATION_SP_OBJECT_ID and claims["appid"] == ids.AUTOMATION_CLIENT_ID


def test_the_go_sdk_double_slash_token_url_is_served(twin):
    builder = EnvironBuilder(path="/", base_url=ids.AUTHORITY, method="POST", data=token_form(twin))
    environ = builder.get_environ()
    environ["PATH_INFO"] = f"//{ids.TENANT_ID}/oauth2/v2.0/token"
    body, status, _ = run_wsgi_app(twin.context.router, environ)
    assert status == "200 OK", b"".join(body)
    assert json.loads(b"".join(body))["access_token"]


@pytest.mark.parametrize(
    ("overrides", "status", "code"),
    [
        ({"client_secret": "wrong"}, 401, "AADSTS7000215"),
        ({"client_id": "00000000-0000-0000-0000-00000000dead"}, 400, "AADSTS700016"),
        ({"scope": "https://unknown.example/.default"}, 400, "AADSTS500011"),
        ({"grant_type": "authorization_code"}, 400, "AADSTS70003"),
        (
            {
                "grant_type": "password",
                "client_id": ids.AZURE_CLI_CLIENT_ID,
                "username": ids.ADMIN_UPN,
                "password": "x",
            },
            400,
            "AADSTS50126",
        ),
        (
            {"grant_type": "refresh_token", "client_id": ids.AZURE_CLI_CLIENT_ID, "refresh_token": "x.y.z"},
            400,
            "AADSTS70008",
        ),
    ],
)
def test_token_errors_carry_their_aadsts_code(twin, overrides, status, code):
    response = twin.call(
        ids.LOGIN_HOST, "POST", f"/{ids.TENANT_ID}/oauth2/v2.0/token", data=token_form(twin, **overrides)
    )
    assert response.status_code == status
    assert response.get_json()["error_description"].startswith(code)


def test_tokens_stay_valid_across_a_twin_restart(tmp_path):
    before = AzureTwin(tmp_path)
    token = before.token("https://graph.microsoft.com/.default")
    after = AzureTwin(tmp_path)  # a new process over the same state directory
    assert after.call(ids.GRAPH_HOST, "GET", "/v1.0/organization", token=token).status_code == 200
    other = AzureTwin(tmp_path / "elsewhere")
    assert other.call(ids.GRAPH_HOST, "GET", "/v1.0/organization", token=token).status_code == 401
