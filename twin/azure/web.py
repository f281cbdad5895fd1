"""Pieces every azure-id app shares: Flask app with fault injection, JSON and error bodies."""

import datetime
import json
import uuid

from flask import Flask, Response, g, request

from twin.core import faults as F


def now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    data = "" if body is None else json.dumps(body)
    response = Response(data, status=status, mimetype="application/json" if body is not None else None)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def make_app(name: str, service: str, context) -> Flask:
    """A Flask app whose requests first pass the shared fault registry (operation = endpoint name)."""
    app = Flask(name, static_folder=None)
    app.url_map.strict_slashes = False

    @app.before_request
    def inject_fault():
        rule = context.faults.check(service, request.endpoint or "*")
        g.closing_headers = F.closing_headers(rule)
        if rule is None or rule.kind in F.SERVED_KINDS:
            return None
        status, headers, body = F.render(rule, "azure")
        response = Response(body, status=int(status.split()[0]))
        for key, value in headers:
            response.headers[key] = value
        return response

    @app.after_request
    def close_after_answer(response: Response) -> Response:
        for key, value in g.get("closing_headers", []):
            response.headers[key] = value
        return response

    return app


def request_json() -> dict:
    body = request.get_json(silent=True, force=True)
    return body if isinstance(body, dict) else {}


def graph_error(status: int, code: str, message: str) -> Response:
    """Graph's error body (learn.microsoft.com/graph/errors): error.code/message/innerError."""
    request_id = str(uuid.uuid4())
    body = {
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": now_iso(),
                "request-id": request_id,
                "client-request-id": request.headers.get("client-request-id", request_id),
            },
        }
    }
    return json_response(body, status, {"request-id": request_id})


def arm_error(status: int, code: str, message: str) -> Response:
    """ARM's error body (Azure REST API guidelines: {"error": {"code", "message"}})."""
    return json_response(
        {"error": {"code": code, "message": message}}, status, {"x-ms-request-id": str(uuid.uuid4())}
    )
