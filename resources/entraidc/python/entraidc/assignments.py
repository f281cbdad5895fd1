"""Deleting account assignments and permission sets, which IAM Identity Center does asynchronously.

DeleteAccountAssignment answers at once with a request whose status is then followed with
DescribeAccountAssignmentDeletionStatus (botocore sso-admin 2020-07-20; StatusValues IN_PROGRESS,
FAILED, SUCCEEDED); DeletePermissionSet answers ConflictException while one of its assignments is
still being deleted (hashicorp/terraform-provider-aws#26757). So each deletion is waited for, as the
aws provider's waitAccountAssignmentDeleted does (5 minutes), and a ConflictException on the
permission set is retried a few times besides.
"""


import botocore.exceptions

from .errors import EntraIdcError
from .retry import RetryPolicy

TIMEOUT_SECONDS = 300.0  # the aws provider's default delete timeout of aws_ssoadmin_account_assignment


def delete_assignment(sso, instance, permission_set_arn: str, principal_type: str, principal_id: str,
                      policy: RetryPolicy | None = None) -> None:
    """Deletes one assignment in the instance's own account and waits until the deletion SUCCEEDED."""
    policy = policy or RetryPolicy.from_env()
    request = sso.delete_account_assignment(
        InstanceArn=instance.instance_arn, TargetId=instance.account_id, TargetType="AWS_ACCOUNT",
        PermissionSetArn=permission_set_arn, PrincipalType=principal_type, PrincipalId=principal_id,
    )["AccountAssignmentDeletionStatus"]
    deadline = policy.clock() + TIMEOUT_SECONDS
    attempt = 0
    while request.get("Status") == "IN_PROGRESS":
        if policy.clock() > deadline:
            raise EntraIdcError(
                f"the deletion of the account assignment of {principal_type} {principal_id} to "
                f"{permission_set_arn} is still IN_PROGRESS after {TIMEOUT_SECONDS:.0f}s (request "
                f"{request.get('RequestId')}); run the step again later"
            )
        policy.sleep(policy.backoff(attempt))
        attempt += 1
        request = sso.describe_account_assignment_deletion_status(
            InstanceArn=instance.instance_arn, AccountAssignmentDeletionRequestId=request["RequestId"]
        )["AccountAssignmentDeletionStatus"]
    if request.get("Status") == "FAILED":
        raise EntraIdcError(
            f"IAM Identity Center could not delete the account assignment of {principal_type} {principal_id} "
            f"to {permission_set_arn}: {request.get('FailureReason') or 'no reason given'}"
        )


def delete_permission_set(sso, instance, arn: str, policy: RetryPolicy | None = None) -> None:
    """DeletePermissionSet, retried on ConflictException (an assignment deletion not yet visible)."""
    policy = policy or RetryPolicy.from_env()
    for attempt in range(policy.max_attempts):
        try:
            sso.delete_permission_set(InstanceArn=instance.instance_arn, PermissionSetArn=arn)
            return
        except botocore.exceptions.ClientError as exc:
            if exc.response["Error"]["Code"] != "ConflictException" or attempt + 1 == policy.max_attempts:
                raise
            policy.sleep(policy.backoff(attempt))


