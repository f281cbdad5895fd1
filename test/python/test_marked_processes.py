"""The check every test of the session ends with (conftest.py ``_no_process_left``): a process
carrying the session's ENTRAIDC_TEST_RUN mark that outlives its test fails it, named, and is
killed; one that left the tree (a daemon, as a SIGKILLed Terraform's provider plugins become) too."""

import os
import subprocess
from pathlib import Path

import marked_processes
import pytest


def _daemon() -> int:
    """A `sleep 300` forked twice and in a session of its own: neither the group nor the tree holds it."""
    done = subprocess.run(["sh", "-c", "setsid sleep 300 > /dev/null 2>&1 & echo $!"], capture_output=True,
                          text=True, check=True)
    return int(done.stdout)


def _marked(mark: str) -> list:
    return marked_processes.carrying(marked_processes.VARIABLE, mark)


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def test_a_marked_process_left_running_fails_the_check_named_and_is_killed():
    mark = os.environ[marked_processes.VARIABLE]
    pid = _daemon()
    assert _running(pid)
    assert [seen.pid for seen in _marked(mark)] == [pid]
    with pytest.raises(AssertionError) as failure:
        marked_processes.check("this test", mark, grace=0.5)
    message = str(failure.value)
    assert f"this test left 1 process(es) running ({marked_processes.VARIABLE}={mark}; now killed)" in message
    assert f"pid {pid} (parent " in message and message.endswith("): sleep 300"), message
    assert not _running(pid)


def test_a_process_without_the_mark_is_not_ours():
    mark = os.environ[marked_processes.VARIABLE]
    env = {k: v for k, v in os.environ.items() if k != marked_processes.VARIABLE}
    sleeper = subprocess.Popen(["sleep", "300"], env=env)
    try:
        assert sleeper.pid not in [seen.pid for seen in _marked(mark)]
        marked_processes.check("this test", mark, grace=0)
    finally:
        sleeper.kill()
        sleeper.wait()
