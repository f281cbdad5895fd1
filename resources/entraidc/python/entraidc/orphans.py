"""`sweep --state FILE | --terraform-dir DIR`: remove AWS and Azure objects that carry this library's
ownership tag but that the Terraform state does not hold — what a create whose answer was lost
(agent killed, network cut, a retried request) leaves behind. IAM Identity Center refuses a second
permission set of the same name (ConflictException "PermissionSet with name X already exists."),
so such an orphan would block the next apply; Secrets Manager keeps a name reserved the same way.
Identity-store users carry no tags: the NikkiWolf a killed apply created (ConflictException "Duplicate
UserName" next time) counts as ours when the Entra user of her name carries our marker, and is
deleted with her account assignments. A managed policy attached to one of our permission sets in the
state, by an attachment the state does not hold, is detached (the aws provider refuses to attach it
again). With `--plan` (the plan of an apply that failed on a create answered with a conflict), an
access-control attribute configuration that plan was creating, found exactly as planned, is deleted.

NOT PURE TERRAFORM: separate Python command — Terraform cannot see objects missing from its state.
The steps run it before every `apply` (setup) and after `destroy` (teardown) with
`--terraform-dir`: the state is read with `terraform show -json` into memory (it can hold
secrets, so it is never written to a file). Untagged objects, and objects tagged by anyone else,
are never touched. The Azure side is azure_orphans.py.
"""

import json
import os
import subprocess
from pathlib import Path

from . import output
from .assignments import delete_assignment, delete_permission_set
from .aws import AwsAccount, identity_center_instance, session
from .azure_orphans import sweep_azure
from .entra_directory import default_domain, user_by_upn
from .errors import InputError
from .inputs import owner_marker
from .marker import user_is_marked
from .scim_enable import scim_user
from .targets import NIKKI, selected_accounts

TAG = "ManagedBy"  # the module's ownership tag (resources/entraidc/terraform/locals.tf)


def _read_state(path: str) -> dict:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise InputError(
            f"--state {path}: not a readable JSON document ({type(exc).__name__}); pass the output of "
            "`terraform show -json` or `terraform state pull`"
        ) from None


def _terraform_state(directory: str, plan: str | None = None) -> dict:
    """`terraform show -json` of the initialised root module in DIRECTORY (or of a saved PLAN of it),
    kept in memory."""
    terraform = os.environ.get("ENTRAIDC_TERRAFORM") or "terraform"
    shown_file = [os.path.abspath(plan)] if plan else []
    try:
        shown = subprocess.run(  # noqa: S603 - the agent's own Terraform (ENTRAIDC_TERRAFORM)
            [terraform, f"-chdir={directory}", "show", "-json", *shown_file],
            capture_output=True, text=True, check=False,
        )
    except OSError as exc:
        raise InputError(
            f"--terraform-dir {directory}: cannot run {terraform} ({exc.strerror}); set ENTRAIDC_TERRAFORM"
        ) from None
    if shown.returncode != 0:
        last = (shown.stderr.strip().splitlines() or ["no message"])[-1]
        raise InputError(
            f"--terraform-dir {directory}: `{terraform} show -json` failed ({last}); "
            "run terraform init there first"
        )
    try:
        return json.loads(shown.stdout)
    except ValueError:
        raise InputError(
            f"--terraform-dir {directory}: `{terraform} show -json` printed no JSON document"
        ) from None


def state_strings(path: str | None = None, terraform_dir: str | None = None) -> set[str]:
    """Every string value in a Terraform state or `show -json` document (ARNs and IDs among them)."""
    document = _read_state(path) if path else _terraform_state(terraform_dir)
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(document)
    return found


ABAC_TYPE = "aws_ssoadmin_instance_access_control_attributes"


def planned_abac(plan: dict) -> dict[str, set]:
    """Instance ARN -> the access-control attributes (key, sources) a saved plan creates there."""
    found = {}
    for change in plan.get("resource_changes") or []:
        if change.get("type") == ABAC_TYPE and "create" in change["change"]["actions"]:
            after = change["change"].get("after") or {}
            found[after.get("instance_arn")] = {
                (a["key"], tuple(s for v in a.get("value") or [] for s in v.get("source") or []))
                for a in after.get("attribute") or []
            }
    return found


def _live_abac(sso, instance_arn: str) -> set | None:
    try:
        config = sso.describe_instance_access_control_attribute_configuration(InstanceArn=instance_arn)
    except sso.exceptions.ResourceNotFoundException:
        return None
    attributes = config.get("InstanceAccessControlAttributeConfiguration", {}).get("AccessControlAttributes")
    return {(a["Key"], tuple(a["Value"]["Source"])) for a in attributes or []}


def _tags(sso, instance_arn: str, arn: str) -> dict[str, str]:
    answer = sso.list_tags_for_resource(InstanceArn=instance_arn, ResourceArn=arn)
    return {t["Key"]: t.get("Value", "") for t in answer.get("Tags", [])}


def _orphan_permission_sets(sso, instance_arn: str, marker: str, held: set[str]) -> list[str]:
    orphans = []
    for page in sso.get_paginator("list_permission_sets").paginate(InstanceArn=instance_arn):
        for arn in page["PermissionSets"]:
            if arn not in held and _tags(sso, instance_arn, arn).get(TAG) == marker:
                orphans.append(arn)
    return orphans


def assignment_id(assignment: dict, instance) -> str:
    """The aws provider's ID of an account assignment (resourceAccountAssignmentCreate in
    internal/service/ssoadmin/account_assignment.go): principal, its type, account, AWS_ACCOUNT,
    permission set, instance, joined by commas."""
    parts = [assignment["PrincipalId"], assignment["PrincipalType"], instance.account_id, "AWS_ACCOUNT"]
    return ",".join([*parts, assignment["PermissionSetArn"], instance.instance_arn])


def _held_permission_sets(sso, instance, marker: str, held: set[str]) -> list[str]:
    """Our permission sets (tagged with the marker) that the state holds."""
    pages = sso.get_paginator("list_permission_sets").paginate(InstanceArn=instance.instance_arn)
    return [arn for page in pages for arn in page["PermissionSets"]
            if arn in held and _tags(sso, instance.instance_arn, arn).get(TAG) == marker]


def _orphan_assignments(sso, instance, marker: str, held: set[str]) -> list[dict]:
    """Assignments to our permission sets in the state that the state does not hold: the aws provider
    refuses to create one that exists ("creating SSO Account Assignment ...: already exists"), so an
    apply killed after CreateAccountAssignment would fail every re-run."""
    found = []
    for arn in _held_permission_sets(sso, instance, marker, held):
        pages = sso.get_paginator("list_account_assignments").paginate(
            InstanceArn=instance.instance_arn, AccountId=instance.account_id, PermissionSetArn=arn
        )
        listed = [a for p in pages for a in p["AccountAssignments"]]
        found += [a for a in listed if assignment_id(a, instance) not in held]
    return found


def managed_policy_attachment_id(policy_arn: str, permission_set_arn: str, instance_arn: str) -> str:
    """The aws provider's ID of a managed policy attachment (resourceManagedPolicyAttachmentCreate in
    internal/service/ssoadmin/managed_policy_attachment.go): policy, permission set, instance."""
    return ",".join([policy_arn, permission_set_arn, instance_arn])


def _orphan_managed_policies(sso, instance, marker: str, held: set[str]) -> list[tuple[str, str]]:
    """(permission set, policy) attachments on our permission sets in the state that the state does not
    hold: the aws provider refuses to attach a policy that is attached ("attaching Managed Policy …:
    already attached"), so an attach whose answer was lost would fail every re-run."""
    found = []
    for arn in _held_permission_sets(sso, instance, marker, held):
        pages = sso.get_paginator("list_managed_policies_in_permission_set").paginate(
            InstanceArn=instance.instance_arn, PermissionSetArn=arn
        )
        policies = [p["Arn"] for page in pages for p in page["AttachedManagedPolicies"]]
        found += [(arn, policy) for policy in policies
                  if managed_policy_attachment_id(policy, arn, instance.instance_arn) not in held]
    return found


def _delete_permission_set(sso, instance, arn: str) -> None:
    """Its account assignments first, each deletion waited for: IAM Identity Center refuses to delete a
    permission set that has assignments, or whose assignment is still being deleted (assignments.py)."""
    pages = sso.get_paginator("list_account_assignments").paginate(
        InstanceArn=instance.instance_arn, AccountId=instance.account_id, PermissionSetArn=arn
    )
    for assignment in [a for page in pages for a in page["AccountAssignments"]]:
        delete_assignment(sso, instance, arn, assignment["PrincipalType"], assignment["PrincipalId"])
    delete_permission_set(sso, instance, arn)


def _orphan_secrets(secrets, marker: str, held: set[str]) -> list[dict]:
    pages = secrets.get_paginator("list_secrets").paginate(
        Filters=[{"Key": "tag-key", "Values": [TAG]}, {"Key": "tag-value", "Values": [marker]}]
    )
    return [
        s
        for page in pages
        for s in page["SecretList"]
        if s["ARN"] not in held and {t["Key"]: t["Value"] for t in s.get("Tags", [])}.get(TAG) == marker
    ]


def our_nikki(graph, marker: str) -> str | None:
    """NikkiWolf's user name when the Entra user of that name is ours (marked): the identity-store user
    of that name is then her Identity Center copy (tutorial Step 2.2), which only this module creates."""
    upn = f"{NIKKI}@{default_domain(graph)}"
    return upn if user_is_marked(user_by_upn(graph, upn), marker) else None


def _delete_orphan_user(sess, instance, upn: str, held: set[str]) -> str | None:
    """The identity-store NikkiWolf the state does not hold (identity-store users carry no tags, so an
    apply killed after CreateUser leaves one that makes the next fail with ConflictException
    "Duplicate UserName"); her account assignments go first (they are the state's only record of her)."""
    identitystore = sess.client("identitystore")
    user = scim_user(identitystore, instance.identity_store_id, upn)
    if user is None or user["UserId"] in held:
        return None
    sso = sess.client("sso-admin")
    for arn in [a for page in sso.get_paginator("list_permission_sets").paginate(
            InstanceArn=instance.instance_arn) for a in page["PermissionSets"]]:
        pages = sso.get_paginator("list_account_assignments").paginate(
            InstanceArn=instance.instance_arn, AccountId=instance.account_id, PermissionSetArn=arn
        )
        for assignment in [a for page in pages for a in page["AccountAssignments"]]:
            if assignment["PrincipalId"] == user["UserId"]:
                delete_assignment(sso, instance, arn, "USER", user["UserId"])
    identitystore.delete_user(IdentityStoreId=instance.identity_store_id, UserId=user["UserId"])
    return user["UserId"]


def sweep_account(acct: AwsAccount, marker: str, held: set[str], nikki_upn: str | None = None,
                  abac: dict[str, set] | None = None) -> dict:
    """``abac``: what a failed apply's plan was creating (planned_abac). The configuration has no tags
    and one per instance; found exactly as that apply's plan wanted it, while the state does not hold
    it (the plan creates it), it is the one the apply made and lost the answer of."""
    sess = session(acct)
    instance = identity_center_instance(acct, sess)
    sso = sess.client("sso-admin")
    done = {"account": acct.nickname, "permissionSets": [], "secrets": [], "identityStoreUsers": []}
    planned = (abac or {}).get(instance.instance_arn)
    if planned is not None and _live_abac(sso, instance.instance_arn) == planned:
        sso.delete_instance_access_control_attribute_configuration(InstanceArn=instance.instance_arn)
        done["accessControlAttributes"] = instance.instance_arn
        output.log(acct.nickname, f"deleted the access-control attribute configuration of "
                   f"{instance.instance_arn}: the failed apply created it as planned, not in the state")
    if nikki_upn and (user_id := _delete_orphan_user(sess, instance, nikki_upn, held)):
        done["identityStoreUsers"].append(nikki_upn)
        output.log(acct.nickname, f"deleted identity-store user {nikki_upn} ({user_id}) and her account "
                   f"assignments: the Identity Center copy of our Entra user, not in the state")
    for arn in _orphan_permission_sets(sso, instance.instance_arn, marker, held):
        _delete_permission_set(sso, instance, arn)
        done["permissionSets"].append(arn)
        output.log(acct.nickname, f"deleted permission set {arn}: tagged {TAG}={marker}, not in the state")
    done["accountAssignments"] = []
    for assignment in _orphan_assignments(sso, instance, marker, held):
        delete_assignment(sso, instance, assignment["PermissionSetArn"], assignment["PrincipalType"],
                          assignment["PrincipalId"])
        done["accountAssignments"].append(assignment_id(assignment, instance))
        output.log(acct.nickname, f"deleted account assignment {assignment_id(assignment, instance)}: "
                   "to our permission set, not in the state")
    done["managedPolicyAttachments"] = []
    for arn, policy in _orphan_managed_policies(sso, instance, marker, held):
        sso.detach_managed_policy_from_permission_set(
            InstanceArn=instance.instance_arn, PermissionSetArn=arn, ManagedPolicyArn=policy
        )
        attachment = managed_policy_attachment_id(policy, arn, instance.instance_arn)
        done["managedPolicyAttachments"].append(attachment)
        output.log(acct.nickname, f"detached {policy} from permission set {arn}: ours, not in the state")
    secrets = sess.client("secretsmanager")
    for secret in _orphan_secrets(secrets, marker, held):
        secrets.delete_secret(SecretId=secret["ARN"], ForceDeleteWithoutRecovery=True)
        done["secrets"].append(secret["Name"])
        output.log(acct.nickname, f"deleted secret {secret['Name']}: tagged {TAG}={marker}, not in the state")
    return done


def run(ctx, args) -> dict:
    held = state_strings(args.state, args.terraform_dir)
    if args.plan and not args.terraform_dir:
        raise InputError("--plan needs --terraform-dir (the plan is read with `terraform show -json`)")
    abac = planned_abac(_terraform_state(args.terraform_dir, args.plan)) if args.plan else {}
    marker = owner_marker()
    nikki_upn = our_nikki(ctx.graph, marker)
    accounts = [sweep_account(acct, marker, held, nikki_upn, abac) for acct in selected_accounts(args)]
    return {"accounts": accounts, "azure": sweep_azure(ctx, marker, held)}
