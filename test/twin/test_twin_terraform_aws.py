"""The real hashicorp/aws provider (built by `./lab toolchain terraform`) plans, applies and
destroys a permission set and an identity-store user in each partition against the twin.

References: the provider's own schema and behaviour (it is the real one); the configuration
is terraform_aws_probe/ (profiles aws-commercial and aws-govcloud, no endpoint in HCL: the
provider finds the twin through the shared config's ``endpoint_url``).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import boto3
import pytest

from twin.core import admin_client

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("ENTRAIDC_CACHE", Path.home() / ".cache" / "entra-idc"))
PROBE = Path(__file__).parent / "terraform_aws_probe"


def _cli_config(tmp_path: Path) -> Path:
    """The toolchain's tofurc: providers from the local mirror only."""
    if not (CACHE / "tofurc").exists():
        pytest.fail("the Terraform toolchain is not built; run ./lab toolchain terraform")
    return CACHE / "tofurc"


@pytest.fixture
def tofu(twin_environ, twin_reset, tmp_path):
    binary = CACHE / "bin" / "tofu"
    if not binary.exists():
        pytest.skip("OpenTofu is not built yet; run ./lab toolchain terraform")
    work = tmp_path / "probe"
    shutil.copytree(PROBE, work)
    env = dict(
        os.environ,
        TF_CLI_CONFIG_FILE=str(_cli_config(tmp_path)),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
    )

    def run(*args: str, expect: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [str(binary), *args, "-no-color"],
            cwd=work,
            env=env,  # noqa: S603
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        assert done.returncode in expect, (
            f"tofu {args[0]}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
        )
        return done

    yield run
    run("destroy", "-auto-approve", expect=(0, 1))


def _inventory() -> dict:
    return admin_client.call("GET", "/inventory")[1]


def test_provider_plans_applies_and_destroys_in_both_partitions(tofu):
    tofu("init")
    assert tofu("plan", "-detailed-exitcode", expect=(2,)).returncode == 2  # 2: changes to make
    tofu("apply", "-auto-approve")
    outputs = {k: v["value"] for k, v in json.loads(tofu("output", "-json").stdout).items()}
    assert (outputs["commercial"]["account_id"], outputs["commercial"]["partition"]) == (
        "111122223333",
        "aws",
    )
    assert (outputs["govcloud"]["account_id"], outputs["govcloud"]["partition"]) == (
        "444455556666",
        "aws-us-gov",
    )
    assert outputs["govcloud"]["permission_set_arn"].startswith("arn:aws-us-gov:sso:::instance/ssoins-")
    assert outputs["commercial"]["permission_set_arn"].startswith("arn:aws:sso:::instance/ssoins-")
    for profile in ("aws-commercial", "aws-govcloud"):
        session = boto3.Session(profile_name=profile)
        store = session.client("sso-admin").list_instances()["Instances"][0]["IdentityStoreId"]
        users = session.client("identitystore").list_users(IdentityStoreId=store)["Users"]
        assert [u["UserName"] for u in users] == ["twin-probe"]
    inventory = _inventory()
    assert [p["Name"] for p in inventory["aws-govcloud"]["permission_sets"]] == ["TwinProbe"]
    assert tofu("plan", "-detailed-exitcode").returncode == 0  # refreshed from the twin: no drift
    tofu("destroy", "-auto-approve")
    inventory = _inventory()
    for account in ("aws-commercial", "aws-govcloud"):
        assert (
            inventory[account]["permission_sets"] == [] and inventory[account]["identity_store_users"] == []
        )
