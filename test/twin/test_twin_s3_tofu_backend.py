"""OpenTofu's own S3 state backend (use_lockfile = true, the steps' backend arguments) against the
twin's S3: the state written from one work directory is found by another (a second agent), and
a lock file held by someone else stops an apply ("Error acquiring the state lock"). Only the
built-in terraform_data resource, so no provider is needed."""

import json
import os
import subprocess
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

CACHE = Path(os.environ.get("ENTRAIDC_CACHE", Path.home() / ".cache" / "entra-idc"))
BUCKET = "entra-idc-lab-state"
KEY = "entra-idc/terraform.tfstate"
# As StateBackend.initArguments passes them.
BACKEND = ["-backend-config=bucket=" + BUCKET, "-backend-config=key=" + KEY,
           "-backend-config=profile=aws-commercial", "-backend-config=region=us-east-1",
           "-backend-config=use_lockfile=true"]
CONFIG = ('terraform {\n  backend "s3" {}\n}\n\n'
          'resource "terraform_data" "marker" {\n  input = "entra-idc"\n}\n')


def _tofu() -> Path:
    candidates = [CACHE / "bin" / "tofu", *sorted(CACHE.glob("opentofu-v*/tofu"))]
    found = next((c for c in candidates if c.exists()), None)
    if found is None:
        pytest.skip("OpenTofu is not built yet; run ./lab toolchain terraform")
    return found


def _agent_dir(tmp_path: Path, name: str) -> Path:
    work = tmp_path / name
    work.mkdir()
    (work / "main.tf").write_text(CONFIG)
    return work


def _run(work: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1")
    done = subprocess.run([str(_tofu()), *args, "-no-color"], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.usefixtures("twin_environ", "twin_reset")
def test_state_is_shared_between_agents_and_locked(tmp_path):
    s3 = boto3.Session(profile_name="aws-commercial").client(
        "s3", config=Config(s3={"addressing_style": "path"}))
    s3.create_bucket(Bucket=BUCKET)
    first = _agent_dir(tmp_path, "agent-1")
    _run(first, "init", "-input=false", *BACKEND)
    _run(first, "apply", "-auto-approve", "-input=false")
    assert b"terraform_data" in s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read()
    assert not (first / "terraform.tfstate").exists(), "the state must not be local"

    second = _agent_dir(tmp_path, "agent-2")
    _run(second, "init", "-input=false", *BACKEND)
    assert "No changes." in _run(second, "plan", "-input=false").stdout

    held = b'{"ID": "held-by-another-build"}'
    s3.put_object(Bucket=BUCKET, Key=KEY + ".tflock", Body=held, IfNoneMatch="*")
    locked = _run(second, "destroy", "-auto-approve", "-input=false", "-lock-timeout=0s", check=False)
    assert locked.returncode != 0
    assert "Error acquiring the state lock" in locked.stderr + locked.stdout
    s3.delete_object(Bucket=BUCKET, Key=KEY + ".tflock")

    _run(second, "destroy", "-auto-approve", "-input=false")
    assert json.loads(s3.get_object(Bucket=BUCKET, Key=KEY)["Body"].read())["resources"] == []
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix=KEY + ".tflock")
