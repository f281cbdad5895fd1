"""The twin's HTTP server (twin/core/http_server.py) in this process, on an ephemeral loopback port,
with a small WSGI app: persistent HTTP/1.1 connections over TLS, Content-Length or chunked answers,
bodiless HEAD/204, chunked request bodies (with trailers) drained, an app's Connection: close
honoured, the certificate reload, idle expiry and the request log.

References: RFC 9112 section 9.3 (persistent connections), 6.1 and 7.1 (chunked transfer coding,
trailer section), 6.3 (message body length); RFC 9110 section 9.3.2 (HEAD) and 15.3.5 (204);
PEP 3333 (wsgi.input), werkzeug's wsgi.input_terminated for bodies without a length.
"""

import hashlib
import http.client
import logging
import re
import socket
import ssl
import threading
import time
from types import SimpleNamespace

import pytest

from twin.core import ca, http_server
from twin.core.server import CertificateReloader


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/hello":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
        return [b"hello"]
    if path == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"first,", b"second"]
    if path == "/empty":
        start_response("204 No Content", [])
        return [b"never sent"]
    if path == "/echo":
        stream = environ["wsgi.input"]
        if environ.get("wsgi.input_terminated"):
            body = stream.read()
        else:
            body = stream.read(int(environ.get("CONTENT_LENGTH") or 0))
        answer = f"{len(body)} {hashlib.sha256(body).hexdigest()}".encode()
        start_response("200 OK", [("Content-Length", str(len(answer)))])
        return [answer]
    if path == "/unread":
        start_response("200 OK", [("Content-Length", "2")])
        return [b"ok"]
    if path == "/close":
        start_response("200 OK", [("Content-Length", "3"), ("Connection", "close")])
        return [b"bye"]
    if path == "/short":
        start_response("200 OK", [("Content-Length", "10")])
        return [b"12345"]
    if path.startswith("/tenant-1/"):
        answer = f"{path} {environ['REQUEST_URI']}".encode()
        start_response("200 OK", [("Content-Length", str(len(answer)))])
        return [answer]
    if path.startswith("/raw"):
        raw_uri = environ["RAW_URI"].encode()
        start_response("200 OK", [("Content-Length", str(len(raw_uri)))])
        return [raw_uri]
    if path == "/big":
        start_response("200 OK", [("Content-Length", str(64 * 1024 * 512))])
        return (b"x" * 64 * 1024 for _ in range(512))
    start_response("404 Not Found", [("Content-Length", "0")])
    return []


@pytest.fixture
def served(tmp_path):
    """(port, client SSL context, the server's SSLContext, the server, state dir) of a running server."""
    cert = ca.ensure_server_cert(tmp_path, {"one.test"})
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, tmp_path / ca.SERVER_KEY)
    server = http_server.TwinServer(
        ("127.0.0.1", 0), app, server_context, str(cert), str(tmp_path / ca.SERVER_KEY)
    )
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    client_context = ssl.create_default_context(cafile=str(tmp_path / ca.CA_CERT))
    client_context.check_hostname = False
    yield SimpleNamespace(
        port=server.bind_addr[1], client=client_context, tls=server_context, server=server, state=tmp_path
    )
    server.stop()
    thread.join(timeout=10)
    assert not thread.is_alive(), "the server did not stop"


def connect(served) -> http.client.HTTPSConnection:
    return http.client.HTTPSConnection("127.0.0.1", served.port, context=served.client, timeout=10)


def raw(served) -> ssl.SSLSocket:
    sock = socket.create_connection(("127.0.0.1", served.port), timeout=10)
    return served.client.wrap_socket(sock, server_hostname="one.test")


def answer(sock: ssl.SSLSocket, method: str = "GET") -> http.client.HTTPResponse:
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    return response


def request_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "twin.http" and '" ' in r.getMessage()]


def test_two_answers_on_one_connection_each_with_content_length(served, caplog):
    caplog.set_level(logging.INFO, logger="twin.http")
    connection = connect(served)
    sockets = []
    for _ in range(2):
        connection.request("GET", "/hello", headers={"Host": "one.test"})
        response = connection.getresponse()
        assert (response.read(), response.getheader("Content-Length")) == (b"hello", "5")
        assert response.getheader("Connection") is None and not response.will_close
        sockets.append(connection.sock)
    assert sockets[0] is sockets[1], "the client had to open a second connection"
    connection.close()
    conns = [re.search(r"conn=(\d+)", line).group(1) for line in request_lines(caplog)]
    assert len(conns) == 2 and conns[0] == conns[1], request_lines(caplog)


def test_an_answer_without_length_is_chunked_and_the_connection_stays(served):
    connection = connect(served)
    connection.request("GET", "/stream")
    response = connection.getresponse()
    assert response.getheader("Transfer-Encoding") == "chunked"
    assert response.read() == b"first,second"
    first_socket = connection.sock
    connection.request("GET", "/hello")
    assert connection.getresponse().read() == b"hello"
    assert connection.sock is first_socket


def test_head_and_204_answers_carry_no_body_and_keep_the_connection(served):
    """A body after HEAD or 204 would be read as the start of the next answer (RFC 9112 6.3)."""
    sock = raw(served)
    sock.sendall(b"HEAD /hello HTTP/1.1\r\nHost: one.test\r\n\r\n")
    head = answer(sock, "HEAD")
    assert (head.status, head.getheader("Content-Length"), head.read()) == (200, "5", b"")
    sock.sendall(b"GET /empty HTTP/1.1\r\nHost: one.test\r\n\r\n")
    empty = answer(sock)
    assert (empty.status, empty.getheader("Transfer-Encoding"), empty.read()) == (204, None, b"")
    sock.sendall(b"GET /hello HTTP/1.1\r\nHost: one.test\r\n\r\n")
    assert answer(sock).read() == b"hello"
    sock.close()


def test_chunked_request_bodies_with_trailers_are_read_or_drained(served):
    """aws-chunked uploads may end in a trailer section (x-amz-checksum-*); the next request on the
    connection must start clean whether the app read the body or not."""
    sock = raw(served)
    chunked = b"5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32: AAAAAA==\r\n\r\n"
    sock.sendall(b"POST /echo HTTP/1.1\r\nHost: one.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
    assert answer(sock).read() == f"11 {hashlib.sha256(b'hello world').hexdigest()}".encode()
    sock.sendall(b"POST /unread HTTP/1.1\r\nHost: one.test\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked)
    assert answer(sock).read() == b"ok"
    sock.sendall(b"GET /hello HTTP/1.1\r\nHost: one.test\r\n\r\n")
    assert answer(sock).read() == b"hello"
    sock.close()


def test_large_bodies_with_length_and_chunked(served):
    body = bytes(range(256)) * 4096 * 8  # 8 MiB
    digest = hashlib.sha256(body).hexdigest()
    connection = connect(served)
    connection.request("PUT", "/echo", body=body)
    assert connection.getresponse().read() == f"{len(body)} {digest}".encode()
    pieces = (body[i : i + 65536] for i in range(0, len(body), 65536))
    connection.request("PUT", "/echo", body=pieces, encode_chunked=True)
    assert connection.getresponse().read() == f"{len(body)} {digest}".encode()
    connection.request("GET", "/big")
    assert len(connection.getresponse().read()) == 64 * 1024 * 512


def test_an_apps_connection_close_closes_the_connection_after_the_answer(served):
    sock = raw(served)
    sock.sendall(b"GET /close HTTP/1.1\r\nHost: one.test\r\n\r\n")
    response = answer(sock)
    assert (response.getheader("Connection"), response.read()) == ("close", b"bye")
    assert sock.recv(1) == b"", "the server kept the connection open"
    sock.close()


def test_an_answer_shorter_than_its_length_closes_the_connection(served, caplog):
    """Rather than leave the client waiting for bytes that never come."""
    sock = raw(served)
    sock.sendall(b"GET /short HTTP/1.1\r\nHost: one.test\r\n\r\n")
    response = answer(sock)
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    assert sock.recv(1) == b"", "the server kept a connection whose answer was cut short"
    assert any(
        "answer shorter than its Content-Length (5 of 10 bytes)" in r.getMessage() for r in caplog.records
    )
    sock.close()


def test_a_certificate_reloaded_into_the_context_serves_the_next_handshake(served):
    names = {"one.test"}
    reloader = CertificateReloader(
        SimpleNamespace(state_dir=served.state, certificate_names=lambda: names), served.tls
    )
    names.add("two.test")
    reloader.load()
    sock = raw(served)
    sans = {value for kind, value in sock.getpeercert()["subjectAltName"] if kind == "DNS"}
    sock.close()
    assert "two.test" in sans


def test_an_idle_connection_stays_open_then_expires_after_the_idle_timeout(served):
    assert http_server.IDLE_TIMEOUT_SECONDS > 90  # aws-sdk-go-v2's and net/http's IdleConnTimeout
    sock = raw(served)
    sock.sendall(b"GET /hello HTTP/1.1\r\nHost: one.test\r\n\r\n")
    assert answer(sock).read() == b"hello"
    time.sleep(2)  # several of cheroot's expiry checks (every 0.5 s)
    sock.sendall(b"GET /hello HTTP/1.1\r\nHost: one.test\r\n\r\n")
    assert answer(sock).read() == b"hello"
    served.server.timeout = 1
    sock.settimeout(5)
    started = time.monotonic()
    assert sock.recv(1) == b""
    assert time.monotonic() - started < 4
    sock.close()


def test_the_request_line_names_connection_host_operation_and_sdk_attempt(served, caplog):
    """The shape FaultsInEveryServiceEndToEndTest.sdkRetry and the lost-answer count read."""
    caplog.set_level(logging.INFO, logger="twin.http")
    connection = connect(served)
    connection.request(
        "POST",
        "/hello",
        body=b"{}",
        headers={
            "Host": "identitystore.us-east-1.amazonaws.com",
            "X-Amz-Target": "AWSIdentityStore.CreateUser",
            "amz-sdk-request": "attempt=2; max=3",
            "amz-sdk-invocation-id": "0f7c1a3e-1111-4222-8333-944455556666",
        },
    )
    connection.getresponse().read()
    [line] = request_lines(caplog)
    assert re.search(r'" 200 - .* [\w.]+\.CreateUser (ttl=\S+ )?attempt=([2-9]|\d\d);', line), line
    assert re.search(
        r'"POST /hello HTTP/1\.1" 200 - conn=\d+ identitystore\.us-east-1\.amazonaws\.com '
        r"AWSIdentityStore\.CreateUser attempt=2; max=3 0f7c1a3e-1111-4222-8333-944455556666$",
        line,
    )


def test_raw_uri_is_the_request_target_as_sent(served):
    """moto matches S3 keys against the undecoded path (moto/core/request.py, raw_path)."""
    connection = connect(served)
    connection.request("GET", "/raw/env%3A/a%2Fb.tfstate?x=1")
    assert connection.getresponse().read() == b"/raw/env%3A/a%2Fb.tfstate?x=1"


def test_a_target_starting_with_two_slashes_is_an_origin_form_path(served):
    """The azurerm provider's SDK asks for //<tenant>/oauth2/v2.0/token (a login endpoint ending with
    a slash), which Microsoft answers. RFC 9112 3.2.1: origin-form = absolute-path [ "?" query ];
    RFC 9110 4.1: absolute-path = 1*( "/" segment ), so a first empty segment is a path, not an
    authority. The app sees it as werkzeug's server gave it (first segment back in PATH_INFO)."""
    connection = connect(served)
    connection.request("POST", "//tenant-1/oauth2/v2.0/token", body=b"grant_type=client_credentials")
    response = connection.getresponse()
    path_info, request_uri = response.read().split()
    assert (response.status, path_info, request_uri) == (
        200, b"/tenant-1/oauth2/v2.0/token", b"//tenant-1/oauth2/v2.0/token")
    connection.request("GET", "/hello")
    assert connection.getresponse().read() == b"hello", "the connection stays usable"


def test_a_connection_the_client_drops_mid_answer_is_logged(served, caplog):
    sock = raw(served)
    sock.sendall(b"GET /big HTTP/1.1\r\nHost: one.test\r\n\r\n")
    sock.recv(1024)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
    sock.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not any(
        "connection dropped" in r.getMessage() for r in caplog.records
    ):
        time.sleep(0.1)
    dropped = [r.getMessage() for r in caplog.records if "connection dropped" in r.getMessage()]
    assert dropped and re.search(r"conn=\d+ GET /big HTTP/1\.1", dropped[0]), dropped
