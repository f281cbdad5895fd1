"""The objects of someone else that a setup would meet under this library's names, found before
anything changes (read only; run by `preflight`). Each conflict names the object and what to do.

Ownership as recorded elsewhere: Entra users and applications carry the marker (marker.py); the
identity-store RichRoe is SCIM's when it has ExternalIds (scim_enable.created_by_scim); the instance's
external IdP is ours by its ownership record (idp_ownership.py); the SCIM token secret is ours when
tagged ManagedBy=<marker> (scim_token_store.py).
"""

from dataclasses import dataclass

from . import output
from .aws import AwsAccount, Instance
from .aws_console_api import ConsoleApi
from .entra_apps import owned_application
from .entra_directory import user_by_upn
from .errors import EntraIdcError, InputError
from .marker import USER_MARKER_ATTRIBUTE, user_is_marked
from .saml_federation import ALLOW_FLAG, external_idps, identity_source_problems, refusal
from .scim_enable import created_by_scim, scim_user
from .scim_token_store import TAG, describe, is_ours, secret_name
from .targets import APP_DISPLAY_NAME, NIKKI, RICH

LEFT_ALONE = "this library never changes it"


@dataclass(frozen=True)
class Conflict:
    account: str
    message: str


def entra_users(graph, domain: str, marker: str) -> list[Conflict]:
    found = []
    for name in (NIKKI, RICH):
        upn = f"{name}@{domain}"
        user = user_by_upn(graph, upn)
        if user is not None and not user_is_marked(user, marker):
            found.append(
                Conflict(
                    "azure-id",
                    f"Entra user {upn} (object {user['id']}) was not created by {marker} (its "
                    f"onPremisesExtensionAttributes.{USER_MARKER_ATTRIBUTE} is not {marker}), and setup "
                    f"would create a user of that name: delete or rename it (Entra ID > Users), or use a "
                    f"tenant where the name is free; {LEFT_ALONE}.",
                )
            )
    return found


def entra_app(graph, acct: AwsAccount, marker: str) -> tuple[dict | None, list[Conflict]]:
    """(our application of this account, if any; the conflicts about its name)."""
    try:
        return owned_application(graph, APP_DISPLAY_NAME.format(nickname=acct.nickname), marker), []
    except EntraIdcError as err:
        return None, [Conflict("azure-id", str(err))]


def identity_source(
    sess, acct: AwsAccount, instance: Instance, marker: str, ids: tuple[str, str], domain: str, allow: bool
) -> list[Conflict]:
    """What saml-federate's guard would refuse, with the same ownership record and names. ``ids``: the
    tenant ID and our application's app ID ("" when there is none yet: no IdP can be its)."""
    tenant_id, app_id = ids
    store = instance.identity_store_id
    mine, foreign = external_idps(
        ConsoleApi(acct, sess),
        sess.client("sso-admin"),
        instance.instance_arn,
        store,
        marker,
        tenant_id,
        app_id,
    )
    if any(i.get("Status") == "ENABLED" for i in mine):
        return []  # a re-run: the instance is federated with our application already
    problems = identity_source_problems(acct, store, foreign, domain)
    if allow:
        for problem in problems:
            output.log(acct.nickname, f"allowed by {ALLOW_FLAG}: {problem}")
        return []
    if not problems:
        return []
    enabled = [i for i in foreign if i.get("Status") == "ENABLED"]
    now = (
        f"is federated with external IdP {enabled[0].get('IdPEntityId')}"
        if enabled
        else "uses the Identity Center directory"
    )
    return [Conflict(acct.nickname, f"instance {instance.instance_arn} {now}; {refusal(store, problems)}")]


def identity_store_rich(sess, acct: AwsAccount, instance: Instance, domain: str) -> list[Conflict]:
    upn = f"{RICH}@{domain}"
    user = scim_user(sess.client("identitystore"), instance.identity_store_id, upn)
    if user is None or created_by_scim(user):
        return []
    return [
        Conflict(
            acct.nickname,
            f"identity-store user {upn} (user ID {user['UserId']}) in {instance.identity_store_id} was not "
            "created by SCIM (it has no ExternalIds): Entra's provisioning would match it on userName and "
            "take it over, and the SCIM phase would give it AdministratorAccess. Delete or rename it "
            f"(IAM Identity Center console > Users) if it is not needed; {LEFT_ALONE}.",
        )
    ]


def scim_secret(sess, acct: AwsAccount, marker: str) -> list[Conflict]:
    described = describe(sess.client("secretsmanager"), acct.nickname)
    if described is None or is_ours(described, marker):
        return []
    name = secret_name(acct.nickname)
    return [
        Conflict(
            acct.nickname,
            f"Secrets Manager secret {name} ({described['ARN']}) exists without the tag {TAG}={marker}: it "
            "is not this library's, and the SCIM phase must create its token secret under that name. "
            f"Delete or rename it (aws secretsmanager delete-secret --secret-id {name}) if it is not needed; "
            f"{LEFT_ALONE}.",
        )
    ]


PERMISSION_SETS = ("RegionalAdmin", "AdministratorAccess")  # the module's (modules/identity-center)


def permission_sets(sess, acct: AwsAccount, instance: Instance, marker: str) -> list[Conflict]:
    """A permission set of one of our names without our tag: CreatePermissionSet would answer
    ConflictException mid-apply (an instance holds one permission set per name). AWS's own
    getting-started flow creates one named AdministratorAccess. Adopting it would touch someone
    else's object, so it is named instead."""
    sso = sess.client("sso-admin")
    found = []
    for page in sso.get_paginator("list_permission_sets").paginate(InstanceArn=instance.instance_arn):
        for arn in page["PermissionSets"]:
            name = sso.describe_permission_set(InstanceArn=instance.instance_arn, PermissionSetArn=arn)[
                "PermissionSet"
            ]["Name"]
            if name not in PERMISSION_SETS:
                continue
            tags = sso.list_tags_for_resource(InstanceArn=instance.instance_arn, ResourceArn=arn)
            if {t["Key"]: t.get("Value") for t in tags.get("Tags", [])}.get(TAG) == marker:
                continue
            found.append(
                Conflict(
                    acct.nickname,
                    f"permission set {name} ({arn}) in {instance.instance_arn} exists without the tag "
                    f"{TAG}={marker}: it is not this library's, and setup must create its own {name} "
                    "(IAM Identity Center refuses a second permission set of that name). If it is not "
                    "needed, remove its account assignments and delete it (IAM Identity Center console > "
                    f"Multi-account permissions > Permission sets > {name} > Delete); {LEFT_ALONE}.",
                )
            )
    return found


def refuse(conflicts: list[Conflict]) -> None:
    if not conflicts:
        return
    accounts = {c.account for c in conflicts}
    if len(conflicts) == 1:
        only = conflicts[0]
        text = f"1 conflict found before anything changed, in {only.account}: {only.message}"
    else:
        listed = " ".join(f"({n}) {c.account}: {c.message}" for n, c in enumerate(conflicts, start=1))
        text = f"{len(conflicts)} conflicts found before anything changed: {listed}"
    raise InputError(text, account=accounts.pop() if len(accounts) == 1 else None)
