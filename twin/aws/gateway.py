"""The front door of every AWS API host: SigV4 check, account selection, faults, dispatch.

Public operations go to moto (server mode, in-process WSGI) with ``x-moto-account-id`` set
from the caller's access key; the console operations without public API go to
directory_ops (``AWSIdentityStoreService.*`` at /identitystore/) and control_ops
(``SWBService.*`` at /control/).
"""
import io
import json
from typing import Any
from urllib.parse import parse_qs

from werkzeug.wrappers import Request

from twin.aws import accounts, control_ops, directory_ops, external_ids, iam_enforcement, moto_gaps, sigv4
from twin.aws.errors import AwsError, Response, auth_error, json_error, json_ok, query_error
from twin.core import faults as fault_styles
from twin.core.faults import Faults

# SigV4 signing name -> the service name used in fault rules and logs (botocore's service names).
SERVICE_BY_SIGNING_NAME = {"sso": "sso-admin", "identitystore": "identitystore", "sts": "sts", "iam": "iam",
                           "secretsmanager": "secretsmanager", "organizations": "organizations"}
UNSIGNED_ACTIONS = {"AssumeRoleWithSAML", "AssumeRoleWithWebIdentity"}
ADDITIONS = {
    # target prefix: (fault service name, required SigV4 service, required path, operations)
    "SWBService": ("sso-control", "sso", "/control/", control_ops.OPERATIONS),
    "AWSIdentityStoreService": ("sso-directory", "identitystore", "/identitystore/",
                                directory_ops.OPERATIONS),
}


class AwsGateway:
    def __init__(self, state, faults: Faults, moto_app) -> None:
        self.state, self.faults, self.moto_app = state, faults, moto_app

    def __call__(self, environ: dict[str, Any], start_response):
        request = Request(environ)
        body = request.get_data(cache=True)
        environ["wsgi.input"] = io.BytesIO(body)
        target = request.headers.get("X-Amz-Target", "")
        protocol = "aws-json" if target else "aws-query"
        operation = target.rsplit(".", 1)[-1] if target else _query_action(request, body)
        account, auth, refusal = self._authenticate(request, body, protocol, operation)
        if refusal:
            return _send(start_response, refusal)
        account_id = account.account_id if account else None
        prefix = target.split(".", 1)[0] if target else ""
        addition = ADDITIONS.get(prefix)
        service = addition[0] if addition else SERVICE_BY_SIGNING_NAME.get(auth.service if auth else "sts",
                                                                          auth.service if auth else "sts")
        rule = self.faults.check(service, operation)
        if rule and rule.kind not in fault_styles.SERVED_KINDS:
            return _send(start_response, fault_styles.render(rule, protocol))
        payload = _json_body(body) if protocol == "aws-json" else {}
        if auth and not addition:
            denied = self._authorize(account, target, auth.service, operation, payload, protocol)
            if denied:
                return _send(start_response, denied)
        hidden = self.faults.hidden(service, operation, _strings(payload))
        if hidden:
            return _send(start_response, fault_styles.render(hidden, protocol))
        served_twice = rule is not None and rule.kind == "duplicate"
        for _ in range(2 if served_twice else 1):  # duplicate: the first answer is the one the client lost
            environ["wsgi.input"] = io.BytesIO(body)
            with self.state.lock:
                if addition:
                    result = self._addition(addition, request, auth, account, operation, payload)
                else:
                    result = self._moto(environ, account_id, service, operation, payload)
        if operation.startswith(("Create", "Put", "Provision")) and result[0].startswith("200"):
            self.faults.record_created(service, _strings(_json_body(result[2])))
        reshaping = (self.faults.reshaping(service, operation)
                     if protocol == "aws-json" and result[0].startswith("200") else None)
        if reshaping:
            result = _reshaped(result, reshaping)
        status, headers, data = result
        return _send(start_response, (status, headers + fault_styles.closing_headers(rule), data))

    def _authenticate(self, request: Request, body: bytes, protocol: str, operation: str):
        header = request.headers.get("Authorization")
        if header is None and operation in UNSIGNED_ACTIONS:
            return None, None, None
        auth = sigv4.parse(header)
        if auth is None:
            return None, None, auth_error(protocol, "MissingAuthenticationTokenException",
                                          "Missing Authentication Token")
        account = accounts.by_access_key(self.state.accounts, auth.access_key)
        if account is None:
            return None, None, auth_error(protocol, "UnrecognizedClientException",
                                          "The security token included in the request is invalid.")
        try:
            sigv4.verify(auth, account.secret_key, request.method, request.url, dict(request.headers), body)
        except sigv4.SignatureError as e:
            return None, None, auth_error(protocol, e.code, e.message)
        return account, auth, None

    def _authorize(self, account, target: str, signing_name: str, operation: str, payload: dict,
                   protocol: str) -> Response | None:
        action = iam_enforcement.action_of(target, signing_name, operation)
        if action is None:
            return None
        with self.state.lock:
            return iam_enforcement.authorize(account, action, payload, protocol)

    def _addition(self, addition, request: Request, auth, account, operation: str,
                  payload: dict) -> Response:
        _, signing_name, path, operations = addition
        if auth is None:
            return auth_error("aws-json", "MissingAuthenticationTokenException",
                              "Missing Authentication Token")
        if auth.service != signing_name:
            return json_error("InvalidSignatureException",
                              f"Credential should be scoped to correct service: '{signing_name}'.")
        if request.path != path or operation not in operations:
            return json_error("UnknownOperationException", f"Unknown operation {operation}")
        denied = self._authorize(account, request.headers["X-Amz-Target"], signing_name, operation, payload,
                                 "aws-json")
        if denied:
            return denied
        try:
            return json_ok(operations[operation](self.state, account.account_id, payload))
        except AwsError as e:
            return json_error(e.code, e.message, e.status)

    def _moto(self, environ: dict[str, Any], account_id: str | None, service: str, operation: str,
              payload: dict) -> Response:
        answered = moto_gaps.before(self.state, service, operation, payload)
        if answered is None and service == "identitystore":
            answered = external_ids.answer_lookup(self.state, operation, payload)
        if answered is not None:
            return answered
        if account_id:
            environ["HTTP_X_MOTO_ACCOUNT_ID"] = account_id
        captured: dict[str, Any] = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers

        try:
            chunks = self.moto_app(environ, capture)
        except NotImplementedError:
            return _not_implemented(service, operation, environ.get("HTTP_X_AMZ_TARGET"))
        try:
            data = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        if captured["status"].startswith("500") and data.lstrip().startswith(b"<!doctype html>"):
            return _not_implemented(service, operation, environ.get("HTTP_X_AMZ_TARGET"))
        if captured["status"].startswith("200"):
            if service == "identitystore":
                data = external_ids.decorate(self.state, operation, payload, data)
            moto_gaps.after(self.state, service, operation, payload, data)
        return captured["status"], headers + [("Content-Length", str(len(data)))], data


def _not_implemented(service: str, operation: str, target: str | None) -> Response:
    """501, which AWS SDKs do not retry, so a client stops at once with a message that names the gap."""
    message = f"{service} {operation} is not implemented by the twin (moto 5.2.5); see twin/aws/moto_gaps.py"
    if target:
        return json_error("NotImplemented", message, 501)
    return query_error("NotImplemented", message, 501)


def _reshaped(result: Response, rule) -> Response:
    status, headers, data = result
    data = json.dumps(fault_styles.reshape(_json_body(data), rule)).encode()
    headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
    return status, headers + [("Content-Length", str(len(data)))], data


def _send(start_response, response: Response):
    status, headers, body = response
    start_response(status, headers)
    return [body]


def _query_action(request: Request, body: bytes) -> str:
    action = request.args.get("Action")
    if action:
        return action
    form = parse_qs(body.decode("utf-8", "replace")) if body else {}
    return form.get("Action", [""])[0]


def _json_body(body: bytes) -> dict:
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
