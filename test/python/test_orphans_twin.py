"""Finding 6 of issue 11: IAM Identity Center refuses a second permission set of the same name
(ConflictException, as CloudTrail records it in hashicorp/terraform-provider-aws#38544), so an object
left by a create whose answer was lost blocks the next apply; `sweep --state` removes exactly the
objects tagged as ours that the Terraform state does not hold."""

import json

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from lab import MARKER, Lab

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})
OURS = [{"Key": "ManagedBy", "Value": MARKER}]


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def _permission_set(sso, instance_arn: str, name: str, tags: list[dict]) -> str:
    answer = sso.create_permission_set(Name=name, InstanceArn=instance_arn, Tags=tags)
    return answer["PermissionSet"]["PermissionSetArn"]


def _names(sso, instance_arn: str) -> list[str]:
    arns = sso.list_permission_sets(InstanceArn=instance_arn)["PermissionSets"]
    return sorted(
        sso.describe_permission_set(InstanceArn=instance_arn, PermissionSetArn=a)["PermissionSet"]["Name"]
        for a in arns
    )


def test_duplicate_name_is_a_conflict_and_sweep_removes_only_our_orphans(lab, tmp_path):
    sess = lab.session("aws-commercial")
    sso = sess.client("sso-admin", config=NO_RETRY)
    instance_arn = lab.instance("aws-commercial")["InstanceArn"]
    held = _permission_set(sso, instance_arn, "RegionalAdmin", OURS)
    _permission_set(sso, instance_arn, "AdministratorAccess", OURS)  # the create whose answer was lost
    _permission_set(sso, instance_arn, "SomeoneElses", [{"Key": "ManagedBy", "Value": "other-team"}])
    _permission_set(sso, instance_arn, "Untagged", [])
    with pytest.raises(ClientError) as refused:
        _permission_set(sso, instance_arn, "AdministratorAccess", OURS)  # what the next apply would do
    assert refused.value.response["Error"]["Code"] == "ConflictException"
    assert "PermissionSet with name AdministratorAccess already exists." in str(refused.value)

    secrets = sess.client("secretsmanager")
    kept = secrets.create_secret(Name="entraidc/aws-commercial/scim-access-token", Tags=OURS)["ARN"]
    secrets.create_secret(Name="entraidc/aws-commercial/lost", Tags=OURS)
    secrets.create_secret(Name="someone/else", Tags=[{"Key": "ManagedBy", "Value": "other-team"}])

    state = tmp_path / "state.json"
    state.write_text(json.dumps({"values": {"root_module": {"resources": [
        {"address": "aws_ssoadmin_permission_set.regional_admin", "values": {"arn": held}},
        {"address": "aws_secretsmanager_secret.scim_token", "values": {"arn": kept}},
    ]}}}))
    swept = lab.run(["--json", "sweep", "--account", "aws-commercial", "--state", str(state)])
    assert len(swept["accounts"][0]["permissionSets"]) == 1
    assert swept["accounts"][0]["secrets"] == ["entraidc/aws-commercial/lost"]
    assert _names(sso, instance_arn) == ["RegionalAdmin", "SomeoneElses", "Untagged"]
    left = sorted(s["Name"] for s in secrets.list_secrets()["SecretList"])
    assert left == ["entraidc/aws-commercial/scim-access-token", "someone/else"]
    # ... and the next apply can create it again.
    again = _permission_set(sso, instance_arn, "AdministratorAccess", OURS)
    swept = lab.run(["--json", "sweep", "--account", "aws-commercial", "--state", str(state)])
    assert swept["accounts"][0]["permissionSets"] == [again]


def test_unreadable_state_is_refused_before_any_call(lab, tmp_path):
    missing = tmp_path / "absent.json"
    failed = lab.run(["--json", "sweep", "--state", str(missing)], expect=2)
    assert "--state" in failed["error"] and "terraform show -json" in failed["error"]


def _identity_store_user(ids, store: str, upn: str) -> str:
    return ids.create_user(IdentityStoreId=store, UserName=upn, DisplayName="NikkiWolf",
                           Name={"GivenName": "Nikki", "FamilyName": "Wolf"})["UserId"]


def test_identity_store_nikki_left_by_a_killed_apply_is_swept_only_when_the_entra_user_is_ours(lab, tmp_path):
    """Identity-store users carry no tags: an apply killed after CreateUser leaves a NikkiWolf the next
    apply cannot create again (ConflictException "Duplicate UserName", as the twin answers). She is
    ours when the Entra user of that name is (marked), and goes with her account assignment."""
    sess = lab.session("aws-commercial")
    instance = lab.instance("aws-commercial")
    store, instance_arn = instance["IdentityStoreId"], instance["InstanceArn"]
    ids, sso = sess.client("identitystore"), sess.client("sso-admin", config=NO_RETRY)
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"values": {"root_module": {"resources": []}}}))
    upn = lab.users("create", "NikkiWolf")["user"]
    # Entra's NikkiWolf not ours: the identity-store user of that name is left alone.
    lab.users("destroy", "NikkiWolf")
    foreign = _identity_store_user(ids, store, upn)
    swept = lab.run(["--json", "sweep", "--account", "aws-commercial", "--state", str(state)])
    assert swept["accounts"][0]["identityStoreUsers"] == []
    ids.delete_user(IdentityStoreId=store, UserId=foreign)

    lab.users("create", "NikkiWolf")
    orphan = _identity_store_user(ids, store, upn)
    with pytest.raises(ClientError) as refused:
        _identity_store_user(ids, store, upn)  # what the next apply would do
    assert refused.value.response["Error"]["Code"] == "ConflictException"
    permission_set = _permission_set(sso, instance_arn, "RegionalAdmin", OURS)
    sso.create_account_assignment(InstanceArn=instance_arn, TargetId=instance["AccountId"],
                                  TargetType="AWS_ACCOUNT", PermissionSetArn=permission_set,
                                  PrincipalType="USER", PrincipalId=orphan)
    state.write_text(json.dumps({"values": {"root_module": {"resources": [
        {"address": "aws_ssoadmin_permission_set.regional_admin", "values": {"arn": permission_set}}]}}}))
    swept = lab.run(["--json", "sweep", "--account", "aws-commercial", "--state", str(state)])
    assert swept["accounts"][0]["identityStoreUsers"] == [upn]
    assert ids.list_users(IdentityStoreId=store)["Users"] == []
    assignments = sso.list_account_assignments(InstanceArn=instance_arn, AccountId=instance["AccountId"],
                                               PermissionSetArn=permission_set)["AccountAssignments"]
    assert assignments == []
    _identity_store_user(ids, store, upn)  # the next apply can create her again


def test_an_assignment_to_our_permission_set_missing_from_the_state_is_swept(lab, tmp_path):
    """The aws provider refuses to create an existing assignment ("creating SSO Account Assignment for
    USER (...): already exists", its resourceAccountAssignmentCreate), so the one a killed apply made
    would fail every re-run; the one the state holds (its ID in the provider's format) stays."""
    sess = lab.session("aws-commercial")
    instance = lab.instance("aws-commercial")
    store, instance_arn, account = instance["IdentityStoreId"], instance["InstanceArn"], instance["AccountId"]
    ids, sso = sess.client("identitystore"), sess.client("sso-admin", config=NO_RETRY)
    permission_set = _permission_set(sso, instance_arn, "AdministratorAccess", OURS)
    kept, lost = (_identity_store_user(ids, store, f"{n}@example.org") for n in ("Kept", "Lost"))
    for user in (kept, lost):
        sso.create_account_assignment(InstanceArn=instance_arn, TargetId=account, TargetType="AWS_ACCOUNT",
                                      PermissionSetArn=permission_set, PrincipalType="USER", PrincipalId=user)
    held_id = f"{kept},USER,{account},AWS_ACCOUNT,{permission_set},{instance_arn}"
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"values": {"root_module": {"resources": [
        {"address": "aws_ssoadmin_permission_set.this", "values": {"arn": permission_set}},
        {"address": "aws_ssoadmin_account_assignment.a", "values": {"id": held_id}}]}}}))
    swept = lab.run(["--json", "sweep", "--account", "aws-commercial", "--state", str(state)])
    assert swept["accounts"][0]["accountAssignments"] == [
        f"{lost},USER,{account},AWS_ACCOUNT,{permission_set},{instance_arn}"]
    left = sso.list_account_assignments(InstanceArn=instance_arn, AccountId=account,
                                        PermissionSetArn=permission_set)["AccountAssignments"]
    assert [a["PrincipalId"] for a in left] == [kept]


def _assigned_permission_set(lab, name: str) -> tuple:
    """A permission set of ours assigned to a new identity-store user in aws-commercial's own account:
    (sso-admin client, instance ARN, the assignment's arguments, its creation status)."""
    sess = lab.session("aws-commercial")
    instance = lab.instance("aws-commercial")
    instance_arn = instance["InstanceArn"]
    sso = sess.client("sso-admin", config=NO_RETRY)
    ids = sess.client("identitystore")
    user = _identity_store_user(ids, instance["IdentityStoreId"], "Someone@example.org")
    assignment = {"InstanceArn": instance_arn, "TargetId": instance["AccountId"], "TargetType": "AWS_ACCOUNT",
                  "PermissionSetArn": _permission_set(sso, instance_arn, name, OURS), "PrincipalType": "USER",
                  "PrincipalId": user}
    created = sso.create_account_assignment(**assignment)["AccountAssignmentCreationStatus"]
    return sso, instance_arn, assignment, created


def test_assignment_deletion_is_asynchronous_and_blocks_the_permission_set_meanwhile(lab):
    """botocore's sso-admin model: DeleteAccountAssignment answers a request to follow with
    DescribeAccountAssignmentDeletionStatus; DeletePermissionSet answers ConflictException until it
    SUCCEEDED (hashicorp/terraform-provider-aws#26757). The twin keeps it IN_PROGRESS for two reads."""
    sso, instance_arn, assignment, created = _assigned_permission_set(lab, "AdministratorAccess")
    permission_set = assignment["PermissionSetArn"]
    assert created["Status"] == "IN_PROGRESS"
    reads = [sso.describe_account_assignment_creation_status(
        InstanceArn=instance_arn, AccountAssignmentCreationRequestId=created["RequestId"]
    )["AccountAssignmentCreationStatus"]["Status"] for _ in range(3)]
    assert reads == ["IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED"]
    with pytest.raises(ClientError) as assigned:
        sso.delete_permission_set(InstanceArn=instance_arn, PermissionSetArn=permission_set)
    assert assigned.value.response["Error"]["Code"] == "ConflictException"

    deleting = sso.delete_account_assignment(**assignment)["AccountAssignmentDeletionStatus"]
    assert deleting["Status"] == "IN_PROGRESS"
    with pytest.raises(ClientError) as refused:
        sso.delete_permission_set(InstanceArn=instance_arn, PermissionSetArn=permission_set)
    assert refused.value.response["Error"]["Code"] == "ConflictException"
    for expected in ("IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED"):
        status = sso.describe_account_assignment_deletion_status(
            InstanceArn=instance_arn, AccountAssignmentDeletionRequestId=deleting["RequestId"]
        )["AccountAssignmentDeletionStatus"]["Status"]
        assert status == expected
    sso.delete_permission_set(InstanceArn=instance_arn, PermissionSetArn=permission_set)


def test_sweep_waits_for_the_assignment_deletions_before_deleting_the_permission_set(lab, tmp_path):
    """An orphan permission set of ours with an assignment: the sweep deletes the assignment, waits
    for the deletion (DescribeAccountAssignmentDeletionStatus), then deletes the permission set. Before,
    it deleted the permission set right after and met ConflictException."""
    sso, instance_arn, assignment, _created = _assigned_permission_set(lab, "RegionalAdmin")
    orphan = assignment["PermissionSetArn"]
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"values": {"root_module": {"resources": []}}}))
    swept = lab.run(["--json", "sweep", "--account", "aws-commercial", "--state", str(state)])
    assert swept["accounts"][0]["permissionSets"] == [orphan]
    assert _names(sso, instance_arn) == []
