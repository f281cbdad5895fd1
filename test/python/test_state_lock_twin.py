"""`state-lock` with the S3 backend (`use_lockfile`), against the twin's S3: the lock object
`<key>.tflock` a SIGKILLed apply leaves blocks every later run until `force-unlock`; it is released
only when its holder is certainly dead (taken on this agent by this user, no Terraform process
running here), never when it was taken elsewhere."""

import json
import os
import signal
import subprocess
import time

import boto3
import pytest
from entraidc_cli import run
from test_state_lock import CONFIG, TOFU

BUCKET = "entra-idc-lock-test"
KEY = "entra-idc/terraform.tfstate"


@pytest.fixture
def s3_root(twin_environ, twin_reset, tmp_path):
    if not TOFU.is_file():
        pytest.skip(f"no OpenTofu at {TOFU}: run ./lab toolchain terraform")
    s3 = boto3.Session(profile_name="aws-commercial", region_name="us-east-1").client("s3")
    s3.create_bucket(Bucket=BUCKET)
    (tmp_path / "main.tf").write_text('terraform {\n  backend "s3" {}\n}\n' + CONFIG)
    config = [f"-backend-config={c}" for c in (f"bucket={BUCKET}", f"key={KEY}", "profile=aws-commercial",
                                                "region=us-east-1", "use_lockfile=true")]
    subprocess.run([str(TOFU), "init", "-input=false", *config], cwd=tmp_path, check=True,
                   capture_output=True)
    yield tmp_path, s3
    for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=item["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def lock_object(s3) -> dict | None:
    try:
        return json.loads(s3.get_object(Bucket=BUCKET, Key=f"{KEY}.tflock")["Body"].read())
    except s3.exceptions.NoSuchKey:
        return None


def state_lock(directory) -> subprocess.CompletedProcess:
    env = {**os.environ, "ENTRAIDC_TERRAFORM": str(TOFU)}
    return run(["state-lock", "--terraform-dir", str(directory)], env)


def test_a_killed_apply_leaves_the_lock_object_and_it_is_released(s3_root):
    directory, s3 = s3_root
    apply = subprocess.Popen(  # noqa: S603
        [str(TOFU), "apply", "-auto-approve", "-input=false"], cwd=directory, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (directory / "started").exists():
        assert time.monotonic() < deadline and apply.poll() is None, "the apply never reached its provisioner"
        time.sleep(0.1)
    running = state_lock(directory)
    assert running.returncode == 1, running.stderr
    assert f"Terraform processes using this state run on this agent now (PID {apply.pid}" in running.stderr
    os.killpg(apply.pid, signal.SIGKILL)  # an agent crash: every process of the group at once
    apply.wait()
    info = lock_object(s3)
    assert info and info["Operation"] == "OperationTypeApply", "the killed apply left no lock object"
    blocked = subprocess.run([str(TOFU), "plan", "-input=false", "-lock-timeout=0s"], cwd=directory,
                             capture_output=True, text=True, check=False)
    assert blocked.returncode == 1 and "Error acquiring the state lock" in blocked.stderr

    done = state_lock(directory)
    assert done.returncode == 0, done.stderr
    released = f"[aws-commercial] released the stale state lock s3://{BUCKET}/{KEY}.tflock (lock {info['ID']}"
    assert released in done.stderr
    assert "no Terraform process using this state runs here now" in done.stderr
    assert lock_object(s3) is None


def test_an_apply_started_with_chdir_as_the_steps_start_it_holds_the_lock(s3_root):
    """The steps run `terraform -chdir=terraform apply` from the work directory; Terraform changes
    its working directory to the -chdir one at start (OpenTofu cmd/tofu/main.go), so /proc shows
    the root module as its cwd. On 2026-12-02 state-lock took cwd/-chdir for the root module,
    found no backend there, and force-unlocked another build's live apply lock."""
    directory, s3 = s3_root
    apply = subprocess.Popen(  # noqa: S603
        [str(TOFU), f"-chdir={directory.name}", "apply", "-auto-approve", "-input=false"],
        cwd=directory.parent, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (directory / "started").exists():
            assert time.monotonic() < deadline and apply.poll() is None, "no provisioner ran"
            time.sleep(0.1)
        held = lock_object(s3)
        running = state_lock(directory)
        assert running.returncode == 1, running.stderr
        holders = f"Terraform processes using this state run on this agent now (PID {apply.pid}"
        assert holders in running.stderr
        assert lock_object(s3) == held, "a live apply's lock was released"
    finally:
        os.killpg(apply.pid, signal.SIGKILL)
        apply.wait()


def test_a_lock_taken_on_another_agent_is_explained_and_kept(s3_root):
    directory, s3 = s3_root
    foreign = {"ID": "5f0c2a8e-0000-4000-8000-000000000001", "Operation": "OperationTypeApply", "Info": "",
               "Who": "jenkins@agent-7", "Version": "1.12.6", "Created": "2026-12-01T02:14:00Z", "Path": KEY}
    s3.put_object(Bucket=BUCKET, Key=f"{KEY}.tflock", Body=json.dumps(foreign).encode())
    done = state_lock(directory)
    assert done.returncode == 1, done.stderr
    assert "taken by jenkins@agent-7 at 2026-12-01T02:14:00Z" in done.stderr
    assert "it was not taken on this agent" in done.stderr
    assert f"force-unlock {foreign['ID']}" in done.stderr
    assert lock_object(s3) == foreign
