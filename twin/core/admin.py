"""The twin-only admin endpoint (https://twin.internal/): status, inventory, faults, reset."""
import json
import os
import time
from types import ModuleType
from typing import Any

from werkzeug.wrappers import Request, Response

from twin.core.context import TwinContext
from twin.core.faults import FaultSpecError


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", status=status,
                    mimetype="application/json")


def collect_inventory(context: TwinContext, sides: list[ModuleType]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for side in sides:
        for account, objects in side.inventory(context).items():
            merged.setdefault(account, {}).update(objects)
    return merged


def make_admin_app(context: TwinContext, sides: list[ModuleType]):
    started = time.time()

    def status() -> dict[str, Any]:
        return {"pid": os.getpid(), "started": started, "uptime_seconds": round(time.time() - started, 1),
                "sides": [s.__name__ for s in sides], "state_dir": str(context.state_dir),
                "hostnames": sorted(context.hostnames()), "routes": sorted(context.router.patterns())}

    def app(environ, start_response):
        request = Request(environ)
        path, method = request.path.rstrip("/") or "/", request.method
        try:
            if path == "/status" and method == "GET":
                response = _json(status())
            elif path == "/inventory" and method == "GET":
                response = _json(collect_inventory(context, sides))
            elif path == "/faults" and method == "GET":
                faults = context.faults
                response = _json({"faults": faults.describe(), "spent": faults.describe_spent()})
            elif path == "/faults" and method == "POST":
                rule = context.faults.add(request.get_json(force=True))
                response = _json({"added": rule.id, "faults": context.faults.describe()}, 201)
            elif path == "/faults" and method == "DELETE":
                context.faults.clear()
                response = _json({"faults": [], "spent": []})
            elif path.startswith("/faults/") and method == "DELETE":
                found = context.faults.remove(path.rsplit("/", 1)[1])
                answer = {"removed": found, "faults": context.faults.describe()}
                response = _json(answer, 200 if found else 404)
            elif path == "/reset" and method == "POST":
                context.faults.clear()
                for side in sides:
                    if hasattr(side, "reset"):
                        side.reset(context)
                response = _json({"reset": [s.__name__ for s in sides]})
            else:
                response = _json({"error": f"no admin operation {method} {path}"}, 404)
        except (FaultSpecError, ValueError) as e:
            response = _json({"error": str(e)}, 400)
        return response(environ, start_response)

    return app
