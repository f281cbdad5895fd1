"""With the twin enforcing docs/permissions.md's IAM policies, removing one action the library needs
makes the command fail with AccessDenied, and the error the user sees names the action and points at
docs/permissions.md: a boto3 call and a console operation of the Python automation (this file), a
Terraform provider call (test/twin/test_twin_iam_terraform.py)."""

import pytest
from lab import Lab

PREFLIGHT = ["--json", "preflight", "--account", "aws-commercial"]


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


@pytest.mark.parametrize(
    "action",
    [
        "sso:DescribeInstance",  # boto3 (sso-admin), in every command's preflight
        "sso-directory:ListExternalIdPConfigurationsForDirectory",  # console operation
    ],
)
def test_a_missing_action_fails_the_command_naming_it_and_the_policy(lab, twin_aws_policy, action):
    assert lab.run(PREFLIGHT)["ok"] is True
    twin_aws_policy("aws-commercial", without=[action])
    refused = lab.run(PREFLIGHT, expect=1)
    assert refused["ok"] is False
    error = refused["error"]
    assert "AccessDenied" in error
    assert f"is not authorized to perform: {action} on resource:" in error
    assert f"because no identity-based policy allows the {action} action" in error
    assert "docs/permissions.md" in error
    assert "docs/permissions.md" in lab.outputs[-1]  # the log line on stderr says it too
