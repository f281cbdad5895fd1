"""Fault injection shared by every plugin: throttling, 5xx, eventual-consistency delay, a request
served twice, and a connection closed after its answer.

Rules are matched per service and operation (``*`` matches any). A plugin calls
``check(service, operation)`` before serving a request and renders a firing rule with
``render(rule, style)`` (a ``duplicate`` or ``close`` rule is served instead, see
``SERVED_KINDS``); for delay it calls ``record_created(service, ids)`` after creating
objects and ``hidden(service, operation, ids)`` before reading them (a new object then
answers "not found" for ``seconds`` after its creation, as eventual consistency does).
"""
import itertools
import json
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

# "duplicate": the twin serves the request twice and answers with the second answer. That is what a
# client sees when its SDK retried a request whose first answer it lost: aws-sdk-go-v2 retries a
# response body cut by net.ErrClosed (aws/aws-sdk-go-v2 PR #2949, issue #2737), including creates that
# are not idempotent, so the Terraform aws provider can get ConflictException for a create the service
# performed. The race that cuts the body is in the client (Go's writeLoop closing the connection while
# the SDK reads the answer); this kind makes its outcome deterministic for tests.
# "rename": the answer of a successful request has one member renamed (``member``, a path such as
# "SPConfiguration.SignInUrl" or "BearerTokens[].TokenId"; ``to``, the new name): how an undocumented
# console operation whose members are inferred (twin/README.md) would look if AWS named one differently.
# "overwrite": the answer of a successful request has the members of ``value`` (an object) set in the
# object at ``member``, e.g. a provisioning status turned FAILED with its FailureReason.
# "close": the request is served as usual and its answer carries `Connection: close`, after which the
# server closes the connection (twin/core/http_server.py), as every answer of the twin's former server
# did; the clouds keep connections open (twin/README.md, "Transport"), so this kind keeps a client's
# reconnection tested on purpose.
KINDS = ("throttle", "5xx", "delay", "duplicate", "rename", "overwrite", "close")
RESHAPING = ("rename", "overwrite")
# Kinds whose request is served, not answered with render().
SERVED_KINDS = ("duplicate", "close")
# The services whose requests pass the AWS gateway (twin/aws/gateway.py), the only place that serves a
# request twice; elsewhere a duplicate rule could not be honoured, so it is refused when added.
DUPLICATE_SERVICES = ("sso-admin", "identitystore", "sts", "iam", "secretsmanager", "organizations",
                      "sso-control", "sso-directory")
STYLES = ("aws-json", "aws-query", "azure", "scim")


class FaultSpecError(ValueError):
    pass


@dataclass
class FaultRule:
    service: str
    operation: str
    kind: str
    status: int = 0
    retry_after: int = 1
    seconds: float = 5.0
    count: int | None = None
    member: str = ""
    to: str = ""
    value: dict | None = None
    id: str = ""
    fired: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise FaultSpecError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        if not self.service or not self.operation:
            raise FaultSpecError("service and operation are required ('*' matches any)")
        if self.kind == "5xx" and not self.status:
            self.status = 500
        if self.kind == "5xx" and not 500 <= self.status <= 599:
            raise FaultSpecError(f"status of a 5xx fault must be 500-599, not {self.status}")
        if self.kind == "throttle" and not self.status:
            self.status = 0  # chosen by the style: 400 for AWS, 429 elsewhere
        if self.kind == "duplicate" and self.service not in DUPLICATE_SERVICES:
            raise FaultSpecError(f"a duplicate fault needs one of the AWS gateway's services "
                                 f"({', '.join(DUPLICATE_SERVICES)}), not {self.service!r}")
        if self.kind in RESHAPING and (self.service not in DUPLICATE_SERVICES or not self.member):
            raise FaultSpecError(f"a {self.kind} fault needs one of the AWS gateway's services and a member "
                                 "path")
        if self.kind == "overwrite" and not isinstance(self.value, dict):
            raise FaultSpecError("an overwrite fault needs a value: the object of members to set")
        if self.kind == "rename" and not self.to:
            self.to = self.member.rsplit(".", 1)[-1] + "Renamed"
        if self.count is not None and self.count < 1:
            raise FaultSpecError("count must be a positive number of requests, or omitted for all")

    def applies(self, service: str, operation: str) -> bool:
        return self.service in ("*", service) and self.operation in ("*", operation)


@dataclass
class Faults:
    rules: list[FaultRule] = field(default_factory=list)
    # Rules whose count ran out, kept so a test can see that each of its rules fired.
    spent: list[FaultRule] = field(default_factory=list)
    _created: dict[tuple[str, str], float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def add(self, spec: dict) -> FaultRule:
        known = {"service", "operation", "kind", "status", "retry_after", "seconds", "count", "member", "to",
                 "value"}
        unknown = set(spec) - known
        if unknown:
            raise FaultSpecError(f"unknown fault fields: {', '.join(sorted(unknown))}")
        try:
            rule = FaultRule(**spec)
        except TypeError as e:
            raise FaultSpecError(str(e)) from e
        with self._lock:
            rule.id = f"f{next(self._ids)}"
            self.rules.append(rule)
        return rule

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self.rules)
            self.rules = [r for r in self.rules if r.id != rule_id]
            return len(self.rules) != before

    def clear(self) -> None:
        with self._lock:
            self.rules = []
            self.spent = []
            self._created.clear()

    def describe(self) -> list[dict]:
        with self._lock:
            return [asdict(r) for r in self.rules]

    def describe_spent(self) -> list[dict]:
        with self._lock:
            return [asdict(r) for r in self.spent]

    def check(self, service: str, operation: str) -> FaultRule | None:
        """The throttle, 5xx, duplicate or close rule that fires for this request, if any (uses a count)."""
        with self._lock:
            for rule in self.rules:
                if rule.kind != "delay" and rule.kind not in RESHAPING and rule.applies(service, operation):
                    return self._fire(rule)
        return None

    def reshaping(self, service: str, operation: str) -> FaultRule | None:
        """The rename or overwrite rule for this successful answer, if any (consumes one count)."""
        with self._lock:
            for rule in self.rules:
                if rule.kind in RESHAPING and rule.applies(service, operation):
                    return self._fire(rule)
        return None

    def _fire(self, rule: FaultRule) -> FaultRule:
        rule.fired += 1
        if rule.count is not None:
            rule.count -= 1
            if rule.count == 0:
                self.rules.remove(rule)
                self.spent.append(rule)
        return rule

    def record_created(self, service: str, ids: Iterable[str]) -> None:
        now = time.monotonic()
        with self._lock:
            for object_id in ids:
                self._created[(service, object_id)] = now
            if len(self._created) > 10000:
                oldest = sorted(self._created.items(), key=lambda kv: kv[1])[:5000]
                for key, _ in oldest:
                    del self._created[key]

    def hidden(self, service: str, operation: str, ids: Iterable[str]) -> FaultRule | None:
        """The delay rule that hides one of these recently created objects, if any."""
        now = time.monotonic()
        with self._lock:
            rules = [r for r in self.rules if r.kind == "delay" and r.applies(service, operation)]
            for rule in rules:
                for object_id in ids:
                    created = self._created.get((service, object_id))
                    if created is not None and now - created < rule.seconds:
                        return self._fire(rule)
        return None


def reshape(document: Any, rule: FaultRule, path: str | None = None) -> Any:
    """``document`` with the rule's member (a path "a.b", "a[].b": every element of list a) renamed to
    ``to`` (rename) or given the members of ``value`` (overwrite)."""
    head, _, rest = (rule.member if path is None else path).partition(".")
    if head.endswith("[]"):
        items = document.get(head[:-2]) if isinstance(document, dict) else None
        for item in items if isinstance(items, list) else []:
            reshape(item, rule, rest)
    elif isinstance(document, dict) and head in document:
        if rest:
            reshape(document[head], rule, rest)
        elif rule.kind == "rename":
            document[rule.to] = document.pop(head)
        elif isinstance(document[head], dict):
            document[head].update(rule.value or {})
    return document


def closing_headers(rule: FaultRule | None) -> list[tuple[str, str]]:
    """The headers a served request's answer gets from a firing rule: `Connection: close` for close."""
    return [("Connection", "close")] if rule is not None and rule.kind == "close" else []


def render(rule: FaultRule, style: str, message: str = "") -> tuple[str, list[tuple[str, str]], bytes]:
    """(status line, headers, body) of a firing rule in the error format of the given style."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}")
    request_id = str(uuid.uuid4())
    code, status, text = _code_status_text(rule, style)
    message = message or text
    headers = [("x-amzn-RequestId", request_id)] if style.startswith("aws") else []
    if rule.kind == "throttle":
        headers.append(("Retry-After", str(rule.retry_after)))
    if style == "aws-json":
        headers += [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)]
        body = json.dumps({"__type": code, "message": message}).encode()
    elif style == "aws-query":
        kind = "Server" if status >= 500 else "Sender"
        headers.append(("Content-Type", "text/xml"))
        body = (f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}"
                f"</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>").encode()
    elif style == "scim":
        headers.append(("Content-Type", "application/scim+json"))
        body = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                           "status": str(status), "detail": message}).encode()
    else:
        headers.append(("Content-Type", "application/json"))
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers.append(("Content-Length", str(len(body))))
    return _status_line(status), headers, body


def _code_status_text(rule: FaultRule, style: str) -> tuple[str, int, str]:
    aws = style.startswith("aws")
    if rule.kind == "throttle":
        if aws:
            return ("Throttling" if style == "aws-query" else "ThrottlingException", rule.status or 400,
                    "Rate exceeded")
        return "TooManyRequests", rule.status or 429, "Too many requests; retry after the given delay"
    if rule.kind == "5xx":
        if aws:
            code = "ServiceUnavailable" if rule.status == 503 else "InternalFailure"
            if style == "aws-json":
                code = "ServiceUnavailableException" if rule.status == 503 else "InternalServerException"
            return code, rule.status, "The service is unavailable (twin fault injection)"
        return "InternalServerError", rule.status, "The service is unavailable (twin fault injection)"
    if aws:
        return "ResourceNotFoundException", 400, "The requested resource does not exist yet"
    return "ResourceNotFound", 404, "The requested resource does not exist yet"


def _status_line(status: int) -> str:
    from http import HTTPStatus
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Error"
