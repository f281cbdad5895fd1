"""Issue 19 point 1: an account assignment in the account that holds the organization instance (the
management account) runs through the caller's own IAM permissions (IAM Identity Center user guide,
"Identity-based policy examples", Example 2; AWSSSOServiceRolePolicy excludes the management account).
The twin checks them (twin/aws/management_account.py) against the documented policies
(docs/permissions.md, the ManagementAccount statements); without one the request ends FAILED."""

import time

import pytest
from botocore.config import Config
from lab import MARKER, Lab

ACCOUNT = "aws-govcloud"
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def _final(sso, instance_arn: str, status: dict, deletion: bool = False) -> dict:
    describe = (sso.describe_account_assignment_deletion_status if deletion
                else sso.describe_account_assignment_creation_status)
    member = "AccountAssignmentDeletion" if deletion else "AccountAssignmentCreation"
    for _ in range(10):
        if status["Status"] != "IN_PROGRESS":
            return status
        time.sleep(0.1)
        answer = describe(InstanceArn=instance_arn, **{f"{member}RequestId": status["RequestId"]})
        status = answer[f"{member}Status"]
    return status


def _assign(lab, permission_set_name: str, inline: bool) -> tuple:
    sess = lab.session(ACCOUNT)
    instance = lab.instance(ACCOUNT)
    arn = instance["InstanceArn"]
    sso = sess.client("sso-admin", config=NO_RETRY)
    permission_set = sso.create_permission_set(
        InstanceArn=arn, Name=permission_set_name, Tags=[{"Key": "ManagedBy", "Value": MARKER}]
    )["PermissionSet"]["PermissionSetArn"]
    if inline:
        sso.put_inline_policy_to_permission_set(InstanceArn=arn, PermissionSetArn=permission_set,
                                                InlinePolicy='{"Version":"2012-10-17","Statement":[]}')
    user = sess.client("identitystore").create_user(
        IdentityStoreId=instance["IdentityStoreId"], UserName="someone@example.org", DisplayName="Someone",
        Name={"GivenName": "Some", "FamilyName": "One"})["UserId"]
    assignment = {"InstanceArn": arn, "TargetId": instance["AccountId"], "TargetType": "AWS_ACCOUNT",
                  "PermissionSetArn": permission_set, "PrincipalType": "USER", "PrincipalId": user}
    created = sso.create_account_assignment(**assignment)["AccountAssignmentCreationStatus"]
    return sso, arn, assignment, _final(sso, arn, created)


def test_the_documented_policies_let_identity_center_create_and_remove_the_management_account_role(lab):
    sso, arn, assignment, created = _assign(lab, "RegionalAdmin", inline=True)
    assert created["Status"] == "SUCCEEDED", created
    deleted = sso.delete_account_assignment(**assignment)["AccountAssignmentDeletionStatus"]
    assert _final(sso, arn, deleted, deletion=True)["Status"] == "SUCCEEDED"


@pytest.mark.parametrize("action", ["iam:CreateRole", "iam:GetSAMLProvider", "iam:PutRolePolicy"])
def test_without_one_iam_action_the_assignment_ends_failed_naming_it(lab, twin_aws_policy, action):
    twin_aws_policy(ACCOUNT, without=[action])
    sso, arn, assignment, created = _assign(lab, "RegionalAdmin", inline=True)
    assert created["Status"] == "FAILED", created
    expected = f"is not authorized to perform: {action} on resource: arn:aws-us-gov:iam::"
    assert expected in created["FailureReason"]
    listed = sso.list_account_assignments(InstanceArn=arn, AccountId=assignment["TargetId"],
                                          PermissionSetArn=assignment["PermissionSetArn"])["AccountAssignments"]
    assert listed == []


def test_removing_the_last_assignment_needs_the_delete_actions(lab, twin_aws_policy):
    sso, arn, assignment, created = _assign(lab, "RegionalAdmin", inline=True)
    assert created["Status"] == "SUCCEEDED", created
    twin_aws_policy(ACCOUNT, without=["iam:DeleteRole"])
    deleted = _final(sso, arn, sso.delete_account_assignment(**assignment)["AccountAssignmentDeletionStatus"],
                     deletion=True)
    assert deleted["Status"] == "FAILED" and "iam:DeleteRole on resource:" in deleted["FailureReason"]
