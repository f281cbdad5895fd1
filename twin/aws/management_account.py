"""Account assignments in the account that holds the organization instance (the management account)
run through the caller's own IAM permissions.

In member accounts IAM Identity Center creates and updates the ``AWSReservedSSO_*`` roles with its
service-linked role; the AWSSSOServiceRolePolicy allows those IAM actions on
``role/aws-reserved/sso.amazonaws.com/*`` only where ``aws:PrincipalOrgMasterAccountId`` is not the
principal's account (AWS managed policy reference, AWSSSOServiceRolePolicy, statement
IAMRoleProvisioningActions). In the management account the caller's permissions are used instead:
the IAM Identity Center user guide lists them ("Identity-based policy examples", Example 2:
iam:AttachRolePolicy, CreateRole, DeleteRole, DeleteRolePolicy, DetachRolePolicy, GetRole,
ListAttachedRolePolicies, ListRolePolicies, PutRolePolicy, UpdateRole, UpdateRoleDescription,
GetSAMLProvider; "Delegate who can assign single sign-on access to users and groups in the
management account": by default only the root user or a holder of AWSSSOMasterAccountAdministrator
and IAMFullAccess). Without them the request ends FAILED (hashicorp/terraform-provider-aws#23585:
"unexpected state 'FAILED'", fixed by allowing iam:GetRole, ListAttachedRolePolicies,
ListRolePolicies … on the AWSReservedSSO_ roles).

*Inferred*: which of those actions each request needs (below: what creating, resp. removing, the
role with the permission set's policies takes), the role and SAML provider names' random parts, and
the FailureReason's wording around IAM's own denial message.
"""
import hashlib
import os

from twin.aws import iam_enforcement, iam_principals
from twin.aws.state import Directory

ROLE_PATH = "role/aws-reserved/sso.amazonaws.com/"


def role_arn(directory: Directory, permission_set) -> str:
    account = directory.account
    suffix = hashlib.sha256(permission_set.permission_set_arn.encode()).hexdigest()[:16]
    name = f"AWSReservedSSO_{permission_set.name}_{suffix}"
    return f"arn:{account.partition}:iam::{account.account_id}:{ROLE_PATH}{name}"


def saml_provider_arn(directory: Directory) -> str:
    account = directory.account
    suffix = hashlib.sha256(directory.instance_arn.encode()).hexdigest()[:16]
    return f"arn:{account.partition}:iam::{account.account_id}:saml-provider/AWSSSO_{suffix}_DO_NOT_DELETE"


def role_actions_of(inline: bool, managed: bool, creating: bool) -> list[str]:
    """The IAM actions on the role of a permission set with an inline and/or managed policy."""
    if creating:
        return ["iam:GetRole", "iam:CreateRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
                *(["iam:PutRolePolicy"] if inline else []), *(["iam:AttachRolePolicy"] if managed else [])]
    return ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies",
            *(["iam:DeleteRolePolicy"] if inline else []), *(["iam:DetachRolePolicy"] if managed else []),
            "iam:DeleteRole"]


def denial(directory: Directory, permission_set, creating: bool, last: bool = True) -> str | None:
    """The FailureReason of an assignment to the instance's own account that the caller's IAM
    policies do not allow, or None. A deletion touches the role only when it removes the permission
    set's last assignment in the account (``last``)."""
    account = directory.account
    checks = [("iam:GetSAMLProvider", saml_provider_arn(directory))] if creating else []
    if creating or last:
        checks += [(action, role_arn(directory, permission_set))
                   for action in role_actions_of(bool(permission_set.inline_policy),
                                                 bool(permission_set.managed_policies), creating)]
    audit = os.environ.get("ENTRAIDC_TWIN_IAM_AUDIT") == "1"
    for action, resource in checks:
        result = iam_enforcement.decide(account, action, resource)
        allowed = result == iam_enforcement.PermissionResult.PERMITTED
        decision = "allowed" if allowed else "denied (audit mode: served anyway)" if audit else "denied"
        iam_enforcement.log.info("aws %s %s %s (Identity Center, management account)", account.nickname,
                                 action, decision)
        if not allowed and not audit:
            why = ("with an explicit deny in an identity-based policy"
                   if result == iam_enforcement.PermissionResult.DENIED
                   else f"because no identity-based policy allows the {action} action")
            return (f"Received a 403 status error: User: {iam_principals.user_arn(account)} is not "
                    f"authorized to perform: {action} on resource: {resource} {why}")
    return None
