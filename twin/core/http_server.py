"""The twin's HTTP/1.1 server: cheroot (CherryPy's WSGI server) in this process, over TLS.

Connections stay open between requests, as the clouds' endpoints keep them (twin/README.md,
"Transport"): an idle one waits in cheroot's selector, not in a worker thread, until the client
sends its next request, closes it, or stays idle for IDLE_TIMEOUT_SECONDS. An answer without a
Content-Length goes chunked. An app that answers with ``Connection: close`` (the ``close`` fault)
has the connection closed after that answer.

The request log tells a client's retry from a lost answer: one line per answer with the
connection (conn=N, one per accepted socket), the host, the AWS operation (X-Amz-Target) and the
AWS SDK's attempt header (amz-sdk-request: attempt=N; max=M, one amz-sdk-invocation-id per
logical call); and one line per connection that broke while a request was being served.
"""

import itertools
import logging
import ssl
import time

from cheroot import server as cheroot_server
from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter

log = logging.getLogger("twin.http")

# Longer than every client's own idle timeout, so the twin never closes a connection a client is
# about to reuse: Go's net/http DefaultTransport and aws-sdk-go-v2's default transport
# (aws/transport/http/client.go, DefaultHTTPTransportIdleConnTimeout) drop idle connections after
# 90 s; urllib3 (boto3, requests, the Azure CLI) has no idle timeout and checks a pooled connection
# is still open before reusing it. It is also how long a started request may stall between reads.
IDLE_TIMEOUT_SECONDS = 120
# A client that opens a connection but never completes the TLS handshake holds cheroot's accept
# loop (it handshakes there) for at most this long.
HANDSHAKE_TIMEOUT_SECONDS = 10
WORKER_THREADS = 32
LISTEN_BACKLOG = 128
# Idle connections kept open at once; past it, answers carry Connection: close (cheroot's limit).
KEEP_ALIVE_LIMIT = 4096
BODILESS_STATUSES = (204, 304)

_connection_ids = itertools.count(1)


class OriginFormRequest(cheroot_server.HTTPRequest):
    """cheroot's request, taking a target that starts with ``//`` as the origin-form path it is
    (RFC 9112 3.2.1: origin-form = absolute-path [ "?" query ]; RFC 9110 4.1: absolute-path =
    1*( "/" segment ), a first segment may be empty). cheroot splits it as a network-path reference
    and refuses the "authority" unless proxying; the azurerm provider's SDK sends
    ``//<tenant>/oauth2/v2.0/token`` and Microsoft answers it. Parsed in proxy mode (a server MUST
    accept the absolute-form too, RFC 9112 3.2.2), then the first segment goes back into the path,
    as werkzeug's server put it (werkzeug/serving.py, make_environ)."""

    def __init__(self, server, conn, proxy_mode=False, strict_mode=True) -> None:
        super().__init__(server, conn, proxy_mode=True, strict_mode=strict_mode)

    def read_request_line(self) -> bool:
        if not super().read_request_line():
            return False
        if self.uri.startswith(b"//") and self.authority:
            self.path = b"/" + self.authority + self.path
            self.authority = b""
        return True


class TracedConnection(cheroot_server.HTTPConnection):
    """One accepted socket, numbered for the request log."""

    RequestHandlerClass = OriginFormRequest

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.connection_id = next(_connection_ids)


class ReloadableTlsAdapter(BuiltinSSLAdapter):
    """cheroot's TLS adapter on the twin's own SSLContext, so a certificate reloaded into that
    context (server.CertificateReloader) serves every handshake after the reload."""

    def __init__(self, context: ssl.SSLContext, certificate: str, private_key: str) -> None:
        super().__init__(certificate, private_key)
        self.context = context

    def wrap(self, sock):
        sock.settimeout(HANDSHAKE_TIMEOUT_SECONDS)
        return super().wrap(sock)


class TracingGateway(wsgi.Gateway_10):
    """cheroot's WSGI 1.0 gateway, plus the request log, RAW_URI, no body on HEAD/204/304, an
    app's ``Connection: close`` honoured, and a connection closed when it cannot be reused (an
    answer shorter than its Content-Length, a chunked request body that cannot be drained)."""

    def __init__(self, req) -> None:
        super().__init__(req)
        self.declared_length: int | None = None
        self.bytes_out = 0
        self.bodiless = req.method == b"HEAD"

    def get_environ(self) -> dict:
        env = super().get_environ()
        # moto reads the undecoded path from RAW_URI (moto/core/request.py, raw_path), as werkzeug's
        # and gunicorn's servers provide it.
        env["RAW_URI"] = env["REQUEST_URI"]
        return env

    def respond(self) -> None:
        try:
            super().respond()
        except OSError as error:  # ConnectionError, socket timeout, ssl.SSLError
            self._log_dropped(error)
            raise
        self._finish()

    def start_response(self, status, headers, exc_info=None):
        write = super().start_response(status, headers, exc_info)
        code = int(status.split(None, 1)[0])
        self.bodiless = self.bodiless or code in BODILESS_STATUSES
        for name, value in headers:
            lowered = name.lower()
            if lowered == "content-length":
                self.declared_length = int(value)
            elif lowered == "connection" and "close" in value.lower():
                self.req.close_connection = True
        self._log_answer(code)
        return write

    def write(self, chunk: bytes) -> None:
        if self.bodiless:
            self.req.ensure_headers_sent()
            return
        super().write(chunk)
        self.bytes_out += len(chunk)

    def _finish(self) -> None:
        req = self.req
        if not self.bodiless and self.declared_length is not None and self.bytes_out < self.declared_length:
            log.warning(
                "answer shorter than its Content-Length (%d of %d bytes), closing conn=%s %s",
                self.bytes_out,
                self.declared_length,
                req.conn.connection_id,
                _request_line(req),
            )
            req.close_connection = True
        if req.chunked_read and not req.close_connection:
            try:  # the body the app left unread, then the trailer section, so the next request starts clean
                while req.rfile.read(65536):
                    pass
                for _ in req.rfile.read_trailer_lines():
                    pass
            except (ValueError, OSError):
                req.close_connection = True

    def _log_answer(self, code: int) -> None:
        env = self.env
        extra = [
            f"conn={self.req.conn.connection_id}",
            env.get("HTTP_HOST", ""),
            env.get("HTTP_X_AMZ_TARGET", ""),
            env.get("HTTP_AMZ_SDK_REQUEST", ""),
            env.get("HTTP_AMZ_SDK_INVOCATION_ID", ""),
        ]
        log.info(
            '%s - - [%s] "%s" %s - %s',
            env.get("REMOTE_ADDR", "-"),
            _log_time(),
            _request_line(self.req),
            code,
            " ".join(e for e in extra if e),
        )

    def _log_dropped(self, error: OSError) -> None:
        log.warning(
            "connection dropped (%s) conn=%s %s %s",
            type(error).__name__,
            self.req.conn.connection_id,
            _request_line(self.req),
            self.env.get("HTTP_X_AMZ_TARGET", ""),
        )


class TwinServer(wsgi.Server):
    """cheroot's WSGI server with the gateway and connection class above; cheroot's own messages
    go to the log instead of stderr."""

    ConnectionClass = TracedConnection
    keep_alive_conn_limit = KEEP_ALIVE_LIMIT

    def __init__(
        self, address: tuple[str, int], app, ssl_context: ssl.SSLContext, certificate: str, private_key: str
    ) -> None:
        super().__init__(
            address,
            app,
            numthreads=WORKER_THREADS,
            request_queue_size=LISTEN_BACKLOG,
            timeout=IDLE_TIMEOUT_SECONDS,
        )
        self.gateway = TracingGateway
        self.ssl_adapter = ReloadableTlsAdapter(ssl_context, certificate, private_key)

    def error_log(self, msg="", level=logging.INFO, traceback=False) -> None:
        log.log(level, "%s", msg, exc_info=traceback)


def _request_line(req) -> str:
    line = b" ".join(p for p in (req.method, req.uri, req.request_protocol) if p)
    return line.decode("latin-1").translate(_CONTROL_CHARACTERS)


def _log_time() -> str:
    return time.strftime("%d/%b/%Y %H:%M:%S")


_CONTROL_CHARACTERS = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}
