"""Twin-only admin route that ages SCIM access tokens (https://twin.internal/aws/scim-tokens/…).

``POST /aws/scim-tokens/<profile>`` with ``{"seconds_left": N}`` sets the ExpirationTime of every
bearer token of that profile's account to now + N (negative: expired), as a year's wait would.
An expired token keeps being listed and is refused by the SCIM endpoint (twin/aws/scim/app.py).
"""
import json
import time

from werkzeug.wrappers import Request, Response

from twin.aws.state import AwsState

PREFIX = "/aws/scim-tokens"


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data, indent=2, sort_keys=True) + "\n", status=status,
                    mimetype="application/json")


class TokenAdminApp:
    def __init__(self, state: AwsState) -> None:
        self.state = state

    def __call__(self, environ, start_response):
        request = Request(environ)
        profile = request.path.rstrip("/")[len(PREFIX) + 1:]
        by_profile = {a.nickname: a for a in self.state.accounts}
        body = request.get_json(force=True, silent=True) or {}
        seconds_left = body.get("seconds_left")
        if request.method != "POST" or profile not in by_profile:
            response = _json({"error": f"POST {PREFIX}/<profile>, profile one of {sorted(by_profile)}"}, 404)
        elif isinstance(seconds_left, bool) or not isinstance(seconds_left, int | float):
            response = _json({"error": "seconds_left must be a number of seconds (negative: expired)"}, 400)
        else:
            with self.state.lock:
                directory = self.state.directory(by_profile[profile].account_id)
                tokens = [t for tenant in directory.tenants.values() for t in tenant.tokens.values()]
                for token in tokens:
                    token.expiration_time = time.time() + seconds_left
            response = _json({"tokens": len(tokens)})
        return response(environ, start_response)
