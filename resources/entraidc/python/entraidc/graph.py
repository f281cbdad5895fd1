"""Microsoft Graph client: bearer token from azure-identity, paging, throttling and replication retries.

Reference: https://learn.microsoft.com/graph/use-the-api (base URL), /graph/paging
(@odata.nextLink), /graph/throttling (429 + Retry-After), /graph/errors (error body
{"error": {"code", "message", "innerError"}}).
"""

import os
from urllib.parse import quote, urlencode, urljoin

import requests

from . import output
from .azure_auth import TokenSource, scope_for
from .errors import GraphError
from .retry import RetryPolicy, send

DEFAULT_GRAPH_URL = "https://graph.microsoft.com/v1.0"
# What Graph answers (400 Request_BadRequest) when an object named in the body of a reference update
# (a new user assigned to an app, a new policy linked) has not replicated yet: Microsoft's "Set up
# Microsoft Entra ID for client authentication" (Service Fabric), troubleshooting Request_BadRequest.
NOT_REPLICATED_REFERENCE = "Not a valid reference update"


def _error_of(response: requests.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "NoErrorBody", (response.text or "")[:200]
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return str(error.get("code") or "Unknown"), str(error.get("message") or "")[:300]
    return "Unknown", str(body)[:200]


def not_replicated(response: requests.Response) -> bool:
    """A just-created object that Graph does not see yet: 404, or the 400 of a reference update."""
    if response.status_code == 404:
        return True
    return response.status_code == 400 and NOT_REPLICATED_REFERENCE in _error_of(response)[1]


class GraphClient:
    def __init__(
        self,
        base_url: str | None = None,
        tokens: TokenSource | None = None,
        policy: RetryPolicy | None = None,
        session: requests.Session | None = None,
    ):
        self.base_url = (base_url or os.environ.get("ENTRAIDC_GRAPH_URL") or DEFAULT_GRAPH_URL).rstrip("/")
        self.scope = os.environ.get("ENTRAIDC_GRAPH_SCOPE") or scope_for(self.base_url)
        self.tokens = tokens or TokenSource()
        self.policy = policy or RetryPolicy.from_env()
        self.session = session or requests.Session()
        self.timeout = float(os.environ.get("ENTRAIDC_HTTP_TIMEOUT", "60"))

    def url(self, path: str) -> str:
        if path.startswith("https://") or path.startswith("http://"):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        json=None,
        params=None,
        retry_not_found: bool = False,
        allow_not_found: bool = False,
        headers: dict | None = None,
    ):
        """One Graph call. Returns the decoded JSON body (None for 204, or for 404 when allowed)."""
        url = self.url(path)
        if params:
            # Spaces as %20, not "+": OData query options are read literally by some Graph services.
            url += ("&" if "?" in url else "?") + urlencode(params, quote_via=quote, safe="$'(),")
        call = f"{method} {path.split('?')[0]}"

        def do_request():
            merged = {
                "Authorization": f"Bearer {self.tokens.token(self.scope)}",
                "Accept": "application/json",
            }
            merged.update(headers or {})
            return self.session.request(method, url, json=json, headers=merged, timeout=self.timeout)

        def on_retry(response, delay):
            status = response.status_code if response is not None else "connection error"
            output.log("azure-id", f"{call}: {status}, retrying in {delay:.1f}s")

        response = send(
            do_request,
            self.policy,
            retry_not_found=retry_not_found,
            on_retry=on_retry,
            not_found=not_replicated,
        )
        if response.status_code == 404 and allow_not_found:
            return None
        if response.status_code >= 400:
            code, detail = _error_of(response)
            raise GraphError(call, response.status_code, code, detail)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return response.text

    def get(self, path, params=None, **kwargs):
        return self.request("GET", path, params=params, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, json=body if body is not None else {}, **kwargs)

    def patch(self, path, body, **kwargs):
        return self.request("PATCH", path, json=body, **kwargs)

    def put(self, path, body, **kwargs):
        return self.request("PUT", path, json=body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, allow_not_found=True, **kwargs)

    def list(self, path, params=None, **kwargs):
        """All items of a collection, following @odata.nextLink."""
        page = self.get(path, params=params, **kwargs)
        while page:
            yield from page.get("value", [])
            next_link = page.get("@odata.nextLink")
            if not next_link:
                return
            page = self.get(urljoin(self.url(path), next_link), **kwargs)
