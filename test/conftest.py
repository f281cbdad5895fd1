"""Shared pytest fixtures: the local cloud twin (twin/), started once per session.

- ``twin``: session-scoped; starts the twin through its CLI unless it already runs, and
  yields the environment of ``python -m twin env`` as a dict. The twin is stopped at the
  end only when this fixture started it.
- ``twin_environ``: applies that environment to os.environ for one test.
- ``twin_admin``: call(method, path, body=None) -> (status, json) on the admin endpoint.
- ``twin_reset``: resets every side and clears faults before the test (and after it).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twin.core import admin_client  # noqa: E402
from twin.core.env import parse_env_lines  # noqa: E402


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


@pytest.fixture(scope="session")
def twin():
    was_running = _twin_cli("status").returncode == 0
    started = _twin_cli("start")
    if started.returncode != 0:
        pytest.fail(f"the twin did not start:\n{started.stdout}\n{started.stderr}")
    env = parse_env_lines(_twin_cli("env").stdout.splitlines())
    yield env
    if not was_running:
        _twin_cli("stop")


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
