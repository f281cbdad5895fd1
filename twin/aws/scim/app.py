"""The SCIM 2.0 WSGI app for https://scim.<region>.amazonaws.com/<tenantId>/scim/v2/.

Bearer tokens are the ones CreateBearerToken issued for that tenant (RFC 6750; IAM Identity
Center answers 401 for a missing or wrong token or tenant). Fault rules use service ``scim``
and operations ``<METHOD> /<Resource>``, e.g. ``POST /Users``, ``PATCH /Groups``.
"""

import hmac
import json
import re
import time
from typing import Any

from werkzeug.wrappers import Request

from twin.aws.scim import discovery, errors, groups, users
from twin.aws.scim.common import LIST_SCHEMA, page
from twin.aws.scim.errors import ScimError
from twin.aws.state import AwsState, Directory
from twin.core import faults as fault_styles
from twin.core.faults import Faults

PATH = re.compile(r"^/(?P<tenant>[^/]+)/scim/v2/(?P<resource>[^/]*)(?:/(?P<id>.+?))?/?$")
UNSUPPORTED = {"Bulk", "Me", ".search"}


class ScimApp:
    def __init__(self, state: AwsState, faults: Faults) -> None:
        self.state, self.faults = state, faults

    def __call__(self, environ: dict[str, Any], start_response):
        request = Request(environ)
        status, payload, extra_headers = self._handle(request)
        body = b"" if payload is None else json.dumps(payload).encode()
        headers = [
            ("Content-Type", "application/json"),
            ("x-amzn-RequestId", errors.request_id()),
            ("Content-Length", str(len(body))),
        ] + extra_headers
        start_response(status, headers)
        return [body]

    def _handle(self, request: Request) -> tuple[str, dict | None, list]:
        match = PATH.match(request.path)
        try:
            if not match:
                raise ScimError(404, f"No SCIM endpoint at {request.path}")
            header = request.headers.get("Authorization", "")
            directory = self._authorize(match["tenant"], header, request.host)
            operation = f"{request.method} /{match['resource']}"
            rule = self.faults.check("scim", operation)
            if rule and rule.kind not in fault_styles.SERVED_KINDS:
                status, headers, body = fault_styles.render(rule, "scim")
                return status, json.loads(body), [(k, v) for k, v in headers if k == "Retry-After"]
            if match["id"] and self.faults.hidden("scim", operation, [match["id"]]):
                raise ScimError(404, f"{match['resource'].rstrip('s')} not found: {match['id']}")
            base_url = f"https://{request.host}/{match['tenant']}/scim/v2/"
            with self.state.lock:
                status, payload = self._route(request, directory, match["resource"], match["id"], base_url)
            if request.method == "POST" and payload and payload.get("id"):
                self.faults.record_created("scim", [payload["id"]])
            return status, payload, fault_styles.closing_headers(rule)
        except ScimError as e:
            return f"{e.status} {_phrase(e.status)}", errors.body(e), []

    def _authorize(self, tenant_id: str, header: str, host: str) -> Directory:
        found = self.state.tenant(tenant_id)
        scheme, _, token = header.partition(" ")
        # A tenant lives at the endpoint the service gave for it (ScimEndpoint), not on every SCIM host.
        elsewhere = found is not None and not found[1].scim_endpoint.startswith(f"https://{host.split(':')[0]}/")
        if found is None or elsewhere or scheme.lower() != "bearer" or not token:
            raise ScimError(401, "Authorization header is invalid or missing, or the tenant ID is incorrect")
        directory, tenant = found
        now = time.time()
        for candidate in tenant.tokens.values():
            if hmac.compare_digest(candidate.secret, token.strip()) and candidate.expiration_time > now:
                return directory
        raise ScimError(401, "Authorization header is invalid or missing, or the tenant ID is incorrect")

    def _route(
        self, request: Request, directory: Directory, resource: str, resource_id: str | None, base_url: str
    ) -> tuple[str, dict | None]:
        method = request.method
        if resource == "ServiceProviderConfig" and method == "GET":
            return "200 OK", discovery.service_provider_config()
        if resource in ("ServiceProviderConfig", "Schemas", "ResourceTypes") and method != "GET":
            raise ScimError(405, f"/{resource} is read-only")
        if resource in ("Schemas", "ResourceTypes") and method == "GET":
            items = (
                discovery.schemas(base_url) if resource == "Schemas" else discovery.resource_types(base_url)
            )
            if resource_id:
                found = next((i for i in items if i["id"] == resource_id), None)
                if found is None:
                    raise ScimError(404, f"{resource[:-1]} not found: {resource_id}")
                return "200 OK", found
            return "200 OK", {
                "schemas": [LIST_SCHEMA],
                "totalResults": len(items),
                "itemsPerPage": len(items),
                "startIndex": 1,
                "Resources": items,
            }
        if resource == "Users":
            return self._users(request, directory, resource_id, base_url)
        if resource == "Groups":
            return self._groups(request, directory, resource_id, base_url)
        if resource in UNSUPPORTED:
            raise ScimError(400, f"/{resource} is not supported by IAM Identity Center", "invalidSyntax")
        raise ScimError(404, f"No SCIM endpoint at {request.path}")

    def _users(self, request: Request, directory: Directory, user_id: str | None, base_url: str):
        state, method = self.state, request.method
        render = lambda user: users.render(state, directory, user, base_url)  # noqa: E731
        if method == "GET" and not user_id:
            found = users.search(state, directory, request.args.get("filter"))
            return "200 OK", page([render(u) for u in found], request.args)
        if method == "POST" and not user_id:
            return "201 Created", render(users.create(state, directory, _json(request)))
        if not user_id:
            raise ScimError(400, f"{method} /Users is not supported", "invalidSyntax")
        if method == "GET":
            return "200 OK", render(users.get(directory, user_id))
        if method == "PUT":
            return "200 OK", render(users.replace(state, directory, user_id, _json(request)))
        if method == "PATCH":
            return "200 OK", render(users.patch(state, directory, user_id, _json(request), base_url))
        if method == "DELETE":
            users.delete(state, directory, user_id)
            return "204 No Content", None
        raise ScimError(400, f"{method} /Users/{{id}} is not supported", "invalidSyntax")

    def _groups(self, request: Request, directory: Directory, group_id: str | None, base_url: str):
        state, method = self.state, request.method
        render = lambda group: groups.render(state, directory, group, base_url)  # noqa: E731
        if method == "GET" and not group_id:
            found = groups.search(state, directory, request.args.get("filter"))
            return "200 OK", page([render(g) for g in found], request.args)
        if method == "POST" and not group_id:
            return "201 Created", render(groups.create(state, directory, _json(request)))
        if not group_id:
            raise ScimError(400, f"{method} /Groups is not supported", "invalidSyntax")
        if method == "GET":
            return "200 OK", render(groups.get(directory, group_id))
        if method == "PATCH":
            groups.patch(state, directory, group_id, _json(request), base_url)
            return "204 No Content", None
        if method == "DELETE":
            groups.delete(state, directory, group_id)
            return "204 No Content", None
        raise ScimError(
            400, f"{method} /Groups/{{id}} is not supported by IAM Identity Center", "invalidSyntax"
        )


def _json(request: Request) -> Any:
    try:
        return json.loads(request.get_data() or b"null")
    except ValueError:
        raise ScimError(400, "The request body is not valid JSON", "invalidSyntax") from None


def _phrase(status: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(status).phrase
