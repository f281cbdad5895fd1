"""A small Azure Resource Manager client: GET with paging, DELETE and POST that wait for the
long-running operation, each call retried on throttling and transient 5xx (retry.py).

Long-running operations follow "Track asynchronous Azure operations" (learn.microsoft.com/azure/
azure-resource-manager/management/async-operations): a 201/202 answer names an
Azure-AsyncOperation URL (poll until its status is Succeeded, Failed or Canceled) or a Location URL
(poll until it stops answering 202), honouring Retry-After.
"""

import os
import time
from urllib.parse import quote

import requests

from . import output
from .azure_auth import TokenSource
from .errors import GraphError, InputError
from .retry import RetryPolicy, retry_after_seconds, send

ARM_URL = "https://management.azure.com"
SUBSCRIPTION_NAME = "azure-identity-provider"  # the design's azure-id subscription (locals.tf)
OPERATION_LIMIT_SECONDS = 1800.0  # a resource group with a vault in it deletes in minutes


class ArmClient:
    def __init__(self, tokens: TokenSource, session: requests.Session | None = None, policy=None):
        self.tokens = tokens
        self.session = session or requests.Session()
        self.policy = policy or RetryPolicy.from_env()
        self.url = (os.environ.get("ENTRAIDC_ARM_URL") or ARM_URL).rstrip("/")
        self.operation_limit = float(
            os.environ.get("ENTRAIDC_ARM_OPERATION_LIMIT") or OPERATION_LIMIT_SECONDS
        )

    def _send(self, method: str, url: str) -> requests.Response:
        def do_request():
            token = self.tokens.token(f"{self.url}/.default")
            return self.session.request(method, url, headers={"Authorization": f"Bearer {token}"}, timeout=60)

        def on_retry(response, delay):
            status = response.status_code if response is not None else "connection error"
            output.log("azure-id", f"ARM {method} {url.split('?')[0]}: {status}, retrying in {delay:.1f}s")

        response = send(do_request, self.policy, on_retry=on_retry)
        if response.status_code >= 400 and response.status_code != 404:
            try:
                error = response.json().get("error", {})
            except ValueError:
                error = {}
            raise GraphError(
                f"ARM {method} {url.split('?')[0].removeprefix(self.url)}",
                response.status_code,
                str(error.get("code", "Unknown")),
                str(error.get("message", ""))[:300],
            )
        return response

    def _url(self, path: str, api_version: str, params: dict) -> str:
        query = "".join(f"&{k}={quote(str(v), safe='')}" for k, v in params.items())
        return f"{self.url}{path}?api-version={api_version}{query}"

    def get(self, path: str, api_version: str, **params) -> dict | None:
        """The resource, or None when ARM answers 404."""
        response = self._send("GET", self._url(path, api_version, params))
        return None if response.status_code == 404 else response.json()

    def list(self, path: str, api_version: str, **params) -> list[dict]:
        """Every item of a collection, following nextLink."""
        items, url = [], self._url(path, api_version, params)
        while url:
            response = self._send("GET", url)
            if response.status_code == 404:
                return items
            page = response.json()
            items.extend(page.get("value", []))
            url = page.get("nextLink")
        return items

    def delete(self, path: str, api_version: str) -> bool:
        """Deletes and waits for the operation; False when there was nothing to delete."""
        response = self._send("DELETE", self._url(path, api_version, {}))
        if response.status_code in (204, 404):
            return False
        self._wait(response, f"DELETE {path}")
        return True

    def post(self, path: str, api_version: str) -> None:
        """A POST action (such as a deleted vault's purge), waiting for its operation."""
        response = self._send("POST", self._url(path, api_version, {}))
        if response.status_code == 404:
            raise GraphError(f"ARM POST {path}", 404, "NotFound", "the resource is gone")
        self._wait(response, f"POST {path}")

    def _wait(self, response: requests.Response, what: str) -> None:
        deadline = time.monotonic() + self.operation_limit
        while response.status_code in (201, 202):
            status_url = response.headers.get("Azure-AsyncOperation")
            location = response.headers.get("Location")
            if not status_url and not location:
                return  # accepted without anything to poll: ARM documents nothing more to wait for
            if time.monotonic() > deadline:
                raise GraphError(
                    f"ARM {what}",
                    202,
                    "OperationTimedOut",
                    f"still running after {self.operation_limit:.0f}s",
                )
            self.policy.sleep(
                retry_after_seconds(response.headers.get("Retry-After")) or self.policy.base_delay
            )
            if status_url:
                state = self._send("GET", status_url).json().get("status", "")
                if state in ("Failed", "Canceled"):
                    raise GraphError(f"ARM {what}", 200, state, "the long-running operation did not succeed")
                if state == "Succeeded":
                    return
                continue
            response = self._send("GET", location)

    def subscription_id(self) -> str:
        """ARM_SUBSCRIPTION_ID (as the azurerm provider reads it), else the subscription named
        azure-identity-provider among those the caller sees."""
        chosen = os.environ.get("ARM_SUBSCRIPTION_ID") or os.environ.get("AZURE_SUBSCRIPTION_ID")
        if chosen:
            return chosen
        for sub in self.list("/subscriptions", "2022-12-01"):
            if sub.get("displayName") == SUBSCRIPTION_NAME:
                return sub["subscriptionId"]
        raise InputError(
            f"no Azure subscription named {SUBSCRIPTION_NAME} is visible to the signed-in identity: set "
            f"ARM_SUBSCRIPTION_ID or run az account set --subscription {SUBSCRIPTION_NAME}",
            account="azure-id",
        )
