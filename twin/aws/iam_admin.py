"""Twin-only admin routes for the profiles' IAM policies (https://twin.internal/aws/iam/…).

``GET /aws/iam`` the policies each profile holds now; ``PUT /aws/iam/<profile>`` with
``{"without": [actions], "with": [actions]}`` gives that profile the documented policies minus
``without`` plus one policy allowing ``with`` (each PUT starts from the documented ones; with
``{"phases": ["prepare", "saml"]}`` only those phases' policies, as a profile set up for one step holds);
``DELETE /aws/iam/<profile>`` restores the documented policies (as does ``POST /reset``).
"""
import json

from werkzeug.wrappers import Request, Response

from twin.aws import iam_principals
from twin.aws.state import AwsState

PREFIX = "/aws/iam"


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data, indent=2, sort_keys=True) + "\n", status=status,
                    mimetype="application/json")


def _actions(body: dict, name: str) -> list[str]:
    value = body.get(name, [])
    if not isinstance(value, list) or not all(isinstance(a, str) and ":" in a for a in value):
        raise ValueError(f"{name!r} must be a list of IAM actions such as \"sso:ListInstances\"")
    return value


class IamAdminApp:
    def __init__(self, state: AwsState) -> None:
        self.state = state

    def __call__(self, environ, start_response):
        request = Request(environ)
        path, method = request.path.rstrip("/"), request.method
        by_profile = {a.nickname: a for a in self.state.accounts}
        profile = path[len(PREFIX) + 1:] if path.startswith(PREFIX + "/") else None
        try:
            if path == PREFIX and method == "GET":
                response = _json(self._policies())
            elif profile in by_profile and method in ("PUT", "DELETE"):
                body = (request.get_json(force=True, silent=True) or {}) if method == "PUT" else {}
                without, extra = frozenset(_actions(body, "without")), tuple(_actions(body, "with"))
                phases = body.get("phases")
                if phases is not None and (not isinstance(phases, list)
                                           or not all(isinstance(p, str) for p in phases)):
                    raise ValueError("'phases' must be a list of phase names such as \"saml\"")
                with self.state.lock:
                    iam_principals.install(by_profile[profile], without, extra,
                                           tuple(phases) if phases is not None else None)
                response = _json(self._policies())
            elif profile is not None and profile not in by_profile:
                response = _json({"error": f"unknown profile {profile!r}; known: {sorted(by_profile)}"}, 404)
            else:
                response = _json({"error": f"no admin route {method} {path}"}, 404)
        except ValueError as e:
            response = _json({"error": str(e)}, 400)
        return response(environ, start_response)

    def _policies(self) -> dict:
        with self.state.lock:
            return {a.nickname: {"user": iam_principals.user_arn(a), "policies": iam_principals.attached(a)}
                    for a in self.state.accounts}
