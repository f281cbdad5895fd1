"""Virtual-host dispatch: the Host header (and optionally a path prefix) picks a WSGI app.

A host pattern is an exact hostname or ``*.<domain>`` (one label, like a TLS wildcard).
"""
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True)
class Route:
    host_pattern: str
    path_prefix: str
    app: WsgiApp

    def matches(self, host: str, path: str) -> bool:
        if not path.startswith(self.path_prefix):
            return False
        if self.host_pattern.startswith("*."):
            head, _, rest = host.partition(".")
            return bool(head) and rest == self.host_pattern[2:]
        return host == self.host_pattern


class Router:
    def __init__(self) -> None:
        self._routes: list[Route] = []
        self._lock = threading.Lock()

    def add(self, host_pattern: str, app: WsgiApp, path_prefix: str = "/") -> None:
        """Serves host_pattern (and paths under path_prefix) with app; the longest prefix wins."""
        with self._lock:
            routes = [r for r in self._routes
                      if (r.host_pattern, r.path_prefix) != (host_pattern.lower(), path_prefix)]
            routes.append(Route(host_pattern.lower(), path_prefix, app))
            routes.sort(key=lambda r: len(r.path_prefix), reverse=True)
            self._routes = routes

    def patterns(self) -> set[str]:
        return {r.host_pattern for r in self._routes}

    def exact_hostnames(self) -> set[str]:
        return {p for p in self.patterns() if not p.startswith("*.")}

    def find(self, host: str, path: str) -> WsgiApp | None:
        host = host.split(":", 1)[0].lower().rstrip(".")
        for route in self._routes:
            if route.matches(host, path):
                return route.app
        return None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        app = self.find(host, environ.get("PATH_INFO", "/") or "/")
        if app is None:
            body = json.dumps({"error": f"the twin serves no service at host {host!r}"}).encode()
            start_response("421 Misdirected Request",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return app(environ, start_response)
