"""`state-lock`: a Terraform run SIGKILLed while it held the state lock (an agent crash). Real
OpenTofu with the local backend: its lock is an fcntl lock on terraform.tfstate, which dies with
the process, and `.terraform.tfstate.lock.info`, which stays behind
(opentofu internal/states/statemgr/filesystem.go, filesystem_lock_unix.go)."""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from entraidc_cli import run
from marked_processes import marked

TOFU = Path(os.environ.get("ENTRAIDC_CACHE", Path.home() / ".cache/entra-idc")) / "bin/tofu"
CONFIG = """
resource "terraform_data" "slow" {
  provisioner "local-exec" {
    command = "touch started && sleep 120"
  }
}
"""


@pytest.fixture
def applying(tmp_path):
    """An apply that holds the local state lock (its provisioner sleeps), in a process group of its own."""
    if not TOFU.is_file():
        pytest.skip(f"no OpenTofu at {TOFU}: run ./lab toolchain terraform")
    (tmp_path / "main.tf").write_text(CONFIG)
    env = marked({"PATH": os.environ["PATH"], "HOME": str(tmp_path), "TF_IN_AUTOMATION": "1",
                  "CHECKPOINT_DISABLE": "1"})
    subprocess.run([str(TOFU), "init", "-input=false"], cwd=tmp_path, env=env, check=True,
                   capture_output=True)
    apply = subprocess.Popen(  # noqa: S603
        [str(TOFU), "apply", "-auto-approve", "-input=false"],
        cwd=tmp_path, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "started").exists():
        assert time.monotonic() < deadline and apply.poll() is None, "the apply never reached its provisioner"
        time.sleep(0.1)
    yield tmp_path, apply
    if apply.poll() is None:
        os.killpg(apply.pid, signal.SIGKILL)
        apply.wait()


def state_lock(directory: Path) -> subprocess.CompletedProcess:
    return run(["--json", "state-lock", "--terraform-dir", str(directory)], {"ENTRAIDC_TERRAFORM": str(TOFU)})


def test_a_lock_held_by_a_running_apply_is_never_released(applying):
    directory, _apply = applying
    info = json.loads((directory / ".terraform.tfstate.lock.info").read_text())
    done = state_lock(directory)
    assert done.returncode == 1, done.stderr
    assert "locked by a running Terraform process" in done.stderr
    assert info["ID"] in done.stderr and "OperationTypeApply" in done.stderr
    assert (directory / ".terraform.tfstate.lock.info").is_file()


def test_the_lock_info_a_killed_apply_left_is_explained_and_removed(applying):
    directory, apply = applying
    os.killpg(apply.pid, signal.SIGKILL)  # the whole process group, as an agent crash
    apply.wait()
    info = json.loads((directory / ".terraform.tfstate.lock.info").read_text())
    done = state_lock(directory)
    assert done.returncode == 0, done.stderr
    assert ("removed the stale .terraform.tfstate.lock.info of a Terraform run that ended without "
            f"unlocking (lock {info['ID']} (OperationTypeApply)") in done.stderr
    assert not (directory / ".terraform.tfstate.lock.info").exists()
    assert json.loads(done.stdout)["released"] is True


def test_no_lock_is_nothing_to_do(tmp_path):
    done = state_lock(tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["lock"] is None
    assert done.stderr == ""
