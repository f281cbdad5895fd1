"""The twin process: one HTTPS server on 127.0.0.1:443 dispatching on the Host header."""
import logging
import os
import signal
import ssl
import sys
import threading
from pathlib import Path

from twin.core import ca, hosts, paths, plugins
from twin.core.admin import make_admin_app
from twin.core.context import TwinContext
from twin.core.http_server import TwinServer

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
    server = TwinServer((paths.LISTEN_ADDRESS, paths.PORT), context.router, ssl_context,
                        str(state / ca.SERVER_CERT), str(state / ca.SERVER_KEY))

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    server.prepare()  # binds the port and starts the worker threads, which stop() ends
    try:
        hosts.write_block(paths.hosts_file(), sorted(context.hostnames()))
        (state / "twin.pid").write_text(f"{os.getpid()}\n")
        log.info("twin serving %s on https://%s:%d", ", ".join(s.__name__ for s in sides),
                 paths.LISTEN_ADDRESS, paths.PORT)
        server.serve()
    finally:
        server.stop()
        hosts.remove_block(paths.hosts_file())
        (state / "twin.pid").unlink(missing_ok=True)
        sys.stderr.flush()
    return 0
