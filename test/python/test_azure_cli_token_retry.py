"""TokenSource asks the Azure CLI again when its token request fails: az (MSAL) does not retry a
429/5xx from the token endpoint and azure-identity's AzureCliCredential runs az once, reporting the
failure as "Please run 'az login'". A stand-in `az` on PATH fails the first N calls as azure-cli
2.91.0 does on an MSAL error (aad_error_handler: the description, then the `az login` hint)."""

import json
import os
import stat
import time

import pytest
from azure.identity import AzureCliCredential
from entraidc.azure_auth import CLI_RETRY_DELAYS, TokenSource
from entraidc.errors import InputError

FAKE_AZ = """#!/bin/sh
n=$(cat "{count}" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "{count}"
if [ "$n" -le {failures} ]; then
  echo "ERROR: Too many requests; retry after the given delay" >&2
  echo "Run the command below to authenticate interactively; additional arguments may be added as needed:" >&2
  echo "az login" >&2
  exit 1
fi
echo '{token}'
"""


def _tokens(tmp_path, monkeypatch, failures):
    count = tmp_path / "calls"
    token = json.dumps({"accessToken": "header.payload.sig", "expires_on": int(time.time()) + 3600})
    az = tmp_path / "az"
    az.write_text(FAKE_AZ.format(count=count, failures=failures, token=token))
    az.chmod(az.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    waits = []
    source = TokenSource(AzureCliCredential(process_timeout=10), sleep=waits.append)
    return source, count, waits


def test_a_failed_azure_cli_token_request_is_asked_again(tmp_path, monkeypatch, capsys):
    source, count, waits = _tokens(tmp_path, monkeypatch, failures=1)
    assert source.token("https://management.azure.com/.default") == "header.payload.sig"
    assert count.read_text().strip() == "2"
    assert waits == [5.0]
    assert "Azure CLI token for https://management.azure.com/.default" in capsys.readouterr().err


def test_a_missing_azure_cli_login_still_fails_after_the_attempts(tmp_path, monkeypatch):
    source, count, waits = _tokens(tmp_path, monkeypatch, failures=len(CLI_RETRY_DELAYS) + 1)
    with pytest.raises(InputError, match="no usable Azure login for azure-id .*Run 'az login'"):
        source.token("https://graph.microsoft.com/.default")
    assert count.read_text().strip() == "3"
    assert waits == [5.0, 10.0]
