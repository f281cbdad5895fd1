"""`twin inventory`, `status`, `env` and `start` as a user runs them."""

import json
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

import boto3
from twin_client import Scim, instance, scim_endpoint_and_token, scim_user

from twin.core import ca, hosts
from twin.core.context import TwinContext
from twin.core.server import CertificateReloader

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "twin", *args],
        cwd=ROOT,
        env=env,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=60,
        check=check,
    )


def inventory() -> dict:
    return json.loads(cli("inventory").stdout)


def test_inventory_groups_objects_by_account_and_forgets_deleted_ones(twin_environ, twin_reset):
    govcloud = boto3.Session(profile_name="aws-govcloud")
    arn = instance("aws-govcloud")["InstanceArn"]
    permission_set = govcloud.client("sso-admin").create_permission_set(Name="RegionalAdmin", InstanceArn=arn)
    scim = Scim(*scim_endpoint_and_token("aws-govcloud"))
    user = scim("POST", "Users", scim_user("inv@example.com", external_id="e-1")).json()
    before = inventory()
    assert set(before) >= {"aws-commercial", "aws-govcloud"}
    gov = before["aws-govcloud"]
    assert [p["Name"] for p in gov["permission_sets"]] == ["RegionalAdmin"]
    assert gov["identity_store_users"] == [
        {"UserId": user["id"], "UserName": "inv@example.com", "ExternalId": "e-1"}
    ]
    assert (
        len(gov["provisioning_tenants"]) == 1 and len(gov["provisioning_tenants"][0]["BearerTokenIds"]) == 1
    )
    assert (
        before["aws-commercial"]["permission_sets"] == []
        and before["aws-commercial"]["identity_store_users"] == []
    )
    govcloud.client("sso-admin").delete_permission_set(
        InstanceArn=arn, PermissionSetArn=permission_set["PermissionSet"]["PermissionSetArn"]
    )
    scim("DELETE", f"Users/{user['id']}")
    after = inventory()["aws-govcloud"]
    assert after["permission_sets"] == [] and after["identity_store_users"] == []


def test_start_is_idempotent_and_status_says_what_runs_where(twin):
    again = json.loads(cli("start").stdout)
    assert again["running"] is True and again["already"] is True
    status = json.loads(cli("status").stdout)
    assert "twin.aws" in status["sides"]
    assert {
        "sso.us-gov-west-1.amazonaws.com",
        "up.sso.us-east-1.amazonaws.com",
        "scim.us-gov-west-1.api.aws",
        "twin.internal",
    } <= set(status["hostnames"])
    assert set(status["hostnames"]) <= set(hosts.block_hostnames(Path("/etc/hosts")))


def test_env_exports_profiles_with_endpoint_url_and_ca_bundles(twin):
    lines = cli("env").stdout.splitlines()
    assert all(line.startswith("export ") for line in lines)
    for name in (
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "REQUESTS_CA_BUNDLE",
        "SSL_CERT_FILE",
        "AWS_CA_BUNDLE",
    ):
        assert name in twin
    config = Path(twin["AWS_CONFIG_FILE"]).read_text()
    assert (
        "[profile aws-govcloud]\nregion = us-gov-west-1\nendpoint_url = https://aws.twin.internal" in config
    )
    assert "[profile aws-commercial]\nregion = us-east-1\n" in config
    context = ssl.create_default_context(cafile=twin["SSL_CERT_FILE"])
    assert any(c["subject"] == ((("commonName", "entra-idc twin CA"),),) for c in context.get_ca_certs())


def test_a_stopped_twin_starts_in_under_ten_seconds(twin):
    cli("stop")
    try:
        began = time.monotonic()
        started = json.loads(cli("start").stdout)
        elapsed = time.monotonic() - began
        assert started["running"] is True and elapsed < 10, elapsed
    finally:
        cli("start")


def test_runtime_hostnames_reach_hosts_file_and_certificate(tmp_path, monkeypatch):
    monkeypatch.setenv("ENTRAIDC_TWIN_HOSTS_FILE", str(tmp_path / "hosts"))
    context = TwinContext(state_dir=tmp_path)
    context.router.add("*.vault.azure.net", lambda environ, start_response: [])
    reloader = CertificateReloader(context, ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER))
    reloader.load()
    context.on_new_hostname = reloader.on_new_hostname
    context.add_hostname("kv-entraidc-1.vault.azure.net")  # under the wildcard: no new certificate
    context.add_hostname("login.example.test")  # not covered: the certificate is reissued
    assert hosts.block_hostnames(tmp_path / "hosts") == [
        "kv-entraidc-1.vault.azure.net",
        "login.example.test",
    ]
    assert {"*.vault.azure.net", "login.example.test"} <= ca.server_cert_names(tmp_path)
