"""Shared pytest fixtures: the local cloud twin (twin/), started once per session.

- ``twin``: session-scoped; starts the twin through its CLI unless it already runs, and
  yields the environment of ``python -m twin env`` as a dict. The twin is stopped at the
  end only when this fixture started it.
- ``twin_environ``: applies that environment to os.environ for one test.
- ``twin_admin``: call(method, path, body=None) -> (status, json) on the admin endpoint.
- ``twin_reset``: resets every side and clears faults before the test (and after it).
- ``twin_aws_policy``: policy(profile, without=(), with_=(), phases=None) gives an AWS profile the
  documented IAM policies (docs/permissions.md; only those of ``phases`` when given) minus/plus actions
  for one test; the documented ones come back after.

Every process the session starts carries ENTRAIDC_TEST_RUN=<this session's mark>; after each test
none may still run (``_no_process_left``, marked_processes.py). The twin's server drops the mark:
it is the machine's shared service, which the ``twin`` fixture and ``./lab test`` stop.
"""

import fcntl
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import marked_processes  # noqa: E402

from twin.core import admin_client  # noqa: E402
from twin.core.env import parse_env_lines  # noqa: E402

RUN_MARK = f"python-{os.getpid()}-{uuid.uuid4().hex}"
os.environ[marked_processes.VARIABLE] = RUN_MARK


@pytest.fixture(autouse=True)
def _no_process_left(request):
    yield
    marked_processes.check(request.node.nodeid, RUN_MARK)


def _twin_cli(*args: str) -> subprocess.CompletedProcess:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    env = dict(os.environ, PYTHONPATH=path)
    return subprocess.run(
        [sys.executable, "-m", "twin", *args],
        cwd=ROOT,
        env=env,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


LOCK_WAIT_SECONDS = 45 * 60  # a full run with the live Terraform tests takes this long at most
_session_lock = []


def pytest_collection_finish(session):
    """Waits for the twin before any test runs (outside pytest-timeout's per-test limit)."""
    if any("twin" in getattr(item, "fixturenames", ()) for item in session.items):
        _session_lock.append(_hold_session_lock())


def _hold_session_lock():
    """One test session at a time uses the machine's twin: sessions reset it under each other."""
    path = Path(os.environ.get("ENTRAIDC_TWIN_DIR", Path.home() / ".cache" / "entra-idc" / "twin"))
    path.mkdir(parents=True, exist_ok=True)
    handle = open(path / "test-session.lock", "a+")  # noqa: SIM115 - held for the whole session
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                handle.seek(0)
                pytest.exit(f"another test session ({handle.read().strip()}) has used the twin for over "
                            f"{LOCK_WAIT_SECONDS} s; wait for it to finish")
            time.sleep(0.5)
    handle.seek(0)
    handle.truncate()
    handle.write(f"pid {os.getpid()}")
    handle.flush()
    return handle


def _newest_source_change() -> float:
    return max(path.stat().st_mtime for path in (ROOT / "twin").rglob("*.py"))


@pytest.fixture(scope="session")
def twin():
    lock = _session_lock[0] if _session_lock else _hold_session_lock()
    status = _twin_cli("status")
    was_running = status.returncode == 0
    if was_running and json.loads(status.stdout)["started"] < _newest_source_change():
        _twin_cli("stop")  # it runs older code than the tree: test the tree
        was_running = False
    started = _twin_cli("start")
    if started.returncode != 0:
        pytest.fail(f"the twin did not start:\n{started.stdout}\n{started.stderr}")
    env = parse_env_lines(_twin_cli("env").stdout.splitlines())
    yield env
    if not was_running:
        _twin_cli("stop")
    lock.close()


@pytest.fixture
def twin_environ(twin, monkeypatch):
    for name, value in twin.items():
        monkeypatch.setenv(name, value)
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
    ):
        if name not in twin:
            monkeypatch.delenv(name, raising=False)
    return twin


@pytest.fixture
def twin_admin(twin):
    return admin_client.call


@pytest.fixture
def twin_reset(twin):
    status, body = admin_client.call("POST", "/reset")
    assert status == 200, body
    yield
    admin_client.call("POST", "/reset")


@pytest.fixture
def twin_aws_policy(twin):
    changed: set[str] = set()

    def policy(profile: str, without=(), with_=(), phases=None) -> dict:
        changed.add(profile)
        request = {"without": list(without), "with": list(with_)}
        if phases is not None:
            request["phases"] = list(phases)
        status, body = admin_client.call("PUT", f"/aws/iam/{profile}", request)
        assert status == 200, body
        return body[profile]["policies"]

    yield policy
    for profile in changed:
        admin_client.call("DELETE", f"/aws/iam/{profile}")
