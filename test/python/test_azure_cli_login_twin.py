"""The real Azure CLI logs in to the twin, unmodified, as a service principal and as a user, and
the automation runs on that login through azure-identity's AzureCliCredential (as on an agent).

References: Azure CLI "az login" (--service-principal; -u/-p password grant), "az account show",
"az account get-access-token"; "Access token claims reference" (roles for app-only tokens, scp for
delegated ones)."""

import json

import pytest
from azure_cli import AzureCli
from entraidc.azure_auth import token_claims
from lab import Lab

from twin.azure import catalogue, ids
from twin.azure.login.user_grants import AZURE_CLI_GRAPH_SCOPES


@pytest.fixture
def cli(twin_environ, twin_reset, tmp_path):
    return AzureCli(twin_environ, tmp_path / "azure-cli")


def graph_claims(cli) -> dict:
    answer = json.loads(
        cli.az("account", "get-access-token", "--resource", "https://graph.microsoft.com", "-o", "json")
    )
    return token_claims(answer["accessToken"])


def test_service_principal_login_gives_app_only_tokens_with_the_granted_roles(cli):
    (subscription,) = cli.login_service_principal()
    assert (
        subscription["name"] == ids.SUBSCRIPTION_NAME and subscription["user"]["type"] == "servicePrincipal"
    )
    shown = json.loads(cli.az("account", "show", "-o", "json"))
    assert shown["id"] == ids.SUBSCRIPTION_ID and shown["tenantId"] == ids.TENANT_ID
    claims = graph_claims(cli)
    assert claims["idtyp"] == "app" and sorted(claims["roles"]) == sorted(catalogue.AUTOMATION_GRANTS)


def test_user_login_gives_delegated_tokens_with_the_azure_cli_scopes(cli):
    (subscription,) = cli.login_user()
    assert subscription["user"] == {"name": ids.ADMIN_UPN, "type": "user"}
    claims = graph_claims(cli)
    assert claims["idtyp"] == "user" and claims["upn"] == ids.ADMIN_UPN and "roles" not in claims
    assert claims["scp"] == AZURE_CLI_GRAPH_SCOPES and "Synchronization" not in claims["scp"]


def test_a_user_login_passes_the_saml_preflight_and_stops_scim_enable_before_any_change(cli, twin_admin):
    cli.login_user()
    lab = Lab(cli.twin_env, run_env=cli.env)
    assert lab.run(["--json", "preflight", "--phase", "saml"])["azureLogin"]["appOnly"] is False
    before = json.dumps(twin_admin("GET", "/inventory")[1], sort_keys=True)
    refused = lab.run(["--json", "scim-enable"], expect=2)
    assert (
        "needs the Azure CLI logged in as a service principal (`az login --service-principal`)"
        in refused["error"]
    )
    assert (
        "Synchronization.ReadWrite.All" in refused["error"]
        and "Policy.ReadWrite.ApplicationConfiguration" in refused["error"]
    )
    assert (
        "Probe: listing synchronization jobs answered HTTP 403 Authorization_RequestDenied"
        in refused["error"]
    )
    assert json.dumps(twin_admin("GET", "/inventory")[1], sort_keys=True) == before


def test_after_the_saml_phase_a_user_login_scim_enable_changes_nothing(cli, twin_environ, twin_admin):
    """Where scim-enable would otherwise change both sides before its first synchronization call
    (provisioning tenant and SCIM token in Identity Center, token in Secrets Manager, assignments):
    the SAML phase done by the service principal, RichRoe and his assignments as entraScimEnable's
    first apply leaves them."""
    Lab(twin_environ).saml_phase(["aws-commercial"], with_rich=True)
    cli.login_user()
    lab = Lab(cli.twin_env, run_env=cli.env)
    before = json.dumps(twin_admin("GET", "/inventory")[1], sort_keys=True)
    refused = lab.run(["--json", "scim-enable", "--account", "aws-commercial"], expect=2)
    assert "needs the Azure CLI logged in as a service principal" in refused["error"]
    assert json.dumps(twin_admin("GET", "/inventory")[1], sort_keys=True) == before


def test_a_user_login_runs_the_saml_phase_commands(cli):
    """The user's directory roles (Application Administrator, User Administrator) and the CLI's
    delegated scopes are what creating users and the gallery app needs."""
    cli.login_user()
    lab = Lab(cli.twin_env, run_env=cli.env)
    assert lab.users("create", "NikkiWolf")["changed"] is True
    assert lab.app("create", "aws-commercial")["changed"] is True
    assert lab.assign("create", "NikkiWolf", "aws-commercial")["changed"] is True
