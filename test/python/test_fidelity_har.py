"""./lab fidelity har FILE against HAR files recorded from the twin's own console traffic: a faithful
recording matches, an altered one names the mismatch, and no secret of the recording is printed."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from entraidc.aws import ACCOUNTS, identity_center_instance, session
from entraidc.aws_console_api import ConsoleApi

REPO = Path(__file__).resolve().parents[2]


def _har_entry(response: requests.Response) -> dict:
    request = response.request
    body = request.body.decode() if isinstance(request.body, bytes) else request.body or ""
    return {
        "request": {
            "method": request.method,
            "url": request.url,
            "headers": [{"name": k, "value": v} for k, v in request.headers.items()],
            "postData": {"mimeType": request.headers.get("Content-Type", ""), "text": body},
        },
        "response": {
            "status": response.status_code,
            "headers": [{"name": k, "value": v} for k, v in response.headers.items()],
            "content": {"mimeType": response.headers.get("Content-Type", ""), "text": response.text},
        },
    }


@pytest.fixture
def recording(twin_environ, twin_reset, tmp_path):
    """The tutorial's console steps through ConsoleApi against the twin, recorded as a browser would."""
    entries: list[dict] = []
    http = requests.Session()
    http.hooks["response"].append(lambda r, *a, **k: entries.append(_har_entry(r)))
    acct = ACCOUNTS["aws-govcloud"]
    sess = session(acct)
    store = identity_center_instance(acct, sess).identity_store_id
    console = ConsoleApi(acct, sess, http=http)
    console.download_service_provider_metadata(store)
    console.list_external_identity_providers(store)
    tenant = console.enable_automatic_provisioning(store)
    console.automatic_provisioning_status(store)
    token = console.generate_access_token(store, tenant["TenantId"])
    console.list_access_tokens(store, tenant["TenantId"])
    console.delete_access_token(store, tenant["TenantId"], token["TokenId"])
    console.disable_automatic_provisioning(store, tenant["TenantId"])
    path = tmp_path / "console.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    secrets = [token["Token"]] + [h["value"] for e in entries for h in e["request"]["headers"]
                                   if h["name"] == "Authorization"]
    return path, secrets


def _check(path: Path, via_lab: bool = False) -> subprocess.CompletedProcess:
    command = [str(REPO / "lab"), "fidelity", "har", str(path)] if via_lab else [
        sys.executable, str(REPO / "tools/fidelity_har.py"), str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_a_recording_of_the_twin_matches_and_prints_no_secret(recording):
    path, secrets = recording
    done = _check(path, via_lab=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "8 exchange(s), 0 mismatch(es)" in done.stdout
    assert "CreateBearerToken (HTTP 200)" in done.stdout
    assert "response BearerToken.Token: match" in done.stdout
    for secret in secrets:
        assert secret not in done.stdout + done.stderr


def test_an_altered_recording_names_the_mismatch(recording):
    path, secrets = recording
    har = json.loads(path.read_text())
    for entry in har["log"]["entries"]:
        content = entry["response"]["content"]
        content["text"] = content["text"].replace('"ScimEndpoint"', '"ScimEndpointUrl"')
        content["text"] = content["text"].replace('"TokenId": "', '"TokenId": 7, "x": "')
    path.write_text(json.dumps(har))
    done = _check(path)
    assert done.returncode == 1, done.stdout
    assert "MISMATCH response ProvisioningTenants[].ScimEndpoint: missing" in done.stdout
    assert "MISMATCH response ProvisioningTenant.ScimEndpoint: missing" in done.stdout
    assert "MISMATCH response BearerToken.TokenId: type number, the project expects string" in done.stdout
    for secret in secrets:
        assert secret not in done.stdout + done.stderr


def test_a_file_without_console_calls_is_bad_input(tmp_path):
    empty = tmp_path / "empty.har"
    empty.write_text(json.dumps({"log": {"entries": []}}))
    assert _check(empty).returncode == 2
    (tmp_path / "broken.har").write_text("{")
    assert _check(tmp_path / "broken.har").returncode == 2
