"""Runs one ./lab bench command and watches it: `bench_watch.py --out PREFIX [--scim-accounts a,b] -- CMD...`.

Writes PREFIX.log (every output line of CMD, prefixed with its arrival time, epoch seconds) and
PREFIX.json: wall seconds, exit code, the peak memory of CMD's process tree sampled from /proc
every 0.25 s (sum of RSS, and of PSS from smaps_rollup, over the descendants, and the root
process alone), the CPU seconds (user + system) of every process it waited for, the load average
at start and end, and with --scim-accounts, for each account, when RichRoe first showed in
identitystore ListUsers after the "[entraScimEnable › prepare › all] started" line. Standard
library for the watching; boto3 (the project venv) only for the identity-store poll, against
the twin whose environment (`./lab twin env`) the caller exported.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

SCIM_START = "[entraScimEnable › prepare › all] started"
REGIONS = {"aws-commercial": "us-east-1", "aws-govcloud": "us-gov-west-1"}
PAGE = os.sysconf("SC_PAGE_SIZE")


def children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name (field 2) may hold spaces and parentheses: split after its last ')'.
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def descendants(root: int) -> list[int]:
    kids = children_map()
    found, todo = [], [root]
    while todo:
        for child in kids.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes; (0, 0) when the process is gone."""
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0, 0
    pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    return rss, pss


class MemorySampler(threading.Thread):
    def __init__(self, root: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.peak = {"tree_rss": 0, "tree_pss": 0, "root_rss": 0, "processes": 0, "samples": 0}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = descendants(self.root)
            sizes = [memory(p) for p in pids]
            peak = self.peak
            peak["tree_rss"] = max(peak["tree_rss"], sum(s[0] for s in sizes))
            peak["tree_pss"] = max(peak["tree_pss"], sum(s[1] for s in sizes))
            peak["root_rss"] = max(peak["root_rss"], memory(self.root)[0])
            peak["processes"] = max(peak["processes"], len(pids))
            peak["samples"] += 1
            self.stop.wait(self.interval)


class ScimPoller(threading.Thread):
    """From `started` on, asks each account's identity store for RichRoe until it answers."""

    def __init__(self, accounts: list[str], started: float, interval: float = 0.5, limit: float = 900):
        super().__init__(daemon=True)
        self.accounts, self.started, self.interval, self.limit = accounts, started, interval, limit
        self.seen: dict[str, float] = {}
        self.errors: dict[str, str] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        import boto3  # the project venv has it; only needed when polling

        clients = {a: self.session(boto3, a) for a in self.accounts}
        stores: dict[str, str] = {}
        while not self.stop.is_set() and len(self.seen) < len(self.accounts):
            if time.time() - self.started > self.limit:
                return
            for account, (sso, ids) in clients.items():
                if account in self.seen:
                    continue
                try:
                    if account not in stores:
                        stores[account] = sso.list_instances()["Instances"][0]["IdentityStoreId"]
                    # RichRoe's userName is his Entra UPN (RichRoe@<tenant domain>), as SCIM sends it.
                    users = ids.list_users(IdentityStoreId=stores[account])["Users"]
                    if any(u["UserName"].split("@")[0] == "RichRoe" for u in users):
                        self.seen[account] = time.time() - self.started
                except Exception as exc:  # noqa: BLE001 - recorded, polling goes on
                    self.errors[account] = f"{type(exc).__name__}: {exc}"[:300]
            self.stop.wait(self.interval)

    @staticmethod
    def session(boto3, account: str):
        s = boto3.Session(profile_name=account, region_name=REGIONS[account])
        return s.client("sso-admin"), s.client("identitystore")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="path prefix of the .log and .json written")
    parser.add_argument("--scim-accounts", default="", help="accounts to poll for RichRoe, comma-separated")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    accounts = [a for a in args.scim_accounts.split(",") if a]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.time()
    load_start = Path("/proc/loadavg").read_text().split()[:3]
    # The command is the one bench.sh passes, its own scripts.
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)  # noqa: S603
    sampler = MemorySampler(proc.pid)
    sampler.start()
    poller = None
    with open(f"{out}.log", "w", encoding="utf-8") as log:
        for line in proc.stdout:
            now = time.time()
            log.write(f"{now:.3f} {line}")
            log.flush()  # so that the log can be followed while the run goes on
            if accounts and poller is None and SCIM_START in line:
                poller = ScimPoller(accounts, now)
                poller.start()
    code = proc.wait()
    wall = time.time() - start
    # Every descendant that was waited for (the JVM reaps its sh steps, they their tools) counts here.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.stop.set()
    sampler.join()
    result = {
        "command": command,
        "wall_s": round(wall, 3),
        "exit": code,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "loadavg": {"start": load_start, "end": Path("/proc/loadavg").read_text().split()[:3]},
        "memory_peak": sampler.peak,
    }
    if accounts:
        if poller is not None:
            poller.stop.set()
            poller.join()
        result["scim_richroe_s"] = {a: round(s, 2) for a, s in poller.seen.items()} if poller else {}
        result["scim_poll_errors"] = poller.errors if poller else {"all": "entraScimEnable never started"}
    Path(f"{out}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"bench: {' '.join(command[:3])}... exit {code} after {wall:.1f} s ({out}.log)", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
