"""Public operations the twin's clients use and moto 5.2.5 lacks, answered with the shapes of
the botocore models (sso-admin 2020-07-20, identitystore 2020-06-15):

- sso-admin ``DescribeInstance``, ``TagResource``, ``UntagResource``, ``ListTagsForResource`` (and
  the ``Tags`` of ``CreatePermissionSet``), ``DescribePermissionSetProvisioningStatus``, and the
  ``InstanceAccessControlAttributeConfiguration`` operations (ABAC);
- identitystore ``UpdateUser`` and ``UpdateGroup``;
- what moto accepts and AWS refuses: a second permission set of the same name;
- what moto does at once and AWS asynchronously: account assignment creation and deletion
  (assignment_status.py: IN_PROGRESS for a few status reads; DeletePermissionSet refused meanwhile);
- what moto stores and the model does not allow: ``SessionDuration`` 3600 (a number).

``before`` answers an operation itself (or returns None for moto to answer); ``after`` records
what moto's answer implies (tags given at creation, provisioning request IDs).
"""

import json
import time
from typing import Any

from moto.ssoadmin.models import ssoadmin_backends

from twin.aws import assignment_status
from twin.aws.errors import AwsError, Response, json_error, json_ok
from twin.aws.state import AwsState, identity_store

USER_FIELDS = {
    "username": "UserName",
    "displayname": "DisplayName",
    "nickname": "NickName",
    "profileurl": "ProfileUrl",
    "usertype": "UserType",
    "title": "Title",
    "preferredlanguage": "PreferredLanguage",
    "locale": "Locale",
    "timezone": "Timezone",
    "emails": "Emails",
    "addresses": "Addresses",
    "phonenumbers": "PhoneNumbers",
}


def _pascal_keys(value: Any) -> Any:
    if isinstance(value, list):
        return [_pascal_keys(v) for v in value]
    if isinstance(value, dict):
        return {k[0].upper() + k[1:]: v for k, v in value.items()}
    return value


def _tags(state: AwsState, payload: dict) -> dict[str, str]:
    arn = payload.get("ResourceArn")
    if not arn:
        raise AwsError("ValidationException", "ResourceArn is required")
    return state.tags.setdefault(arn, {})


def _abac_get(state: AwsState, payload: dict) -> list[dict]:
    found = state.access_control_attributes.get(payload.get("InstanceArn", ""))
    if found is None:
        raise AwsError(
            "ResourceNotFoundException", "The instance has no access control attribute configuration"
        )
    return found


def _abac_set(state: AwsState, payload: dict, create: bool) -> dict:
    arn = payload.get("InstanceArn", "")
    if create and arn in state.access_control_attributes:
        raise AwsError(
            "ConflictException", "The instance already has an access control attribute configuration"
        )
    if not create:
        _abac_get(state, payload)
    config = payload.get("InstanceAccessControlAttributeConfiguration") or {}
    state.access_control_attributes[arn] = list(config.get("AccessControlAttributes") or [])
    return {}


def _update_user(state: AwsState, payload: dict) -> dict:
    directory = state.directory_for_store(payload.get("IdentityStoreId", ""))
    store = identity_store(directory) if directory else None
    user = store.users.get(payload.get("UserId", "")) if store else None
    if user is None:
        raise AwsError("ResourceNotFoundException", "USER not found.")
    changes: dict[str, Any] = {}
    name = user.Name._asdict() if user.Name else {}
    for operation in payload.get("Operations") or []:
        path = str(operation.get("AttributePath", "")).lower()
        value = operation.get("AttributeValue")
        if path.startswith("name."):
            sub = path.split(".", 1)[1]
            key = next(
                (
                    k
                    for k in (
                        "Formatted",
                        "FamilyName",
                        "GivenName",
                        "MiddleName",
                        "HonorificPrefix",
                        "HonorificSuffix",
                    )
                    if k.lower() == sub
                ),
                None,
            )
            if key is None:
                raise AwsError(
                    "ValidationException", f"Unknown attribute path {operation.get('AttributePath')}"
                )
            name[key] = value
        elif path == "name":
            name = _pascal_keys(value or {})
        elif path in USER_FIELDS:
            changes[USER_FIELDS[path]] = (
                _pascal_keys(value) if path in ("emails", "addresses", "phonenumbers") else value
            )
        else:
            raise AwsError("ValidationException", f"Unknown attribute path {operation.get('AttributePath')}")
    from moto.identitystore.models import Name

    store.users[user.UserId] = user._replace(Name=Name.from_dict(name), **changes)
    return {}


def _update_group(state: AwsState, payload: dict) -> dict:
    directory = state.directory_for_store(payload.get("IdentityStoreId", ""))
    store = identity_store(directory) if directory else None
    group = store.groups.get(payload.get("GroupId", "")) if store else None
    if group is None:
        raise AwsError("ResourceNotFoundException", "GROUP not found.")
    for operation in payload.get("Operations") or []:
        path = str(operation.get("AttributePath", "")).lower()
        if path == "displayname":
            group = group._replace(DisplayName=operation.get("AttributeValue"))
        elif path == "description":
            group = group._replace(Description=operation.get("AttributeValue"))
        else:
            raise AwsError("ValidationException", f"Unknown attribute path {operation.get('AttributePath')}")
    store.groups[group.GroupId] = group
    return {}


def _existing_assignment(state: AwsState, payload: dict) -> dict | None:
    """IAM Identity Center keeps one assignment per (account, permission set, principal): creating
    one that exists succeeds without a second copy. moto 5.2.5 appends a duplicate, which the
    aws provider then rejects ("too many results"), so the twin answers such a repeat itself."""
    instance_arn = payload.get("InstanceArn")
    directory = next((d for d in state.directories.values() if d.instance_arn == instance_arn), None)
    if directory is None:
        return None
    backend = ssoadmin_backends[directory.account.account_id][directory.account.region]
    for assignment in backend.account_assignments:
        if (assignment.instance_arn, assignment.target_id, assignment.permission_set_arn,
                assignment.principal_type, assignment.principal_id) == (
                payload.get("InstanceArn"), payload.get("TargetId"), payload.get("PermissionSetArn"),
                payload.get("PrincipalType"), payload.get("PrincipalId")):
            status = assignment.to_json(include_creation_date=True, include_request_id=True)
            return {"AccountAssignmentCreationStatus": {**status, "Status": "SUCCEEDED"}}
    return None


def _refuse_duplicate_permission_set(state: AwsState, payload: dict) -> None:
    """IAM Identity Center refuses a second permission set of the same name in an instance
    (ConflictException "PermissionSet with name X already exists.", as CloudTrail records it in
    aws-samples/terraform-aws-identity-center#2 and hashicorp/terraform-provider-aws#38544); moto
    5.2.5's create_permission_set (ssoadmin/models.py) never checks."""
    instance_arn, name = payload.get("InstanceArn"), payload.get("Name")
    directory = next((d for d in state.directories.values() if d.instance_arn == instance_arn), None)
    if directory is None:
        return
    backend = ssoadmin_backends[directory.account.account_id][directory.account.region]
    if any(p.instance_arn == instance_arn and p.name == name for p in backend.permission_sets):
        raise AwsError("ConflictException", f"PermissionSet with name {name} already exists.")


DEFAULT_SESSION_DURATION = "PT1H"


def _session_duration_as_the_model_types_it(state: AwsState, arn: str) -> None:
    """moto 5.2.5 stores the number 3600 when Create/UpdatePermissionSet has no SessionDuration
    (ssoadmin/responses.py ``_get_param("SessionDuration", 3600)``); botocore's sso-admin model types
    PermissionSet.SessionDuration as ``Duration``, an ISO-8601 string, and the Go SDK cannot decode a
    number there. The twin stores the default, one hour (user guide, "Set session duration").
    *Inferred*: that an update without SessionDuration resets it to that default, as an update without
    RelayState clears the relay state (hashicorp/terraform-provider-aws#17411, quoted in the
    provider's permission_set.go)."""
    for directory in state.directories.values():
        account = directory.account
        for found in ssoadmin_backends[account.account_id][account.region].permission_sets:
            if found.permission_set_arn == arn and not isinstance(found.session_duration, str):
                found.session_duration = DEFAULT_SESSION_DURATION


def _describe_instance(state: AwsState, payload: dict) -> dict:
    """DescribeInstance (botocore sso-admin 2020-07-20 DescribeInstanceResponse). The twin's instances
    are organization instances with permission sets enabled, in their home Region."""
    arn = payload.get("InstanceArn")
    directory = next((d for d in state.directories.values() if d.instance_arn == arn), None)
    if directory is None:
        raise AwsError("AccessDeniedException", "User is not authorized to access this instance")
    account = directory.account
    instance = next(
        i for i in ssoadmin_backends[account.account_id][account.region].instances if i.instance_arn == arn
    )
    return {
        **{k: v for k, v in instance.to_json().items() if v is not None},
        "IdentityStoreArn": f"arn:{account.partition}:identitystore::{account.account_id}:identitystore/"
        f"{directory.identity_store_id}",
        "PrimaryRegion": account.region,
        "PermissionSetsEnabled": True,
    }


def _answer(state: AwsState, service: str, operation: str, payload: dict) -> dict | None:
    if service == "sso-admin":
        if operation == "CreateAccountAssignment":
            return _existing_assignment(state, payload) or assignment_status.start(state, operation, payload)
        if operation == "DeleteAccountAssignment":
            return assignment_status.start(state, operation, payload)
        if operation in assignment_status.DESCRIBE:
            return assignment_status.describe(state, operation, payload)
        if operation == "DeletePermissionSet":
            assignment_status.refuse_delete_permission_set(state, payload)
            return None
        if operation == "CreatePermissionSet":
            _refuse_duplicate_permission_set(state, payload)
            return None
        if operation == "DescribeInstance":
            return _describe_instance(state, payload)
        if operation == "TagResource":
            _tags(state, payload).update({t["Key"]: t.get("Value", "") for t in payload.get("Tags") or []})
            return {}
        if operation == "UntagResource":
            tags = _tags(state, payload)
            for key in payload.get("TagKeys") or []:
                tags.pop(key, None)
            return {}
        if operation == "ListTagsForResource":
            return {"Tags": [{"Key": k, "Value": v} for k, v in sorted(_tags(state, payload).items())]}
        if operation == "DescribePermissionSetProvisioningStatus":
            found = state.provisioning_requests.get(payload.get("ProvisionPermissionSetRequestId", ""))
            if found is None:
                raise AwsError("ResourceNotFoundException", "Provisioning request not found")
            return {"PermissionSetProvisioningStatus": found}
        if operation == "DescribeInstanceAccessControlAttributeConfiguration":
            return {
                "Status": "ENABLED",
                "StatusReason": "",
                "InstanceAccessControlAttributeConfiguration": {
                    "AccessControlAttributes": _abac_get(state, payload)
                },
            }
        if operation == "CreateInstanceAccessControlAttributeConfiguration":
            return _abac_set(state, payload, create=True)
        if operation == "UpdateInstanceAccessControlAttributeConfiguration":
            return _abac_set(state, payload, create=False)
        if operation == "DeleteInstanceAccessControlAttributeConfiguration":
            _abac_get(state, payload)
            del state.access_control_attributes[payload["InstanceArn"]]
            return {}
    if service == "identitystore" and operation == "UpdateUser":
        return _update_user(state, payload)
    if service == "identitystore" and operation == "UpdateGroup":
        return _update_group(state, payload)
    return None


def before(state: AwsState, service: str, operation: str, payload: dict) -> Response | None:
    try:
        answer = _answer(state, service, operation, payload)
    except AwsError as e:
        return json_error(e.code, e.message, e.status)
    return None if answer is None else json_ok(answer)


def after(state: AwsState, service: str, operation: str, payload: dict, body: bytes) -> None:
    if service != "sso-admin":
        return
    answer = json.loads(body or b"{}")
    if operation in ("CreatePermissionSet", "UpdatePermissionSet") and "SessionDuration" not in payload:
        arn = (answer.get("PermissionSet") or {}).get("PermissionSetArn") or payload["PermissionSetArn"]
        _session_duration_as_the_model_types_it(state, arn)
    if operation == "CreatePermissionSet" and payload.get("Tags"):
        arn = answer["PermissionSet"]["PermissionSetArn"]
        state.tags[arn] = {t["Key"]: t.get("Value", "") for t in payload["Tags"]}
    elif operation == "DeletePermissionSet":
        state.tags.pop(payload.get("PermissionSetArn", ""), None)
    elif operation == "ProvisionPermissionSet":
        status = answer.get("PermissionSetProvisioningStatus") or {}
        if status.get("RequestId"):
            state.provisioning_requests[status["RequestId"]] = {**status, "CreatedDate": time.time()}
