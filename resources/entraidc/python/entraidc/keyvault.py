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
from .keyvault_rbac import RbacPropagation
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

        # A secret recreated while its purge completes answers 409 ObjectIsBeingDeleted, "retry later":
        # waited out like a replication delay (Key Vault has no API to poll a purge).
        being_purged = _being_purged if method == "PUT" else None

        def send_once():
            return send(
                do_request,
                self.policy,
                retry_not_found=retry_not_found or being_purged is not None,
                on_retry=on_retry,
                not_found=being_purged,
            )

        response = send_once()
        if _forbidden_by_rbac(response):
            waited = self._wait_for_rbac(send_once)
            response = response if waited is None else waited  # (a Response is falsy when not ok)
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            try:
                error = response.json().get("error", {})
            except ValueError:
                error = {}
            detail = str(error.get("message", ""))[:300]
            if _forbidden_by_rbac(response):
                detail = (
                    f"{detail.splitlines()[0] if detail else ''} ({getattr(self, 'rbac_finding', '')}). "
                    "Grant the caller Key Vault Secrets Officer on the vault (the module does, as "
                    "azurerm_role_assignment.caller_secrets_officer)"
                )
            raise GraphError(
                f"Key Vault {method} {path}", response.status_code, str(error.get("code", "Unknown")), detail
            )
        return response.json() if response.content else {}

    def _wait_for_rbac(self, send_again):
        """Retries a ForbiddenByRbac answer while the caller's role assignment on this vault is still
        within its propagation window; None when it is not (the 403 is then final)."""
        left, seen = RbacPropagation(self.vault_uri, self.tokens, self.session).remaining()
        if left <= 0:
            self.rbac_finding = seen
            return None
        output.log("azure-id", f"Key Vault RBAC: {seen}, not in effect yet; waiting up to {left:.0f}s")
        deadline = self.policy.clock() + left
        attempt = 0
        while True:
            delay = self.policy.backoff(attempt)
            if self.policy.clock() + delay > deadline:
                return None
            self.policy.sleep(delay)
            response = send_again()
            if not _forbidden_by_rbac(response):
                output.log("azure-id", "Key Vault RBAC: the role assignment is in effect")
                return response
            attempt += 1

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


def _inner_code(response: requests.Response) -> str:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        return ""
    return str((error.get("innererror") or {}).get("code") or "")


def _forbidden_by_rbac(response: requests.Response) -> bool:
    return response.status_code == 403 and _inner_code(response) == "ForbiddenByRbac"


def _being_purged(response: requests.Response) -> bool:
    """Azure/azure-sdk-for-net issue 34322: 409 Conflict, innererror ObjectIsBeingDeleted."""
    return response.status_code == 409 and _inner_code(response) == "ObjectIsBeingDeleted"
