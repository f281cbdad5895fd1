"""python -m twin start|stop|status|env|inventory|faults|reset (and serve, used by start)."""
import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from twin.core import admin_client, hosts, paths
from twin.core.context import TwinContext
from twin.core.env import env_lines
from twin.core.faults import KINDS

START_TIMEOUT_SECONDS = 10.0
REPO_ROOT = Path(__file__).resolve().parents[2]


def _print(data: Any) -> None:
    print(json.dumps(data, indent=2, sort_keys=True, default=str))


def _running_status() -> dict | None:
    try:
        status, body = admin_client.call("GET", "/status", timeout=2)
    except admin_client.TwinNotRunning:
        return None
    return body if status == 200 else None


def _pid() -> int | None:
    pid_file = paths.state_dir() / "twin.pid"
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def start(_: argparse.Namespace) -> int:
    status = _running_status()
    if status:
        _print({"running": True, "already": True, **status})
        return 0
    state = paths.state_dir()
    log_path = state / "twin.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO_ROOT),
                                                                     os.environ.get("PYTHONPATH")])))
    # The server outlives the test that started it (the machine's shared twin, which `twin stop`
    # ends): it is not one of the processes a test session must have reaped (test/marked_processes.py).
    env.pop("ENTRAIDC_TEST_RUN", None)
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "twin", "serve"], cwd=REPO_ROOT, env=env,  # noqa: S603
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_path.read_text(errors="replace").splitlines()[-20:]
            print("twin: the server exited during start; end of " + str(log_path) + ":\n" + "\n".join(tail),
                  file=sys.stderr)
            return 1
        status = _running_status()
        if status:
            _print({"running": True, "already": False, **status})
            return 0
        time.sleep(0.1)
    print(f"twin: not ready within {START_TIMEOUT_SECONDS:.0f} s; see {log_path}", file=sys.stderr)
    return 1


def stop(_: argparse.Namespace) -> int:
    pid = _pid()
    if pid is not None:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if _pid() is None:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
    hosts.remove_block(paths.hosts_file())
    (paths.state_dir() / "twin.pid").unlink(missing_ok=True)
    _print({"running": False, "stopped_pid": pid})
    return 0


def status(_: argparse.Namespace) -> int:
    body = _running_status()
    _print({"running": True, **body} if body else {"running": False})
    return 0 if body else 3


def env(_: argparse.Namespace) -> int:
    print("\n".join(env_lines(TwinContext(state_dir=paths.state_dir()))))
    return 0


def _admin(method: str, path: str, body: Any = None) -> int:
    try:
        code, answer = admin_client.call(method, path, body)
    except admin_client.TwinNotRunning as e:
        print(f"twin: {e}; run `./lab twin start`", file=sys.stderr)
        return 3
    _print(answer)
    return 0 if code < 400 else 1


def inventory(_: argparse.Namespace) -> int:
    return _admin("GET", "/inventory")


def reset(_: argparse.Namespace) -> int:
    return _admin("POST", "/reset")


def faults(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _admin("GET", "/faults")
    if args.action == "clear":
        return _admin("DELETE", "/faults")
    if args.action == "remove":
        return _admin("DELETE", f"/faults/{args.id}")
    spec = {"service": args.service, "operation": args.operation, "kind": args.kind}
    for name in ("status", "retry_after", "seconds", "count", "member", "to"):
        if getattr(args, name) is not None:
            spec[name] = getattr(args, name)
    if args.value is not None:
        try:
            spec["value"] = json.loads(args.value)
        except ValueError:
            print(f"--value must be a JSON object, not {args.value!r}", file=sys.stderr)
            return 2
    return _admin("POST", "/faults", spec)


def policies(args: argparse.Namespace) -> int:
    """An AWS profile's IAM policies: only the documented ones of the given phases, or all documented."""
    if args.documented:
        return _admin("DELETE", f"/aws/iam/{args.profile}")
    return _admin("PUT", f"/aws/iam/{args.profile}", {"phases": [p for p in args.phases.split(",") if p]})


def serve(_: argparse.Namespace) -> int:
    from twin.core.server import serve as run
    return run()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="twin", description="the local cloud twin of the three accounts")
    sub = p.add_subparsers(dest="command", required=True)
    for name, func, text in [("start", start, "start in the background (idempotent)"),
                             ("stop", stop, "stop and remove the /etc/hosts block"),
                             ("status", status, "what runs where (exit 3 when not running)"),
                             ("env", env, "export lines pointing unmodified clients at the twin"),
                             ("inventory", inventory, "JSON of every object, grouped by account"),
                             ("reset", reset, "drop every object and fault; back to the state after start"),
                             ("serve", serve, "run in the foreground (used by start)")]:
        sub.add_parser(name, help=text).set_defaults(func=func)
    pol = sub.add_parser("policies", help="an AWS profile's IAM policies (docs/permissions.md), by phase")
    pol.set_defaults(func=policies)
    pol.add_argument("profile", help="aws-commercial or aws-govcloud")
    which = pol.add_mutually_exclusive_group(required=True)
    which.add_argument("--phases", help="comma-separated phases whose documented policies it holds, e.g. "
                       "prepare,saml")
    which.add_argument("--documented", action="store_true", help="all the documented policies again")
    f = sub.add_parser("faults", help="fault injection per service and operation (JSON output)")
    f.set_defaults(func=faults)
    fsub = f.add_subparsers(dest="action", required=True)
    fsub.add_parser("list")
    fsub.add_parser("clear")
    fsub.add_parser("remove").add_argument("id")
    add = fsub.add_parser("add", help="add a rule")
    add.add_argument("--service", required=True, help="e.g. identitystore, scim; * = any")
    add.add_argument("--operation", required=True, help="e.g. ListInstances, POST /Users; * = any")
    add.add_argument("--kind", required=True, choices=list(KINDS),
                     help="duplicate: served twice (AWS gateway services); "
                          "close: Connection: close after the answer")
    add.add_argument("--status", type=int, help="HTTP status of a 5xx fault (default 500)")
    add.add_argument("--retry-after", type=int, dest="retry_after", help="seconds in Retry-After (throttle)")
    add.add_argument("--seconds", type=float, help="how long a new object stays invisible (delay)")
    add.add_argument("--count", type=int, help="fire for this many requests, then disappear")
    add.add_argument("--member", help="path of the answer member to reshape, e.g. SPConfiguration.SignInUrl "
                     "(rename, overwrite)")
    add.add_argument("--to", help="the member's new name (rename; default <name>Renamed)")
    add.add_argument("--value", help='JSON object of members to set in the member (overwrite), e.g. '
                     '\'{"Status": "FAILED"}\'')
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)
