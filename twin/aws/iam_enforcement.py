"""Every signed AWS request is authorized against the caller's IAM policies before it is served.

Evaluation as IAM does it for a principal within one account (IAM user guide, "Policy evaluation
logic", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
denied by default, allowed when an identity-based policy allows the action on the resource, an
explicit deny wins. The documents are the user's managed policies in moto's IAM (iam_principals);
each is evaluated with moto's own ``IAMPolicy`` (moto/iam/access_control.py), the loop is moto's
``IAMRequestBase.check_action_permitted``. Not moto's request-level enforcement itself: that one
is a process-wide switch (``INITIAL_NO_AUTH_ACTION_COUNT``), answers every protocol in IAM's XML,
never sees the operations moto_gaps answers nor the console operations, and re-checks signatures
the gateway has already verified.

Actions: a public operation is ``<SigV4 signing name>:<operation>`` (the Service Authorization
Reference: ``sso``, ``identitystore``, ``secretsmanager``, ``sts``, ``iam``, ``organizations``
actions bear their API operation's name); a console operation ``AWSIdentityStoreService.<Op>`` is
``sso-directory:<Op>`` (Service Authorization Reference, "Actions defined by AWS SSO Directory") and
``SWBService.<Op>`` is ``sso:<Op>`` (*inferred*: the console's ``sso`` endpoint, action named after
the operation). Not checked: ``sts:GetCallerIdentity`` ("No permissions are required to perform this
operation", STS API reference), the unsigned STS calls, and S3 (the Terraform state bucket; outside
the library's policy, see twin/README.md).

``ENTRAIDC_TWIN_IAM_AUDIT=1`` in the twin's environment at start logs denials but serves the
requests: for finding the actions a new code path needs, never for tests.

A denial answers as the troubleshooting page shows (IAM user guide, "Troubleshoot access denied
error messages", https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html):
"User: <arn> is not authorized to perform: <action> on resource: <resource> because no
identity-based policy allows the <action> action" (or "with an explicit deny in an identity-based
policy"); JSON protocols ``AccessDeniedException`` (400, the botocore models' error shape), query
protocols ``AccessDenied`` (403). The resource named is the request's own ARN member when it has
one, else ``*`` (*inferred*: which ARN AWS names per action is not documented).
"""
import logging
import os

from moto.iam.access_control import IAMPolicy, IAMUserAccessKey, PermissionResult

from twin.aws import iam_principals
from twin.aws.accounts import Account
from twin.aws.errors import Response, json_error, query_error

log = logging.getLogger("twin.aws")

CONSOLE_PREFIXES = {"AWSIdentityStoreService": "sso-directory", "SWBService": "sso"}
UNCHECKED = {"sts:GetCallerIdentity"}
UNCHECKED_SERVICES = {"s3"}
ARN_MEMBERS = ("PermissionSetArn", "InstanceArn", "ResourceArn", "SecretId")


def action_of(target: str, signing_name: str, operation: str) -> str | None:
    """The IAM action a request needs, or None when IAM does not authorize it."""
    prefix = target.split(".", 1)[0] if target else ""
    if prefix in CONSOLE_PREFIXES:
        return f"{CONSOLE_PREFIXES[prefix]}:{operation}"
    if signing_name in UNCHECKED_SERVICES or not operation:
        return None
    action = f"{signing_name}:{operation}"
    return None if action in UNCHECKED else action


def decide(account: Account, action: str, resource: str) -> PermissionResult:
    access_key = IAMUserAccessKey(account_id=account.account_id, partition=account.partition,
                                  access_key_id=account.access_key, headers={})
    permitted = False
    for policy in access_key.collect_policies():
        result = IAMPolicy(policy).is_action_permitted(action, resource)
        if result == PermissionResult.DENIED:
            return result
        permitted = permitted or result == PermissionResult.PERMITTED
    return PermissionResult.PERMITTED if permitted else PermissionResult.NEUTRAL


def resource_of(payload: dict) -> str:
    for member in ARN_MEMBERS:
        value = payload.get(member)
        if isinstance(value, str) and value.startswith("arn:"):
            return value
    return "*"


def authorize(account: Account, action: str, payload: dict, protocol: str) -> Response | None:
    """None when allowed, else the AccessDenied answer; logs every decision (the twin's operation log)."""
    resource = resource_of(payload)
    result = decide(account, action, resource)
    audit = os.environ.get("ENTRAIDC_TWIN_IAM_AUDIT") == "1"
    log.info("aws %s %s %s", account.nickname, action, "allowed" if result == PermissionResult.PERMITTED
             else "denied (audit mode: served anyway)" if audit else "denied")
    if result == PermissionResult.PERMITTED or audit:
        return None
    why = ("with an explicit deny in an identity-based policy" if result == PermissionResult.DENIED
           else f"because no identity-based policy allows the {action} action")
    message = (f"User: {iam_principals.user_arn(account)} is not authorized to perform: {action} "
               f"on resource: {resource} {why}")
    if protocol == "aws-json":
        return json_error("AccessDeniedException", message, 400)
    return query_error("AccessDenied", message, 403)
