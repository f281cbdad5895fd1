"""Tokens for azure-id: client credentials when AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET
are set (the twin, or a service principal), otherwise the agent's Azure CLI login."""

import base64
import json
import os
import time
from urllib.parse import urlsplit

from azure.core.exceptions import ClientAuthenticationError
from azure.identity import AzureCliCredential, EnvironmentCredential

from . import output
from .errors import InputError

_CLIENT_SECRET_VARS = ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET")
# The Azure CLI asks Entra for a token once: a 429 or 5xx fails the command (MSAL Python leaves retries
# to the application, "Handle errors and exceptions in MSAL for Python"; msal 1.39.0 application.py
# mounts HTTPAdapter(max_retries=1), which urllib3 never applies to a POST's status, and
# throttled_http_client.py answers the same request with the cached 429 until Retry-After has passed),
# and azure-identity 1.27.0's AzureCliCredential runs it once, reporting a failure whose message says
# "az login" as not logged in. So the CLI is asked again before the login counts as missing, after
# MSAL's own replay of a 429/5xx without Retry-After (5 s for a service principal) has passed.
CLI_RETRY_DELAYS = (5.0, 10.0)
CLI_NOT_FOUND = "Azure CLI not found on path"  # azure-identity 1.27.0 azure_cli.py: no `az` to ask again


def make_credential():
    if all(os.environ.get(name) for name in _CLIENT_SECRET_VARS):
        # EnvironmentCredential also honours AZURE_AUTHORITY_HOST (the twin's login endpoint).
        return EnvironmentCredential()
    return AzureCliCredential(process_timeout=30)


def scope_for(resource_url: str) -> str:
    """The ".default" scope of the resource that serves ``resource_url``."""
    parts = urlsplit(resource_url)
    return f"{parts.scheme}://{parts.netloc}/.default"


class TokenSource:
    """Caches one credential and hands out bearer tokens per scope (refreshing when near expiry)."""

    def __init__(self, credential=None, sleep=time.sleep):
        self._credential = credential
        self._sleep = sleep
        self._tokens: dict[str, object] = {}

    def _get_credential(self):
        if self._credential is None:
            self._credential = make_credential()
        return self._credential

    def token(self, scope: str) -> str:
        cached = self._tokens.get(scope)
        if cached is not None and cached.expires_on - 120 > time.time():
            return cached.token
        try:
            access = self._fetch(scope)
        except ClientAuthenticationError as exc:
            raise InputError(
                f"no usable Azure login for azure-id ({_first_line(exc)}). Run 'az login' on the agent "
                "(or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET).",
                account="azure-id",
            ) from None
        self._tokens[scope] = access
        return access.token

    def _fetch(self, scope: str):
        credential = self._get_credential()
        delays = CLI_RETRY_DELAYS if isinstance(credential, AzureCliCredential) else ()
        for delay in delays:
            try:
                return credential.get_token(scope)
            except ClientAuthenticationError as exc:
                if str(exc) == CLI_NOT_FOUND:
                    raise
                why = _first_line(exc)
                output.log("azure-id", f"Azure CLI token for {scope}: {why}; retrying in {delay:.1f}s")
                self._sleep(delay)
        return credential.get_token(scope)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def token_claims(token: str) -> dict:
    """The claims of one of our own access tokens (read, not verified: the resource verifies it)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
