"""Unmodified azure-identity gets tokens from the running twin (issue 4's "done when").

References: azure-identity ClientSecretCredential / EnvironmentCredential (AZURE_TENANT_ID,
AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST); MSAL Python authority.py
(login.microsoftonline.com is a well-known host: OIDC discovery at
/{tenant}/v2.0/.well-known/openid-configuration, no instance discovery); Microsoft identity
platform client credentials flow (AADSTS7000215 for a wrong secret).
"""

import pytest
import requests
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import ClientSecretCredential, EnvironmentCredential
from azure_live import AWS_TEMPLATE, LiveGraph


def test_environment_credential_gets_a_graph_token_and_lists_the_gallery_template(twin_environ):
    token = EnvironmentCredential().get_token("https://graph.microsoft.com/.default")
    assert token.token.count(".") == 2 and token.expires_on > 0
    templates = requests.get(
        f"{twin_environ['ENTRAIDC_GRAPH_URL']}/applicationTemplates",
        timeout=30,
        headers={"Authorization": f"Bearer {token.token}"},
    )
    assert templates.status_code == 200
    assert AWS_TEMPLATE in [t["displayName"] for t in templates.json()["value"]]


def test_client_secret_credential_gets_arm_and_vault_tokens(twin_environ):
    graph = LiveGraph(twin_environ)
    for scope in ("https://management.azure.com//.default", "https://vault.azure.net/.default"):
        assert graph.credential.get_token(scope).token
    subscription = requests.get(
        f"https://management.azure.com/subscriptions/{twin_environ['ARM_SUBSCRIPTION_ID']}",
        params={"api-version": "2022-12-01"},
        timeout=30,
        headers={
            "Authorization": "Bearer "
            + graph.credential.get_token("https://management.azure.com//.default").token
        },
    )
    assert subscription.json()["displayName"] == "azure-identity-provider"


def test_a_wrong_client_secret_is_refused_with_the_aadsts_code(twin_environ):
    credential = ClientSecretCredential(
        twin_environ["AZURE_TENANT_ID"],
        twin_environ["AZURE_CLIENT_ID"],
        "not-the-secret",
        authority=twin_environ["AZURE_AUTHORITY_HOST"],
    )
    with pytest.raises(ClientAuthenticationError, match="AADSTS7000215"):
        credential.get_token("https://graph.microsoft.com/.default")


def test_twin_env_and_inventory_cover_the_azure_id_account(twin, twin_admin):
    for name in (
        "AZURE_AUTHORITY_HOST",
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "ARM_METADATA_HOSTNAME",
        "ARM_TENANT_ID",
        "ARM_CLIENT_ID",
        "ARM_CLIENT_SECRET",
        "ARM_SUBSCRIPTION_ID",
        "ENTRAIDC_GRAPH_URL",
    ):
        assert twin.get(name), name
    assert twin["ARM_CLIENT_SECRET"] == twin["AZURE_CLIENT_SECRET"]
    status, inventory = twin_admin("GET", "/inventory")
    assert status == 200
    assert {"users", "applications", "servicePrincipals", "keyVaults", "roleAssignments"} <= set(
        inventory["azure-id"]
    )
