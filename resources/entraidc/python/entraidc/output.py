"""Stage-friendly log lines ("[azure-id] ...") and the JSON result, with secrets redacted.

Log lines go to stderr so that stdout carries only the result (a table or, with --json, JSON).
Every value registered with ``secret()`` is replaced by ``***`` in anything printed.
"""

import json
import sys
import threading

_secrets: set[str] = set()
_lock = threading.Lock()


def secret(value: str) -> str:
    """Registers a secret so that no printed line can contain it; returns it unchanged."""
    if value:
        with _lock:
            _secrets.add(value)
    return value


def redact(text: str) -> str:
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for value in known:
        text = text.replace(value, "***")
    return text


def log(account: str, message: str) -> None:
    print(redact(f"[{account}] {message}"), file=sys.stderr, flush=True)


def result(data, as_json: bool, human: str | None = None) -> None:
    text = json.dumps(data, indent=2, sort_keys=True, default=str) if as_json else (human or "")
    if text:
        print(redact(text), flush=True)
