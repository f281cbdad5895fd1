"""`state-lock --terraform-dir DIR`: finds a Terraform state lock that a killed run left behind and
releases it only when its holder is certainly dead; otherwise stops, naming the lock and the fix.

NOT PURE TERRAFORM: separate Python command, run by the steps after `init`, before any plan. A
SIGKILLed `terraform apply` cannot release its lock:

- local backend: the lock is an fcntl lock on terraform.tfstate, which the kernel drops with the
  process, plus the informational file `.terraform.tfstate.lock.info` next to it, which stays
  (OpenTofu internal/states/statemgr/filesystem.go and filesystem_lock_unix.go). The file blocks
  nothing; it is removed when this process can take the fcntl lock itself (no live Terraform holds
  it), and the log says whose it was.
- S3 backend with `use_lockfile`: the lock is the object `<key>.tflock`, which stays and makes
  every later run fail with "Error acquiring the state lock" until `terraform force-unlock`. Its
  holder is certainly dead when the lock was taken on this machine by this user (the lock's
  `Who`, "user@host", as Terraform's statemgr.NewLockInfo writes it) and no Terraform or OpenTofu
  process of this user whose root module uses the same bucket and key runs here now (/proc: its
  working directory, or that joined with -chdir before Terraform has applied it, and the
  backend `init` recorded there; one that cannot be read counts as a holder).
  Then this runs `terraform force-unlock -force ID`.
  A lock taken elsewhere, or while a Terraform process runs here, is never released: the command
  fails, naming the lock, its holder and `terraform force-unlock ID`.
"""

import errno
import fcntl
import getpass
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import botocore.exceptions

from . import output
from .errors import EntraIdcError

LOCAL_STATE = "terraform.tfstate"
LOCAL_LOCK_INFO = ".terraform.tfstate.lock.info"
S3_ACCOUNT = "aws-commercial"  # the account of the state bucket (the steps' backend configuration)
NONE = {"lock": None, "table": "state lock: none left behind"}


def _terraform() -> str:
    return os.environ.get("ENTRAIDC_TERRAFORM") or "terraform"


def backend(directory: Path) -> dict:
    """The backend `init` recorded in DIR/.terraform/terraform.tfstate ({} for the local default)."""
    recorded = directory / ".terraform" / LOCAL_STATE
    if not recorded.is_file():
        return {}
    return (json.loads(recorded.read_text()).get("backend") or {})


def describe(info: dict) -> str:
    return (
        f"lock {info.get('ID')} ({info.get('Operation') or 'operation unknown'}) taken by "
        f"{info.get('Who') or 'unknown'} at {info.get('Created') or 'an unknown time'}"
    )


def _root_modules(proc: Path, argv: list[str]) -> list[Path]:
    """Where a Terraform process's root module may be: its working directory, which is the root
    module once Terraform has applied -chdir (it changes directory at start, OpenTofu
    cmd/tofu/main.go), and that directory joined with -chdir, for a process that has not yet."""
    cwd = Path(os.readlink(proc / "cwd"))
    roots = [cwd]
    for arg in argv[1:]:
        if arg.startswith("-chdir="):
            roots.append(cwd / arg.split("=", 1)[1])
    return roots


def _same_state(root: Path, config: dict) -> bool:
    """Whether the root module uses the state (bucket and key) of CONFIG; unreadable counts as yes."""
    try:
        other = (backend(root).get("config") or {})
    except (OSError, ValueError):
        return True
    return (other.get("bucket"), other.get("key")) == (config.get("bucket"), config.get("key"))


def terraform_processes(config: dict) -> list[int]:
    """PIDs of this user's Terraform and OpenTofu processes on this machine that use the state of CONFIG."""
    names = {"terraform", "tofu", Path(_terraform()).name}
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != os.getuid():
                continue
            argv = [a.decode(errors="replace") for a in (entry / "cmdline").read_bytes().split(b"\0") if a]
            if not argv or Path(argv[0]).name not in names:
                continue
            roots = _root_modules(entry, argv)
        except OSError:
            continue  # gone meanwhile
        if any(_same_state(root, config) for root in roots):
            found.append(int(entry.name))
    return found


def this_holder() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()}"


def holder_is_dead(info: dict, config: dict) -> tuple[bool, str]:
    """Whether the lock's holder is certainly gone, and why (or why that cannot be told)."""
    if info.get("Who") != this_holder():
        return False, f"it was not taken on this agent ({this_holder()})"
    running = terraform_processes(config)
    if running:
        return False, (
            f"Terraform processes using this state run on this agent now (PID {', '.join(map(str, running))})"
        )
    return True, (
        f"it was taken on this agent ({this_holder()}) and no Terraform process using this state "
        "runs here now"
    )


def _local(directory: Path) -> dict:
    info_file = directory / LOCAL_LOCK_INFO
    if not info_file.is_file():
        return NONE
    try:
        info = json.loads(info_file.read_text())
    except ValueError:
        info = {}
    state = directory / LOCAL_STATE
    if state.is_file():
        with state.open("r+") as handle:
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                raise EntraIdcError(
                    f"the Terraform state {state} is locked by a running Terraform process "
                    f"({describe(info)}); wait for it to end, or stop it, then run the step again"
                ) from None
            fcntl.lockf(handle, fcntl.LOCK_UN)
    info_file.unlink()
    # Not tagged with an account: the local state is the agent's.
    print(output.redact(
        f"removed the stale {LOCAL_LOCK_INFO} of a Terraform run that ended without unlocking "
        f"({describe(info)}): the local backend's lock itself (fcntl on {LOCAL_STATE}) ended with "
        "that process, so nothing waited on it"
    ), file=sys.stderr, flush=True)
    return {"lock": info.get("ID"), "released": True, "table": f"state lock: released {info.get('ID')}"}


def _s3_lock(config: dict) -> tuple[str, dict | None]:
    bucket, key = config.get("bucket"), config.get("key") or LOCAL_STATE
    s3 = boto3.Session(profile_name=config.get("profile"), region_name=config.get("region")).client("s3")
    where = f"s3://{bucket}/{key}.tflock"
    try:
        body = s3.get_object(Bucket=bucket, Key=f"{key}.tflock")["Body"].read()
    except botocore.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return where, None
        raise
    try:
        return where, json.loads(body)
    except ValueError:
        return where, {}


def _s3(directory: Path, config: dict) -> dict:
    if not config.get("use_lockfile"):
        return NONE
    where, info = _s3_lock(config)
    if info is None:
        return NONE
    dead, why = holder_is_dead(info, config)
    if not dead:
        raise EntraIdcError(
            f"the Terraform state is locked ({where}: {describe(info)}) and this run cannot tell that "
            f"the holder is gone: {why}. If no Terraform run against this state is active anywhere, "
            f"release it with `terraform -chdir=<workDir>/terraform force-unlock {info.get('ID')}` "
            "and run the step again",
            account=S3_ACCOUNT,
        )
    unlocked = subprocess.run(  # noqa: S603 - the agent's own Terraform (ENTRAIDC_TERRAFORM)
        [_terraform(), f"-chdir={directory}", "force-unlock", "-force", str(info.get("ID"))],
        capture_output=True,
        text=True,
        check=False,
    )
    if unlocked.returncode != 0:
        last = (unlocked.stderr.strip().splitlines() or ["no message"])[-1]
        raise EntraIdcError(
            f"terraform force-unlock {info.get('ID')} failed ({last}); {where} stays locked",
            account=S3_ACCOUNT,
        )
    output.log(
        S3_ACCOUNT,
        f"released the stale state lock {where} ({describe(info)}): its holder is dead, as {why}",
    )
    return {"lock": info.get("ID"), "released": True, "table": f"state lock: released {info.get('ID')}"}


def run(ctx, args) -> dict:
    directory = Path(args.terraform_dir)
    found = backend(directory)
    if found.get("type") == "s3":
        return _s3(directory, found.get("config") or {})
    if found.get("type") not in (None, "local"):
        return {**NONE, "backend": found.get("type")}
    return _local(directory)
