"""Bad input and missing prerequisites: clear errors, exit status 2, and no call made."""

import pytest
from entraidc_cli import last_json, run
from loopback import LoopbackServer


@pytest.fixture
def graph():
    with LoopbackServer() as server:
        yield server


def base_env(server):
    return {
        "ENTRAIDC_GRAPH_URL": server.url + "/v1.0",
        "AZURE_TENANT_ID": "00000000-0000-0000-0000-000000000001",
        "AZURE_CLIENT_ID": "x",
        "AZURE_CLIENT_SECRET": "y",
        "AZURE_AUTHORITY_HOST": server.url,
        "ENTRAIDC_KEY_VAULT_URI": server.url + "/vault",
    }


@pytest.mark.parametrize(
    "command, variable",
    [
        ("entra-users", "ENTRAIDC_USER_NAME"),
        ("entra-app", "ENTRAIDC_ACCOUNT_NICKNAME"),
        ("entra-assign", "ENTRAIDC_SERVICE_PRINCIPAL_ID"),
        ("saml-federate", "ENTRAIDC_ACCOUNT_NICKNAME"),
    ],
)
def test_missing_input_is_named_before_any_call(graph, command, variable):
    done = run([command, "create"], base_env(graph), timeout=60)
    assert done.returncode == 2, done.stderr
    assert f"{variable} is not set" in done.stderr
    assert done.stderr.startswith("[entra-idc] ERROR:") or "ERROR:" in done.stderr
    assert last_json(done.stdout)["ok"] is False
    assert graph.requests == []


def test_invalid_values_are_rejected(graph):
    env = {**base_env(graph), "ENTRAIDC_USER_NAME": "Nikki Wolf; rm -rf", "ENTRAIDC_RESULT_SECRET_NAME": "s"}
    done = run(["entra-users", "create"], env, timeout=60)
    assert done.returncode == 2 and "ENTRAIDC_USER_NAME='Nikki Wolf; rm -rf' is not valid" in done.stderr
    env = {**base_env(graph), "ENTRAIDC_ACCOUNT_NICKNAME": "aws-china", "ENTRAIDC_TENANT_ID": "t"}
    done = run(["saml-federate", "destroy"], env, timeout=60)
    assert done.returncode == 2 and "unknown AWS account nickname 'aws-china'" in done.stderr
    assert graph.requests == []


def test_no_azure_login_is_a_clear_error(graph, tmp_path):
    # No client-credential variables and no Azure CLI on PATH: the agent's login is missing.
    env = {"ENTRAIDC_GRAPH_URL": graph.url + "/v1.0", "PATH": str(tmp_path), "HOME": str(tmp_path)}
    done = run(["--json", "preflight"], env, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "no usable Azure login" in done.stderr and "az login" in done.stderr
    assert graph.requests == []


def test_unknown_subcommand_and_account_are_usage_errors(graph):
    assert run(["frobnicate"], base_env(graph), timeout=60).returncode == 2
    done = run(["verify", "--account", "aws-china"], base_env(graph), timeout=60)
    assert done.returncode == 2 and "invalid choice: 'aws-china'" in done.stderr


def test_a_bad_console_endpoint_variable_stops_before_any_call(graph):
    env = {**base_env(graph), "ENTRAIDC_CONSOLE_ENDPOINT_AWS_GOVCLOUD": "ftp://up.sso.example/"}
    done = run(["--json", "preflight"], env, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "ENTRAIDC_CONSOLE_ENDPOINT_AWS_GOVCLOUD='ftp://up.sso.example/' is not an https URL" in done.stderr
    assert graph.requests == []
