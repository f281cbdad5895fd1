"""The running twin keeps HTTP/1.1 connections open between answers, as the clouds' endpoints do
(twin/README.md, "Transport"): a client gets two answers on one TLS connection, each with its
Content-Length and without `Connection: close`, and the request log shows both on one conn=N.

References: RFC 9112 section 9.3 (persistent connections are the default in HTTP/1.1) and 6.3
(message body length); twin/core/http_server.py.
"""

import http.client
import re
import ssl

from twin.core import ca, paths


def test_the_twin_answers_twice_on_one_tls_connection(twin):
    log = paths.state_dir() / "twin.log"
    log_from = log.stat().st_size
    context = ssl.create_default_context(cafile=str(paths.state_dir() / ca.CA_CERT))
    connection = http.client.HTTPSConnection(paths.ADMIN_HOST, paths.PORT, context=context, timeout=10)
    sockets = []
    for _ in range(2):
        connection.request("GET", "/status")
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200 and b'"pid"' in body
        assert response.getheader("Content-Length") == str(len(body))
        assert response.getheader("Connection") is None and not response.will_close
        sockets.append(connection.sock)
    connection.close()
    assert sockets[0] is sockets[1], "the twin closed the connection after the first answer"
    with log.open("rb") as lines:
        lines.seek(log_from)
        served = [
            line
            for line in lines.read().decode(errors="replace").splitlines()
            if '"GET /status HTTP/1.1" 200 - conn=' in line and line.endswith(paths.ADMIN_HOST)
        ]
    conns = {re.search(r"conn=(\d+)", line).group(1) for line in served}
    assert len(served) == 2 and len(conns) == 1, served
