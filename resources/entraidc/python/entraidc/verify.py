"""`verify`: every check of the tutorial that an API can make, as a table and JUnit XML.

NOT PURE TERRAFORM: separate Python command (read only) run by the pipeline steps.
"""

from . import abac, entra_sync, idp_ownership, junit, output, scim_token_store
from .aws import AwsAccount, identity_center_instance, session
from .aws_console_api import ConsoleApi
from .entra_assign import assignments_of
from .entra_directory import default_domain, user_by_upn
from .errors import EntraIdcError
from .inputs import owner_marker
from .marker import policy_name
from .saml_metadata import fetch_federation_metadata, reply_urls, single_sign_on_url
from .scim_enable import created_by_scim, scim_user
from .targets import NIKKI, RICH, entra_app, selected_accounts

PERMISSION_SETS = {NIKKI: "RegionalAdmin", RICH: "AdministratorAccess"}


class Checks:
    def __init__(self, account: str):
        self.account = account
        self.items: list[junit.Check] = []

    def add(self, name: str, ok: bool, detail: str = "") -> bool:
        self.items.append(junit.Check(self.account, name, "pass" if ok else "fail", detail))
        return ok

    def skip(self, name: str, detail: str) -> None:
        self.items.append(junit.Check(self.account, name, "skip", detail))


def _permission_set_arns(sso, instance_arn: str) -> dict[str, str]:
    arns = {}
    for page in sso.get_paginator("list_permission_sets").paginate(InstanceArn=instance_arn):
        for arn in page["PermissionSets"]:
            name = sso.describe_permission_set(InstanceArn=instance_arn, PermissionSetArn=arn)[
                "PermissionSet"
            ]["Name"]
            arns[name] = arn
    return arns


def _assigned(sso, instance, permission_set_arn: str, user_id: str) -> bool:
    pages = sso.get_paginator("list_account_assignments").paginate(
        InstanceArn=instance.instance_arn, AccountId=instance.account_id, PermissionSetArn=permission_set_arn
    )
    return any(
        a["PrincipalId"] == user_id and a["PrincipalType"] == "USER"
        for page in pages
        for a in page["AccountAssignments"]
    )


def verify_account(ctx, acct: AwsAccount, marker: str, domain: str, phase: str, with_abac: bool) -> list:
    c = Checks(acct.nickname)
    graph = ctx.graph
    sess = session(acct)
    instance = identity_center_instance(acct, sess)
    store = instance.identity_store_id
    console = ConsoleApi(acct, sess)
    try:
        app = entra_app(graph, acct.nickname, marker)
    except EntraIdcError as err:
        c.add("1.1 Entra enterprise application", False, str(err))
        return c.items
    c.add("1.1 Entra enterprise application", True, f"{app.display_name} (appId {app.app['appId']})")
    users = {name: user_by_upn(graph, f"{name}@{domain}") for name in (NIKKI, RICH)}
    names = (NIKKI, RICH) if phase == "scim" else (NIKKI,)
    for name in names:
        user = users[name]
        step = "1.2" if name == NIKKI else "4.1"
        if c.add(
            f"{step} Entra user {name}", user is not None, user["userPrincipalName"] if user else "missing"
        ):
            c.add(
                f"{'1.4' if name == NIKKI else '4.3'} {name} assigned to the app",
                bool(assignments_of(graph, app.sp["id"], user["id"])),
            )

    sp = graph.get(f"/servicePrincipals/{app.sp['id']}")
    application = graph.get(f"/applications/{app.app['id']}", params={"$select": "id,identifierUris,web"})
    sp_config = console.download_service_provider_metadata(store)
    c.add(
        "3.2 single sign-on mode SAML",
        sp.get("preferredSingleSignOnMode") == "saml",
        str(sp.get("preferredSingleSignOnMode")),
    )
    c.add(
        "3.2 identifier = Identity Center entity ID",
        application.get("identifierUris") == [sp_config["EntityId"]],
        f"{application.get('identifierUris')} vs {sp_config['EntityId']}",
    )
    registered = (application.get("web") or {}).get("redirectUris") or []
    missing = [url for url in reply_urls(sp_config) if url not in registered]
    c.add(
        "3.2 reply URLs include every Identity Center ACS URL",
        not missing,
        f"missing {', '.join(missing)}" if missing else ", ".join(reply_urls(sp_config)),
    )
    # SignInUrl is optional in the answer; saml-federate then uses the built URL, and so does this check.
    portal = sp_config.get("SignInUrl") or acct.default_access_portal_url(store)
    c.add(
        "3.2 sign-on URL = access portal URL",
        sp.get("loginUrl") == portal,
        f"{sp.get('loginUrl')} vs {portal}"
        + ("" if sp_config.get("SignInUrl") else " (built: the service's answer has no SignInUrl)"),
    )
    sign_in = ""
    if c.add(
        "3.2 token-signing certificate",
        bool(sp.get("preferredTokenSigningKeyThumbprint")),
        str(sp.get("preferredTokenSigningKeyThumbprint")),
    ):
        metadata = fetch_federation_metadata(ctx.tenant_id(), app.app["appId"])
        sign_in = single_sign_on_url(metadata)
    idps = console.list_external_identity_providers(store)
    enabled = [i for i in idps if i.get("Status") == "ENABLED"]
    sso = sess.client("sso-admin")
    record = idp_ownership.read(sso, instance.instance_arn, marker)
    c.add(
        "3.3 identity source = this Entra app",
        bool(enabled) and idp_ownership.is_ours(enabled[0], record, ctx.tenant_id(), app.app["appId"]),
        enabled[0]["IdPEntityId"] if enabled else "Identity Center directory",
    )
    login_url = enabled[0].get("IdPLoginUrl") if enabled else None
    c.add(
        "3.3 IdP sign-in URL = Entra SAML endpoint",
        bool(login_url) and login_url == sign_in,
        f"{login_url} vs {sign_in}",
    )

    identitystore = sess.client("identitystore")
    permission_sets = _permission_set_arns(sso, instance.instance_arn)
    nikki_upn = f"{NIKKI}@{domain}"
    nikki_user = scim_user(identitystore, store, nikki_upn)
    nikkis = [nikki_user] if nikki_user else []
    same_name = sum(
        u["UserName"].lower() == nikki_upn.lower()
        for page in identitystore.get_paginator("list_users").paginate(IdentityStoreId=store)
        for u in page["Users"]
    )
    c.add(
        "2.2 NikkiWolf in Identity Center (exactly one)",
        bool(nikkis) and same_name == 1,
        f"{same_name} user(s) {nikki_upn}",
    )
    if nikkis and "RegionalAdmin" in permission_sets:
        c.add(
            "2.3 NikkiWolf -> RegionalAdmin provisioned",
            _assigned(sso, instance, permission_sets["RegionalAdmin"], nikkis[0]["UserId"]),
        )
    else:
        c.add("2.3 NikkiWolf -> RegionalAdmin provisioned", False, "permission set or user missing")

    if phase == "scim":
        tenants = console.automatic_provisioning_status(store)
        c.add(
            "4.2 automatic provisioning enabled",
            bool(tenants),
            tenants[0]["ScimEndpoint"] if tenants else "provisioning method is Manual",
        )
        stored = scim_token_store.read(sess.client("secretsmanager"), acct.nickname) or {}
        listed = console.list_access_tokens(store, tenants[0]["TenantId"]) if tenants else []
        c.add(
            "4.2 SCIM token in Secrets Manager is an active token",
            any(t.get("TokenId") == stored.get("TokenId") for t in listed),
            f"{scim_token_store.secret_name(acct.nickname)} ({len(listed)} token(s) in Identity Center)",
        )
        jobs = entra_sync.jobs(graph, app.sp["id"])
        if c.add("4.3 Entra provisioning job exists", bool(jobs)):
            job = jobs[0]
            last = ((job.get("status") or {}).get("lastExecution") or {}).get("state") or "not run yet"
            c.add(
                "4.3 provisioning job healthy, not quarantined",
                not entra_sync.is_quarantined(job) and last != "Failed",
                f"{entra_sync.job_state(job)}, last cycle {last}",
            )
        rich = users[RICH]
        found = scim_user(identitystore, store, rich["userPrincipalName"]) if rich else None
        c.add(
            "4.4 RichRoe in Identity Center, created by SCIM",
            bool(found) and created_by_scim(found),
            "found" if found else "missing",
        )
        if found and "AdministratorAccess" in permission_sets:
            c.add(
                "RichRoe -> AdministratorAccess provisioned",
                _assigned(sso, instance, permission_sets["AdministratorAccess"], found["UserId"]),
            )
        else:
            c.skip("RichRoe -> AdministratorAccess provisioned", "RichRoe or the permission set is missing")
    if with_abac:
        wanted = policy_name(marker, f"ABAC claims ({acct.nickname})")
        assigned = [
            p
            for p in graph.list(f"/servicePrincipals/{app.sp['id']}/claimsMappingPolicies")
            if p.get("displayName") == wanted
        ]
        attributes = sso.describe_instance_access_control_attribute_configuration(
            InstanceArn=instance.instance_arn
        ).get("InstanceAccessControlAttributeConfiguration", {})
        keys = sorted(a["Key"] for a in attributes.get("AccessControlAttributes", []))
        c.add("5 ABAC attributes in Identity Center", bool(keys), ", ".join(keys))
        ok = bool(assigned) and all(abac.CLAIM_PREFIX + key in assigned[0]["definition"][0] for key in keys)
        c.add("5 AccessControl claims in Entra match", ok, ", ".join(f"AccessControl:{k}" for k in keys))
    return c.items


def run(ctx, args) -> dict:
    marker = owner_marker()
    domain = default_domain(ctx.graph)
    checks = []
    for acct in selected_accounts(args):
        checks += verify_account(ctx, acct, marker, domain, args.phase, args.abac)
    if args.junit:
        junit.write(checks, args.junit)
        output.log("entra-idc", f"JUnit XML written to {args.junit}")
    failed = [c for c in checks if c.status == "fail"]
    return {
        "ok": not failed,
        "passed": sum(c.status == "pass" for c in checks),
        "failed": len(failed),
        "checks": [c.__dict__ for c in checks],
        "table": junit.table(checks),
    }
