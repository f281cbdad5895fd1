"""Processes found by a variable in their environment (/proc/PID/environ), as Jenkins core's
hudson.util.ProcessTree finds a build's processes by its cookie (OSProcess.hasMatchingEnvVars):
a variable follows a process wherever the tree puts it (Terraform's provider plugins outlive a
SIGKILLed Terraform as children of init, still carrying it).

The test session marks itself with ENTRAIDC_TEST_RUN (conftest.py); ``check`` fails a test that
leaves a marked process running, kills what it found and names it."""

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

VARIABLE = "ENTRAIDC_TEST_RUN"
GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class Seen:
    pid: int
    parent: int
    command: str

    def __str__(self) -> str:
        orphaned = ", orphaned" if self.parent == 1 else ""
        return f"pid {self.pid} (parent {self.parent}{orphaned}): {self.command}"


def marked(env: dict[str, str]) -> dict[str, str]:
    """``env`` with this session's mark, for a process started with an environment of its own."""
    return {**env, VARIABLE: os.environ[VARIABLE]}


def _describe(pid: int) -> Seen | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    # "pid (comm) S ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    state, parent = stat[stat.rindex(")") + 2:].split(" ")[:2]
    if state in ("Z", "X"):
        return None
    command = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
    return Seen(pid, int(parent), command[:300])


def carrying(name: str, value: str) -> list[Seen]:
    """Every live process but this one whose environment has ``name=value``."""
    entry = f"{name}={value}".encode()
    found = []
    for directory in Path("/proc").iterdir():
        if not directory.name.isdigit() or int(directory.name) == os.getpid():
            continue
        try:
            environ = (directory / "environ").read_bytes()
        except OSError:
            continue  # gone, or not ours
        if entry in environ.split(b"\0"):
            seen = _describe(int(directory.name))
            if seen:
                found.append(seen)
    return found


def kill_all(name: str, value: str) -> None:
    """SIGKILL to every process carrying ``name=value``, until a scan finds none."""
    for _ in range(50):
        left = carrying(name, value)
        if not left:
            return
        for seen in left:
            try:
                os.kill(seen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"processes carrying {name}={value} keep coming back")


def check(what: str, value: str, grace: float = GRACE_SECONDS) -> None:
    """Fails when a process carrying this session's mark still runs after ``grace`` seconds."""
    deadline = time.monotonic() + grace
    left = carrying(VARIABLE, value)
    while left and time.monotonic() < deadline:
        time.sleep(0.2)
        left = carrying(VARIABLE, value)
    if left:
        kill_all(VARIABLE, value)
        listed = "\n  ".join(str(seen) for seen in left)
        raise AssertionError(f"{what} left {len(left)} process(es) running ({VARIABLE}={value}; now killed):"
                             f"\n  {listed}")
