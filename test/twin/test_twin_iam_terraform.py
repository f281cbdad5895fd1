"""The real aws provider against the twin's IAM enforcement: with one action it needs removed from
the documented policy (identitystore:CreateUser, which only Terraform calls: the module's NikkiWolf
user), apply fails with AccessDenied naming the action, and the step's log (label_lines.py, which
every Terraform line passes through) points at docs/permissions.md."""

import subprocess
import sys
from pathlib import Path

from test_twin_terraform_aws import tofu  # noqa: F401 (the fixture)

LABEL_LINES = Path(__file__).resolve().parents[2] / "resources" / "entraidc" / "python" / "label_lines.py"
ACTION = "identitystore:CreateUser"


def test_apply_without_an_action_fails_naming_it_and_the_policy(tofu, twin_aws_policy):  # noqa: F811
    twin_aws_policy("aws-govcloud", without=[ACTION])
    tofu("init")
    failed = tofu("apply", "-auto-approve", expect=(1,))
    user = "arn:aws-us-gov:iam::444455556666:user/entraidc-automation"
    assert (f"User: {user} is not authorized to perform: {ACTION} on resource: * because no "
            f"identity-based policy allows the {ACTION} action") in failed.stderr
    logged = subprocess.run(
        [sys.executable, str(LABEL_LINES), "--step", "entraSamlSetup", "--phase", "terraform apply",
         "--account", "aws-govcloud"],
        input=failed.stderr, capture_output=True, text=True, check=True, timeout=30,
    ).stdout
    hint = next(line for line in logged.splitlines() if "docs/permissions.md" in line)
    assert hint.startswith("[entraSamlSetup › terraform apply › ") and ACTION in hint
