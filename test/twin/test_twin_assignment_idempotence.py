"""CreateAccountAssignment is idempotent in IAM Identity Center: one assignment per (account,
permission set, principal). The aws provider's read of an assignment fails with "too many
results" when a repeat creates a second copy, as moto alone does.

Reference: botocore sso-admin 2020-07-20 model, CreateAccountAssignment and
ListAccountAssignments (AccountAssignmentOperationStatus.Status IN_PROGRESS|FAILED|SUCCEEDED).
"""

import boto3


def test_repeated_create_keeps_one_assignment(twin_environ, twin_reset):
    session = boto3.Session(profile_name="aws-govcloud")
    admin = session.client("sso-admin")
    instance = admin.list_instances()["Instances"][0]
    account = session.client("sts").get_caller_identity()["Account"]
    store = session.client("identitystore")
    user = store.create_user(IdentityStoreId=instance["IdentityStoreId"], UserName="dup-check",
                             DisplayName="Dup Check", Name={"GivenName": "Dup", "FamilyName": "Check"})
    permission_set = admin.create_permission_set(InstanceArn=instance["InstanceArn"], Name="DupCheck")
    arn = permission_set["PermissionSet"]["PermissionSetArn"]
    request = dict(InstanceArn=instance["InstanceArn"], TargetId=account, TargetType="AWS_ACCOUNT",
                   PermissionSetArn=arn, PrincipalType="USER", PrincipalId=user["UserId"])

    first = admin.create_account_assignment(**request)["AccountAssignmentCreationStatus"]
    again = admin.create_account_assignment(**request)["AccountAssignmentCreationStatus"]

    assert again["Status"] == "SUCCEEDED"
    assert again["RequestId"] == first["RequestId"]
    listed = admin.list_account_assignments(InstanceArn=instance["InstanceArn"], AccountId=account,
                                            PermissionSetArn=arn)["AccountAssignments"]
    assert [a["PrincipalId"] for a in listed] == [user["UserId"]]
