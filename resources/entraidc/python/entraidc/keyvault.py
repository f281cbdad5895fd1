"""Key Vault secrets data plane over REST, with a token for the vault scope.

Reference: https://learn.microsoft.com/rest/api/keyvault/secrets (api-version 7.4):
PUT /secrets/{name} {"value", "tags", "contentType"}; GET /secrets/{name};
DELETE /secrets/{name} (soft delete); GET /deletedsecrets/{name}; DELETE /deletedsecrets/{name} (purge).
"""

import os

import requests

from . import output
from .azure_auth import TokenSource
from .errors import GraphError, InputError
from .retry import RetryPolicy, send

API_VERSION = "7.4"
VAULT_SCOPE = "https://vault.azure.net/.default"


class KeyVault:
    def __init__(
        self,
        vault_uri: str | None,
        tokens: TokenSource,
        policy: RetryPolicy | None = None,
        session: requests.Session | None = None,
    ):
        vault_uri = vault_uri or os.environ.get("ENTRAIDC_KEY_VAULT_URI")
        if not vault_uri:
            raise InputError(
                "ENTRAIDC_KEY_VAULT_URI is not set: the Terraform module passes the vault URI "
                "(output azure_id.key_vault_uri).",
                account="azure-id",
            )
        self.vault_uri = vault_uri.rstrip("/")
        self.tokens = tokens
        self.scope = os.environ.get("ENTRAIDC_KEY_VAULT_SCOPE") or VAULT_SCOPE
        self.policy = policy or RetryPolicy.from_env()
        self.session = session or requests.Session()

    def _call(self, method: str, path: str, body=None, retry_not_found=False):
        url = f"{self.vault_uri}/{path}?api-version={API_VERSION}"

        def do_request():
            return self.session.request(
                method,
                url,
                json=body,
                timeout=60,
                headers={"Authorization": f"Bearer {self.tokens.token(self.scope)}"},
            )

        def on_retry(response, delay):
            status = response.status_code if response is not None else "connection error"
            output.log("azure-id", f"Key Vault {method} {path}: {status}, retrying in {delay:.1f}s")

        response = send(do_request, self.policy, retry_not_found=retry_not_found, on_retry=on_retry)
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            try:
                error = response.json().get("error", {})
            except ValueError:
                error = {}
            raise GraphError(
                f"Key Vault {method} {path}",
                response.status_code,
                str(error.get("code", "Unknown")),
                str(error.get("message", ""))[:300],
            )
        return response.json() if response.content else {}

    def set_secret(self, name: str, value: str, tags: dict[str, str], content_type: str = "") -> dict:
        output.secret(value)
        body = {"value": value, "tags": tags}
        if content_type:
            body["contentType"] = content_type
        answer = self._call("PUT", f"secrets/{name}", body) or {}
        answer.pop("value", None)
        return answer

    def get_secret(self, name: str) -> dict | None:
        answer = self._call("GET", f"secrets/{name}")
        if answer and answer.get("value"):
            output.secret(answer["value"])
        return answer

    def delete_and_purge_secret(self, name: str) -> bool:
        """Deletes then purges, so the name is free at once. True when something was deleted."""
        deleted = self._call("DELETE", f"secrets/{name}") is not None
        # The purge is possible only once the soft delete has completed (it can take a moment).
        if self._call("GET", f"deletedsecrets/{name}", retry_not_found=deleted) is not None:
            self._call("DELETE", f"deletedsecrets/{name}")
            return True
        return deleted
