"""Fixtures of the Terraform tests against the twin."""

import shutil

import pytest
from tofu_twin import MODULE, tofu_runner


@pytest.fixture
def tofu_current_layout(twin_environ, twin_reset, tmp_path):
    work = tmp_path / "resources" / "entraidc" / "terraform"
    shutil.copytree(MODULE, work, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl"))
    run = tofu_runner(work)
    yield run
    run("destroy", "-auto-approve", "-input=false", expect=(0, 1))
