"""Talks to the running twin's admin endpoint over loopback, verifying the twin's CA."""
import http.client
import json
import ssl
from typing import Any

from twin.core import ca, paths


class TwinNotRunning(RuntimeError):
    pass


def call(method: str, path: str, body: Any = None, timeout: float = 10.0) -> tuple[int, Any]:
    ca_file = paths.state_dir() / ca.CA_CERT
    if not ca_file.exists():
        raise TwinNotRunning("the twin has never started here (no CA yet)")
    context = ssl.create_default_context(cafile=str(ca_file))
    connection = http.client.HTTPSConnection(paths.LISTEN_ADDRESS, paths.PORT, context=context,
                                             timeout=timeout)
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Host": paths.ADMIN_HOST, "Content-Type": "application/json"}
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
    except (ConnectionRefusedError, ssl.SSLError, OSError) as e:
        raise TwinNotRunning(f"the twin does not answer on {paths.LISTEN_ADDRESS}:{paths.PORT}: {e}") from e
    finally:
        connection.close()
    return response.status, json.loads(payload) if payload else None
