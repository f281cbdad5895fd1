"""Account assignments are created and deleted asynchronously (botocore sso-admin 2020-07-20:
CreateAccountAssignment and DeleteAccountAssignment answer an AccountAssignmentOperationStatus and
"After a successful response, call DescribeAccountAssignmentCreationStatus / …DeletionStatus to
describe the status of an assignment … request"; StatusValues IN_PROGRESS | FAILED | SUCCEEDED).
moto 5.2.5 answers SUCCEEDED at once (ssoadmin/responses.py). The twin answers IN_PROGRESS, and keeps
each request IN_PROGRESS for its first STATUS_READS status reads (the aws provider's waiters poll
until SUCCEEDED: waitAccountAssignmentCreated/Deleted, internal/service/ssoadmin/account_assignment.go,
Pending IN_PROGRESS, Target SUCCEEDED), or MAX_SECONDS for a client that never reads (*inferred*: how
long the service takes; it does finish by itself).

While an assignment of a permission set is being deleted, DeletePermissionSet answers
ConflictException (hashicorp/terraform-provider-aws#26757: "ConflictException: Could not delete
bec[ause] …", the rest of the message *inferred*), as it does while the permission set still has
assignments ("AWS SSO admin API does not allow deleting a permission set that already has account
assignments", aws-samples/aws-iam-identity-center-extensions#89); moto deletes it regardless.
"""
import time
import uuid
from typing import Any

from moto.ssoadmin.exceptions import ResourceNotFoundException
from moto.ssoadmin.models import ssoadmin_backends

from twin.aws import management_account
from twin.aws.errors import AwsError
from twin.aws.state import AwsState

STATUS_READS = 2
MAX_SECONDS = 30.0
STATUS_KEY = {"CreateAccountAssignment": "AccountAssignmentCreationStatus",
              "DeleteAccountAssignment": "AccountAssignmentDeletionStatus"}
DESCRIBE = {"DescribeAccountAssignmentCreationStatus": ("AccountAssignmentCreationRequestId",
                                                        "AccountAssignmentCreationStatus"),
            "DescribeAccountAssignmentDeletionStatus": ("AccountAssignmentDeletionRequestId",
                                                        "AccountAssignmentDeletionStatus")}
ASSIGNMENT_KEYS = ("InstanceArn", "TargetId", "TargetType", "PermissionSetArn", "PrincipalType",
                   "PrincipalId")


def _backend(state: AwsState, instance_arn: str | None):
    directory = next((d for d in state.directories.values() if d.instance_arn == instance_arn), None)
    if directory is None:
        return None
    return ssoadmin_backends[directory.account.account_id][directory.account.region]


def _in_progress(request: dict[str, Any]) -> bool:
    return request["reads_left"] > 0 and time.monotonic() < request["deadline"]


def start(state: AwsState, operation: str, payload: dict) -> dict | None:
    """Create/DeleteAccountAssignment through moto's backend, answered IN_PROGRESS; in the instance's
    own account only when the caller's IAM policies allow what Identity Center then does with them
    (management_account.py), else the request ends FAILED and nothing changes."""
    backend = _backend(state, payload.get("InstanceArn"))
    if backend is None:
        return None
    failure = _management_account_denial(state, backend, operation, payload)
    if failure:
        status = {k: payload.get(k) for k in ASSIGNMENT_KEYS if k != "InstanceArn"}
        status.update({"RequestId": str(uuid.uuid4()), "CreatedDate": time.time(), "Status": "IN_PROGRESS"})
        state.assignment_requests[status["RequestId"]] = {
            "status": status, "reads_left": STATUS_READS, "deadline": time.monotonic() + MAX_SECONDS,
            "deletion": operation == "DeleteAccountAssignment", "failure": failure}
        return {STATUS_KEY[operation]: status}
    arguments = {k: payload.get(k) for k in ASSIGNMENT_KEYS}
    call = backend.create_account_assignment if operation == "CreateAccountAssignment" else (
        backend.delete_account_assignment)
    try:
        summary = call(**{_snake(k): v for k, v in arguments.items()})
    except ResourceNotFoundException:
        raise AwsError("ResourceNotFoundException", "Assignment not found") from None
    status = {**summary, "Status": "IN_PROGRESS"}
    if operation == "DeleteAccountAssignment":
        status["RequestId"] = str(uuid.uuid4())  # moto reuses the creation's; AWS has one per request
    state.assignment_requests[status["RequestId"]] = {
        "status": status, "reads_left": STATUS_READS, "deadline": time.monotonic() + MAX_SECONDS,
        "deletion": operation == "DeleteAccountAssignment"}
    return {STATUS_KEY[operation]: status}


def describe(state: AwsState, operation: str, payload: dict) -> dict | None:
    """A status read: IN_PROGRESS for the first STATUS_READS reads, then SUCCEEDED."""
    id_member, key = DESCRIBE[operation]
    request = state.assignment_requests.get(payload.get(id_member, ""))
    if request is None or request["deletion"] != (operation.endswith("DeletionStatus")):
        return None  # moto answers (or refuses) what the twin did not start
    if _in_progress(request):
        request["reads_left"] -= 1
        return {key: request["status"]}
    if request.get("failure"):
        return {key: {**request["status"], "Status": "FAILED", "FailureReason": request["failure"]}}
    return {key: {**request["status"], "Status": "SUCCEEDED"}}


def _management_account_denial(state: AwsState, backend, operation: str, payload: dict) -> str | None:
    directory = next(d for d in state.directories.values() if d.instance_arn == payload.get("InstanceArn"))
    if payload.get("TargetId") != directory.account.account_id:
        return None
    permission_set = next((p for p in backend.permission_sets
                           if p.permission_set_arn == payload.get("PermissionSetArn")), None)
    if permission_set is None:
        return None  # moto answers ResourceNotFound
    creating = operation == "CreateAccountAssignment"
    others = [a for a in backend.account_assignments
              if a.permission_set_arn == permission_set.permission_set_arn
              and a.target_id == directory.account.account_id
              and a.principal_id != payload.get("PrincipalId")]
    return management_account.denial(directory, permission_set, creating, last=not others)


def refuse_delete_permission_set(state: AwsState, payload: dict) -> None:
    arn = payload.get("PermissionSetArn")
    pending = [r for r in state.assignment_requests.values()
               if r["deletion"] and r["status"].get("PermissionSetArn") == arn and _in_progress(r)]
    if pending:
        raise AwsError("ConflictException", "Could not delete because PermissionSet has ongoing account "
                       "assignment deletion in progress. Retry after the deletion completes.")
    backend = _backend(state, payload.get("InstanceArn"))
    if backend is not None and any(a.permission_set_arn == arn for a in backend.account_assignments):
        raise AwsError("ConflictException", "Could not delete because PermissionSet has existing account "
                       "assignments. Delete them first.")


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
