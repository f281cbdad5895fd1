"""`scim-enable` (Step 4.2-4.4): automatic provisioning from Entra into each Identity Center instance.

NOT PURE TERRAFORM: separate Python command run by entraScimEnable — Identity Center's automatic
provisioning and its token have no public API, and Entra's provisioning job lives in Microsoft Graph.
"""

import datetime
import time

from . import azure_permissions, entra_sync, output, scim_token_store
from .aws import AwsAccount, identity_center_instance, session
from .aws_console_api import ConsoleApi
from .entra_assign import assign
from .entra_directory import default_domain
from .errors import EntraIdcError
from .inputs import owner_marker
from .targets import NIKKI, RICH, entra_app, entra_user, selected_accounts

# Identity Center keeps at most two SCIM access tokens per tenant, each valid for one year (IAM Identity
# Center user guide, "Rotate an access token").
MAX_TOKENS = 2
# A stored token this close to its ExpirationTime (or past it) is replaced, so Entra's provisioning
# cycles never run on an expired one between two runs of entraScimEnable.
RENEW_BEFORE_SECONDS = 30 * 86400


def scim_user(identitystore, store_id: str, upn: str) -> dict | None:
    """The identity-store user named ``upn``, by GetUserId on the unique attribute userName (ListUsers
    with Filters is deprecated in botocore's identitystore model: "please use GetUserId API instead")."""
    try:
        user_id = identitystore.get_user_id(
            IdentityStoreId=store_id,
            AlternateIdentifier={"UniqueAttribute": {"AttributePath": "userName", "AttributeValue": upn}},
        )["UserId"]
        return identitystore.describe_user(IdentityStoreId=store_id, UserId=user_id)
    except identitystore.exceptions.ResourceNotFoundException:
        return None


def created_by_scim(user: dict) -> bool:
    """Provisioned by SCIM: it has ExternalIds (SCIM's externalId). The value of the newer CreatedBy
    attribute for SCIM is not documented anywhere public, so it is not read."""
    return bool(user.get("ExternalIds"))


def ensure_tenant(console: ConsoleApi, acct: AwsAccount, store: str) -> tuple[dict, bool]:
    tenants = console.automatic_provisioning_status(store)
    if tenants:
        return tenants[0], False
    # An instance has one provisioning tenant: one there after a conflict is the one this call made.
    tenant = console.create_or_adopt(
        "CreateProvisioningTenant",
        lambda: console.enable_automatic_provisioning(store),
        lambda: next(iter(console.automatic_provisioning_status(store)), None),
    )
    output.log(acct.nickname, f"automatic provisioning enabled: SCIM endpoint {tenant['ScimEndpoint']}")
    return tenant, True


def ensure_token(
    console: ConsoleApi, secrets, acct: AwsAccount, store: str, tenant: dict
) -> tuple[dict, bool]:
    stored = scim_token_store.read(secrets, acct.nickname)
    listed = console.list_access_tokens(store, tenant["TenantId"])
    active = next((t for t in listed if stored and t.get("TokenId") == stored.get("TokenId")), None)
    if stored and stored.get("Token") and stored.get("TenantId") == tenant["TenantId"] and active:
        expires = expiration(active.get("ExpirationTime")) or expiration(stored.get("ExpirationTime"))
        if expires is None or expires - time.time() > RENEW_BEFORE_SECONDS:
            return stored, False
        output.log(
            acct.nickname,
            f"SCIM access token {stored['TokenId']} expires {_when(expires)}: replacing it "
            f"(tokens are renewed {RENEW_BEFORE_SECONDS // 86400} days before they expire)",
        )
    def expired_first_then_oldest(t: dict) -> tuple[bool, str]:
        expires = expiration(t.get("ExpirationTime"))
        return (expires is None or expires > time.time(), str(t.get("CreationTime", "")))

    for old in sorted(listed, key=expired_first_then_oldest)[: max(0, len(listed) - MAX_TOKENS + 1)]:
        console.delete_access_token(store, tenant["TenantId"], old["TokenId"])
        output.log(acct.nickname, f"deleted SCIM access token {old['TokenId']} to make room for a new one")
    token = console.generate_access_token(store, tenant["TenantId"])
    value = {
        "TokenId": token["TokenId"],
        "Token": token["Token"],
        "TenantId": tenant["TenantId"],
        "ScimEndpoint": tenant["ScimEndpoint"],
        "ExpirationTime": str(token.get("ExpirationTime", "")),
    }
    scim_token_store.write(secrets, acct.nickname, value)
    output.log(
        acct.nickname,
        f"SCIM access token {token['TokenId']} created and stored in Secrets Manager "
        f"secret {scim_token_store.secret_name(acct.nickname)}",
    )
    return value, True


def expiration(value) -> float | None:
    """A token's ExpirationTime as epoch seconds: a number (JSON 1.1 timestamps), the string this
    library stored, or an ISO 8601 string; None when there is none or it cannot be read."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, str) or not value:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=parsed.tzinfo or datetime.UTC).timestamp()


def _when(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")


def wait_for_scim_user(identitystore, acct: AwsAccount, store: str, upn: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    delay = 2.0
    while True:
        user = scim_user(identitystore, store, upn)
        if user and created_by_scim(user):
            return user
        if time.monotonic() + delay > deadline:
            raise EntraIdcError(
                f"{upn} did not appear in identity store {store} as created by SCIM within "
                f"{timeout:.0f}s; see the Entra app's Provisioning logs",
                account=acct.nickname,
            )
        time.sleep(delay)
        delay = min(delay * 2, 30)


def enable_account(ctx, acct: AwsAccount, marker: str, domain: str, timeout: float) -> dict:
    graph = ctx.graph
    sess = session(acct)
    instance = identity_center_instance(acct, sess)
    console = ConsoleApi(acct, sess)
    app = entra_app(graph, acct.nickname, marker)
    users = {name: entra_user(graph, name, marker, domain) for name in (NIKKI, RICH)}
    for user in users.values():
        assign(graph, app.sp, user["id"], user["userPrincipalName"])

    tenant, new_tenant = ensure_tenant(console, acct, instance.identity_store_id)
    token, new_token = ensure_token(
        console, sess.client("secretsmanager"), acct, instance.identity_store_id, tenant
    )
    job, new_job = entra_sync.ensure_job(graph, app.sp["id"])
    if new_job:
        output.log("azure-id", f"provisioning job {job['id']} created for {app.display_name!r}")
    entra_sync.save_credentials(graph, app.sp["id"], job["id"], token["ScimEndpoint"], token["Token"])
    output.log("azure-id", f"provisioning credentials of {app.display_name!r} validated and saved")
    if entra_sync.start(graph, app.sp["id"], job):
        output.log("azure-id", f"provisioning job of {app.display_name!r} started")
    for name in (NIKKI, RICH):
        entra_sync.provision_on_demand(
            graph, app.sp["id"], job["id"], users[name]["id"], users[name]["userPrincipalName"]
        )
    identitystore = sess.client("identitystore")
    rich = wait_for_scim_user(
        identitystore, acct, instance.identity_store_id, users[RICH]["userPrincipalName"], timeout
    )
    output.log(
        acct.nickname,
        f"{users[RICH]['userPrincipalName']} is in the identity store, created by SCIM "
        f"(user ID {rich['UserId']})",
    )
    return {
        "account": acct.nickname,
        "scimEndpoint": token["ScimEndpoint"],
        "jobId": job["id"],
        "richRoeUserId": rich["UserId"],
        "changed": new_tenant or new_token or new_job,
    }


def run(ctx, args) -> dict:
    azure_permissions.check(ctx, "scim")  # before anything changes
    marker = owner_marker()
    domain = default_domain(ctx.graph)
    results = [enable_account(ctx, acct, marker, domain, args.timeout) for acct in selected_accounts(args)]
    return {"accounts": results}
