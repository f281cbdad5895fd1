"""The lost-answer loop: creates and deletes through the real aws provider (OpenTofu) and boto3, in
both profiles, with the lifecycle's mix (identity-store users, permission sets with an inline policy,
account assignments, secrets), then counts in the twin's log the answers the clients lost
(tools/lost_answer_count.py). twin/README.md ("Answers the client lost") reports its figures.

Run it against a running twin with the twin's environment (and no other test using that twin):
    ./lab twin start && eval "$(./lab twin env)" &&
        ~/.cache/entra-idc/venv/bin/python tools/lost_answers.py --rounds 4 --objects 10; ./lab twin stop

Each round applies test/twin/lost_answers_probe (N objects of each kind per account) and destroys it,
while --boto3-workers threads per profile create and delete the same kinds with boto3. Every object is
named after this run's prefix and swept with boto3 after each round, so a create whose answer was lost
(an orphan) does not block the next round. Prints one JSON report.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "resources" / "entraidc" / "python"))
from entraidc.assignments import delete_assignment, delete_permission_set  # noqa: E402
from lost_answer_count import count, read_from  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("ENTRAIDC_CACHE", Path.home() / ".cache" / "entra-idc"))
PROBE = ROOT / "test" / "twin" / "lost_answers_probe"
PROFILES = ("aws-commercial", "aws-govcloud")
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["s3:ListAllMyBuckets"], "Resource": "*"}],
    }
)


class Account:
    """One profile's clients and Identity Center instance (instance_arn and account_id are what
    entraidc.assignments takes)."""

    def __init__(self, profile: str) -> None:
        session = boto3.Session(profile_name=profile)
        self.sso = session.client("sso-admin")
        self.ids = session.client("identitystore")
        self.secrets = session.client("secretsmanager")
        instance = self.sso.list_instances()["Instances"][0]
        self.instance_arn, self.store = instance["InstanceArn"], instance["IdentityStoreId"]
        self.account_id = session.client("sts").get_caller_identity()["Account"]

    def cycle(self, name: str) -> None:
        """Create and delete one object of each kind, as the lifecycle's steps do (the deletions of an
        assignment and its permission set with the automation's own code, entraidc.assignments)."""
        user = self.ids.create_user(
            IdentityStoreId=self.store,
            UserName=f"{name}@example.com",
            DisplayName=name,
            Name={"GivenName": "Probe", "FamilyName": name},
        )["UserId"]
        created = self.sso.create_permission_set(
            InstanceArn=self.instance_arn, Name=name, SessionDuration="PT1H"
        )
        arn = created["PermissionSet"]["PermissionSetArn"]
        self.sso.put_inline_policy_to_permission_set(
            InstanceArn=self.instance_arn, PermissionSetArn=arn, InlinePolicy=POLICY
        )
        self.sso.create_account_assignment(
            InstanceArn=self.instance_arn,
            PermissionSetArn=arn,
            PrincipalType="USER",
            PrincipalId=user,
            TargetType="AWS_ACCOUNT",
            TargetId=self.account_id,
        )
        self.secrets.create_secret(Name=f"{name}/secret", SecretString="probe")
        self.secrets.delete_secret(SecretId=f"{name}/secret", ForceDeleteWithoutRecovery=True)
        delete_assignment(self.sso, self, arn, "USER", user)
        self.sso.delete_inline_policy_from_permission_set(InstanceArn=self.instance_arn, PermissionSetArn=arn)
        delete_permission_set(self.sso, self, arn)
        self.ids.delete_user(IdentityStoreId=self.store, UserId=user)

    def sweep(self, prefix: str) -> int:
        """Deletes every object named after prefix; how many."""
        swept = 0
        for page in self.sso.get_paginator("list_permission_sets").paginate(InstanceArn=self.instance_arn):
            for arn in page["PermissionSets"]:
                described = self.sso.describe_permission_set(
                    InstanceArn=self.instance_arn, PermissionSetArn=arn
                )
                if not described["PermissionSet"]["Name"].startswith(prefix):
                    continue
                listed = self.sso.list_account_assignments(
                    InstanceArn=self.instance_arn, AccountId=self.account_id, PermissionSetArn=arn
                )["AccountAssignments"]
                for assignment in listed:
                    delete_assignment(
                        self.sso, self, arn, assignment["PrincipalType"], assignment["PrincipalId"]
                    )
                delete_permission_set(self.sso, self, arn)
                swept += 1
        for page in self.ids.get_paginator("list_users").paginate(IdentityStoreId=self.store):
            for user in page["Users"]:
                if user["UserName"].startswith(prefix):
                    self.ids.delete_user(IdentityStoreId=self.store, UserId=user["UserId"])
                    swept += 1
        for page in self.secrets.get_paginator("list_secrets").paginate():
            for secret in page["SecretList"]:
                if secret["Name"].startswith(prefix):
                    self.secrets.delete_secret(SecretId=secret["ARN"], ForceDeleteWithoutRecovery=True)
                    swept += 1
        return swept


def boto3_worker(
    account: Account, prefix: str, pause: float, stop: threading.Event, tally: dict, lock: threading.Lock
) -> None:
    number = 0
    while not stop.wait(pause):
        number += 1
        outcome = "cycles"
        try:
            account.cycle(f"{prefix}-{number}")
        except ClientError as e:
            outcome = f"failed: {e.response['Error']['Code']}"
        except BotoCoreError as e:
            outcome = f"failed: {type(e).__name__}"
        with lock:
            tally[outcome] = tally.get(outcome, 0) + 1


def tofu(work: Path, env: dict, timeout: float, *args: str) -> dict:
    """Runs tofu in its own process group, killed whole (with its provider plugins) on timeout."""
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603
        [str(CACHE / "bin" / "tofu"), *args, "-no-color"],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = process.communicate(timeout=timeout)
        outcome = "ok" if process.returncode == 0 else f"exit {process.returncode}"
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        outcome = f"stalled after {timeout:.0f} s"
    errors = sorted({line.strip() for line in output.splitlines() if "Error:" in line or "api error" in line})
    return {
        "command": args[0],
        "outcome": outcome,
        "seconds": round(time.monotonic() - started, 1),
        "errors": errors[:10],
    }


def load_sampler(stop: threading.Event, samples: list[float]) -> None:
    while not stop.wait(10):
        samples.append(os.getloadavg()[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=4, help="tofu apply + destroy rounds (default 4)")
    parser.add_argument(
        "--objects", type=int, default=10, help="objects of each kind per account (default 10)"
    )
    parser.add_argument(
        "--boto3-workers", type=int, default=1, help="boto3 create/delete threads per profile"
    )
    parser.add_argument("--boto3-pause", type=float, default=0.5, help="seconds between a worker's cycles")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one tofu command may take")
    args = parser.parse_args()
    if "AWS_CONFIG_FILE" not in os.environ or not (CACHE / "bin" / "tofu").exists():
        print(
            'lost_answers: run it with the twin\'s environment (eval "$(./lab twin env)") and the toolchain '
            "built (./lab toolchain)",
            file=sys.stderr,
        )
        return 2
    log = Path(os.environ.get("ENTRAIDC_TWIN_DIR", CACHE / "twin")) / "twin.log"
    offset = log.stat().st_size
    run = uuid.uuid4().hex[:6]
    env = dict(
        os.environ,
        TF_CLI_CONFIG_FILE=str(CACHE / "tofurc"),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
    )
    accounts = [Account(p) for p in PROFILES]
    started, stop, lock = time.monotonic(), threading.Event(), threading.Lock()
    tally: dict[str, int] = {}
    loads = [os.getloadavg()[0]]
    threads = [threading.Thread(target=load_sampler, args=(stop, loads), daemon=True)]
    threads += [
        threading.Thread(
            target=boto3_worker, args=(a, f"lb{run}w{i}", args.boto3_pause, stop, tally, lock), daemon=True
        )
        for a in accounts
        for i in range(args.boto3_workers)
    ]
    rounds = []
    with tempfile.TemporaryDirectory(prefix="lost-answers-") as tmp:
        work = Path(tmp) / "probe"
        shutil.copytree(PROBE, work)
        rounds.append(tofu(work, env, args.timeout, "init"))
        for thread in threads:
            thread.start()
        for number in range(args.rounds):
            prefix = f"lt{run}r{number}"
            variables = ["-var", f"prefix={prefix}", "-var", f"n={args.objects}"]
            rounds.append(tofu(work, env, args.timeout, "apply", "-auto-approve", *variables))
            rounds.append(tofu(work, env, args.timeout, "destroy", "-auto-approve", *variables))
            rounds[-1]["swept"] = sum(a.sweep(prefix) for a in accounts)
        stop.set()
        for thread in threads[1:]:
            thread.join()
    swept_boto3 = sum(a.sweep(f"lb{run}") for a in accounts)
    figures = count(read_from(log, offset))
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "run": run,
        "seconds": round(time.monotonic() - started),
        "rounds": args.rounds,
        "objects": args.objects,
        "boto3_workers_per_profile": args.boto3_workers,
        "boto3_pause_seconds": args.boto3_pause,
        "boto3": tally,
        "boto3_swept": swept_boto3,
        "load_average": {"mean": round(sum(loads) / len(loads), 2), "max": round(max(loads), 2)},
        "tofu": rounds,
        **figures,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
