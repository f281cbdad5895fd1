"""Tokens for azure-id: client credentials when AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET
are set (the twin, or a service principal), otherwise the agent's Azure CLI login."""

import base64
import json
import os
import time
from urllib.parse import urlsplit

from azure.core.exceptions import ClientAuthenticationError
from azure.identity import AzureCliCredential, EnvironmentCredential

from .errors import InputError

_CLIENT_SECRET_VARS = ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET")


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

    def __init__(self, credential=None):
        self._credential = credential
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
            access = self._get_credential().get_token(scope)
        except ClientAuthenticationError as exc:
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(
                f"no usable Azure login for azure-id ({first_line}). Run 'az login' on the agent "
                "(or set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET).",
                account="azure-id",
            ) from None
        self._tokens[scope] = access
        return access.token


def token_claims(token: str) -> dict:
    """The claims of one of our own access tokens (read, not verified: the resource verifies it)."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
