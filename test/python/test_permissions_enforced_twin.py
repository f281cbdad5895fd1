"""With the twin enforcing docs/permissions.md's IAM policies, removing one action the library needs
makes the command fail with AccessDenied, and the error the user sees names the action and points at
docs/permissions.md: a boto3 call and a console operation of the Python automation (this file), a
Terraform provider call (test/twin/test_twin_iam_terraform.py)."""

import pytest
from botocore.exceptions import ClientError
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


def test_preflight_needs_only_the_prepare_policy_and_prepare_alone_changes_nothing(lab, twin_aws_policy):
    """A profile holding only the prepare policy (every step runs preflight first) passes preflight,
    including its permission-set and secret reads, and cannot create anything."""
    held = twin_aws_policy("aws-commercial", phases=["prepare"])
    assert sorted(held) == ["EntraIdcPrepare"]
    assert lab.run(PREFLIGHT)["ok"] is True
    sso = lab.session("aws-commercial").client("sso-admin")
    instance_arn = lab.instance("aws-commercial")["InstanceArn"]
    with pytest.raises(ClientError) as refused:
        sso.create_permission_set(InstanceArn=instance_arn, Name="RegionalAdmin")
    assert "is not authorized to perform: sso:CreatePermissionSet" in str(refused.value)
