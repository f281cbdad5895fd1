"""`teardown`: undo what the script commands did, in reverse order, touching only what is ours.

NOT PURE TERRAFORM: separate Python command run by entraTeardown before `terraform destroy` —
provisioning jobs, SCIM tokens and tenants, and the identity source have no Terraform resource.
Per account: stop and delete the Entra provisioning job; delete the SCIM-created RichRoe from the
identity store; delete the access tokens and the provisioning tenant; empty the token secret;
delete the ABAC claims policy; restore the identity source where this library's app is the IdP.
With --all-marked it also deletes every marked Entra app and test user (after a failed setup).
"""

import os

import botocore.exceptions

from . import abac, entra_sync, idp_ownership, output, scim_token_store
from .aws import ACCOUNTS, AwsAccount, identity_center_instance, session
from .aws_console_api import ConsoleApi
from .entra_directory import default_domain, user_by_upn
from .errors import permission_hint
from .inputs import owner_marker
from .marker import app_is_marked, user_is_marked
from .saml_federation import restore_identity_source
from .scim_enable import created_by_scim, scim_user
from .targets import NIKKI, RICH, entra_app, selected_accounts


def _our_tenants(
    console, secrets, acct: AwsAccount, store: str, federated_by_us: bool, marker: str
) -> list[dict]:
    tenants = console.automatic_provisioning_status(store)
    described = scim_token_store.describe(secrets, acct.nickname)
    # No container (Terraform never applied the SCIM phase), or someone else's secret of that name.
    ours = described is not None and scim_token_store.is_ours(described, marker)
    stored = (scim_token_store.read(secrets, acct.nickname) or {}) if ours else {}
    if federated_by_us:
        return tenants
    mine = [t for t in tenants if t["TenantId"] == stored.get("TenantId")]
    for other in tenants:
        if other not in mine:
            output.log(
                acct.nickname, f"provisioning tenant {other['TenantId']} is not this library's; left alone"
            )
    return mine


def teardown_account(ctx, acct: AwsAccount, marker: str, domain: str) -> dict:
    graph = ctx.graph
    sess = session(acct)
    instance = identity_center_instance(acct, sess)
    store = instance.identity_store_id
    console = ConsoleApi(acct, sess)
    done = {
        "account": acct.nickname,
        "jobs": 0,
        "scimUsers": 0,
        "tokens": 0,
        "tenants": 0,
        "claimsPolicies": 0,
        "identitySourceRestored": 0,
    }

    app = entra_app(graph, acct.nickname, marker, required=False)
    if app is not None:
        done["jobs"] = entra_sync.delete_jobs(graph, app.sp["id"])
        if done["jobs"]:
            output.log("azure-id", f"provisioning job of {app.display_name!r} stopped and deleted")
    sso = sess.client("sso-admin")
    tenant_id = ctx.tenant_id()
    record = idp_ownership.read(sso, instance.instance_arn, marker)
    idps = console.list_external_identity_providers(store)
    federated_by_us = any(idp_ownership.is_ours(i, record, tenant_id) for i in idps)

    # RichRoe exists in Identity Center only through SCIM from this tenant. His Entra user may already
    # be gone (destroyed before a teardown after a failed setup); an unmarked Entra RichRoe is not ours.
    rich_upn = f"{RICH}@{domain}"
    rich = user_by_upn(graph, rich_upn)
    if rich is None or user_is_marked(rich, marker):
        identitystore = sess.client("identitystore")
        found = scim_user(identitystore, store, rich_upn)
        if found and created_by_scim(found):
            identitystore.delete_user(IdentityStoreId=store, UserId=found["UserId"])
            done["scimUsers"] += 1
            output.log(acct.nickname, f"deleted {rich_upn} (created by SCIM) from {store}")

    secrets = sess.client("secretsmanager")
    for tenant in _our_tenants(console, secrets, acct, store, federated_by_us, marker):
        for token in console.list_access_tokens(store, tenant["TenantId"]):
            console.delete_access_token(store, tenant["TenantId"], token["TokenId"])
            done["tokens"] += 1
        console.disable_automatic_provisioning(store, tenant["TenantId"])
        done["tenants"] += 1
        output.log(
            acct.nickname,
            f"automatic provisioning disabled (tenant {tenant['TenantId']}, "
            f"{done['tokens']} token(s) deleted)",
        )
    try:
        if scim_token_store.clear(secrets, acct.nickname, marker):
            output.log(acct.nickname, f"emptied {scim_token_store.secret_name(acct.nickname)}")
    except botocore.exceptions.ClientError as exc:
        error = exc.response["Error"]
        output.log(
            acct.nickname,
            f"could not empty the token secret: {error.get('Code')}: {error.get('Message')}"
            f"{permission_hint(error.get('Code'))}",
        )

    done["claimsPolicies"] = abac.delete_policies(graph, acct.nickname, marker)
    if record:
        done["identitySourceRestored"] = restore_identity_source(
            console, sso, instance.instance_arn, store, marker, tenant_id
        )
    if done["identitySourceRestored"]:
        output.log(acct.nickname, "identity source restored to the Identity Center directory")
    else:
        output.log(acct.nickname, "identity source not changed by this library; left as is")
    return done


def delete_marked_entra_objects(ctx, marker: str, domain: str) -> dict:
    graph = ctx.graph
    removed = {"applications": 0, "users": 0}
    for app in graph.list("/applications", params={"$select": "id,appId,displayName,tags"}):
        if app_is_marked(app, marker):
            graph.delete(f"/applications/{app['id']}")
            ctx.purge_application(app)
            removed["applications"] += 1
            output.log("azure-id", f"deleted application {app['displayName']!r}")
    # Applications of ours that someone deleted by hand wait in the recycle bin for 30 days.
    for app in graph.list(
        "/directory/deletedItems/graph.application", params={"$select": "id,appId,displayName,tags"}
    ):
        if app_is_marked(app, marker):
            ctx.purge_application(app)
            removed["purgedApplications"] = removed.get("purgedApplications", 0) + 1
            output.log("azure-id", f"purged deleted application {app['displayName']!r} from the recycle bin")
    for name in (NIKKI, RICH):
        user = user_by_upn(graph, f"{name}@{domain}")
        if user is not None and user_is_marked(user, marker):
            graph.delete(f"/users/{user['id']}")
            ctx.delete_permanently(user["id"], kind="user")
            removed["users"] += 1
            output.log("azure-id", f"deleted user {user['userPrincipalName']}")
    if os.environ.get("ENTRAIDC_KEY_VAULT_URI"):
        names = [f"entraidc-user-{n.lower()}" for n in (NIKKI, RICH)] + [
            f"entraidc-app-{a}" for a in ACCOUNTS
        ]
        for name in names:
            found = ctx.vault.get_secret(name)
            if found and found.get("tags", {}).get("managedBy") == marker:
                ctx.vault.delete_and_purge_secret(name)
                removed["resultSecrets"] = removed.get("resultSecrets", 0) + 1
                output.log("azure-id", f"deleted and purged Key Vault secret {name}")
    return removed


def run(ctx, args) -> dict:
    marker = owner_marker()
    domain = default_domain(ctx.graph)
    results = [teardown_account(ctx, acct, marker, domain) for acct in selected_accounts(args)]
    data = {"accounts": results}
    if getattr(args, "all_marked", False):
        data["entra"] = delete_marked_entra_objects(ctx, marker, domain)
    return data
