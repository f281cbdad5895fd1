"""The twin process: one HTTPS server on 127.0.0.1:443 dispatching on the Host header."""
import itertools
import logging
import os
import signal
import ssl
import sys
import threading
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from twin.core import ca, hosts, paths, plugins
from twin.core.admin import make_admin_app
from twin.core.context import TwinContext

log = logging.getLogger("twin")


class CertificateReloader:
    """Keeps the served certificate covering every hostname, reissuing it when one is added."""

    def __init__(self, context: TwinContext, ssl_context: ssl.SSLContext) -> None:
        self.context, self.ssl_context = context, ssl_context
        self.lock = threading.Lock()

    def load(self) -> None:
        with self.lock:
            state = self.context.state_dir
            cert = ca.ensure_server_cert(state, self.context.certificate_names())
            self.ssl_context.load_cert_chain(cert, state / ca.SERVER_KEY)

    def on_new_hostname(self, hostname: str) -> None:
        state = self.context.state_dir
        if not ca.covers(hostname, ca.server_cert_names(state)):
            self.load()
        hosts.write_block(paths.hosts_file(), sorted(self.context.hostnames()))
        log.info("now serving hostname %s", hostname)


_connection_ids = itertools.count(1)


class TracingRequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, logging what tells a client's retry from a lost answer: the connection
    (conn=N, one per accepted socket), the host, the AWS operation (X-Amz-Target) and the AWS
    SDK's attempt header (amz-sdk-request: attempt=N; max=M, one amz-sdk-invocation-id per
    logical call), and every dropped connection."""

    def setup(self) -> None:
        super().setup()
        self.connection_id = next(_connection_ids)

    def log_request(self, code="-", size="-") -> None:
        headers = getattr(self, "headers", None)
        if headers is None:
            return super().log_request(code, size)
        extra = [f"conn={self.connection_id}", headers.get("Host", ""), headers.get("X-Amz-Target", ""),
                 headers.get("amz-sdk-request", ""),
                 headers.get("amz-sdk-invocation-id", "")]
        self.log("info", '"%s" %s %s %s', self.requestline, code, size, " ".join(e for e in extra if e))

    def connection_dropped(self, error, environ=None) -> None:
        target = environ.get("HTTP_X_AMZ_TARGET", "") if environ else ""
        self.log("warning", "connection dropped (%s) conn=%s %s %s", type(error).__name__,
                 getattr(self, "connection_id", "?"), getattr(self, "requestline", ""), target)


def build(state: Path) -> tuple[TwinContext, list]:
    context = TwinContext(state_dir=state, serving=True)
    sides = plugins.discover()
    context.router.add(paths.ADMIN_HOST, make_admin_app(context, sides))
    for side in sides:
        side.register(context.router, context)
    return context, sides


def serve() -> int:
    state = paths.state_dir()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    context, sides = build(state)
    ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    reloader = CertificateReloader(context, ssl_context)
    reloader.load()
    context.on_new_hostname = reloader.on_new_hostname
    server = make_server(paths.LISTEN_ADDRESS, paths.PORT, context.router, threaded=True,
                         ssl_context=ssl_context, request_handler=TracingRequestHandler)
    hosts.write_block(paths.hosts_file(), sorted(context.hostnames()))
    (state / "twin.pid").write_text(f"{os.getpid()}\n")

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    log.info("twin serving %s on https://%s:%d", ", ".join(s.__name__ for s in sides),
             paths.LISTEN_ADDRESS, paths.PORT)
    try:
        server.serve_forever()
    finally:
        server.server_close()
        hosts.remove_block(paths.hosts_file())
        (state / "twin.pid").unlink(missing_ok=True)
        sys.stderr.flush()
    return 0
