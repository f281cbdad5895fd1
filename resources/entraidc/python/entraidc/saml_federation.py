"""SAML between the Entra app and one Identity Center instance (Steps 3.1-3.3): `saml-federate`.

NOT PURE TERRAFORM: terraform_data + local-exec running this module — the SAML settings of a
gallery app live in Microsoft Graph, and the identity source of IAM Identity Center has no public
API (aws_console_api).

Entra side, https://learn.microsoft.com/graph/application-saml-sso-configure-api:
PATCH servicePrincipal {preferredSingleSignOnMode: saml, loginUrl (sign-on URL)} first, then
PATCH application {identifierUris, web.redirectUris (every ACS URL of the SP metadata)};
POST servicePrincipal/addTokenSigningCertificate, then preferredTokenSigningKeyThumbprint.
"""

import base64
import datetime
import os
import re

from . import idp_ownership, output
from .aws import AwsAccount, account, session
from .aws_console_api import ConsoleApi
from .azure_context import AzureContext
from .entra_directory import default_domain
from .errors import EntraIdcError, InputError
from .inputs import flag, guid, owner_marker, require
from .marker import app_is_marked
from .saml_metadata import fetch_metadata_signed_with, reply_urls

ALLOW_FLAG = "ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE"
TEST_USER_NAMES = ("NikkiWolf", "RichRoe")


def _result_secret_name() -> str:
    return require(
        "ENTRAIDC_RESULT_SECRET_NAME",
        "the Key Vault secret for the result (the sign-in URL the service answered)",
        re.compile(r"^[0-9A-Za-z-]{1,127}$"),
    )


def _inputs():
    nickname = require("ENTRAIDC_ACCOUNT_NICKNAME", "aws-commercial or aws-govcloud")
    acct = account(nickname)
    partition = os.environ.get("ENTRAIDC_AWS_PARTITION")
    if partition and partition != acct.partition:
        raise InputError(f"ENTRAIDC_AWS_PARTITION={partition} does not match {nickname} ({acct.partition})")
    return {
        "account": acct,
        "tenant_id": guid("ENTRAIDC_TENANT_ID", "the Entra tenant ID"),
        "app_id": guid("ENTRAIDC_APP_ID", "the application ID reported by entra-app create"),
        "sp_id": guid(
            "ENTRAIDC_SERVICE_PRINCIPAL_ID", "the service principal ID reported by entra-app create"
        ),
        "identity_store_id": require("ENTRAIDC_IDENTITY_STORE_ID", "the identity store ID (d-...)"),
        "instance_arn": require("ENTRAIDC_INSTANCE_ARN", "the Identity Center instance ARN"),
        "portal_url": os.environ.get("ENTRAIDC_ACCESS_PORTAL_URL", ""),
        "marker": owner_marker(),
        "allow": flag(ALLOW_FLAG),
    }


def configure_entra_app(graph, app_object_id: str, sp: dict, sp_config: dict, sign_on_url: str) -> bool:
    """Basic SAML configuration of the app from Identity Center's service-provider metadata.

    SAML mode first, as Microsoft's Graph SAML tutorial does: the tenant's identifier-URI restriction
    ("Restrictions on identifier URIs of Microsoft Entra applications", excludeSaml) accepts the
    Identity Center entity ID, which is on no verified domain, only once the app is a SAML app.
    """
    changed = False
    sp_patch = {}
    if sp.get("preferredSingleSignOnMode") != "saml":
        sp_patch["preferredSingleSignOnMode"] = "saml"
    if sign_on_url and sp.get("loginUrl") != sign_on_url:
        sp_patch["loginUrl"] = sign_on_url
    if sp_patch:
        graph.patch(f"/servicePrincipals/{sp['id']}", sp_patch, retry_not_found=True)
        changed = True
    app = graph.get(
        f"/applications/{app_object_id}", params={"$select": "id,identifierUris,web"}, retry_not_found=True
    )
    web = app.get("web") or {}
    want_ids, want_reply = [sp_config["EntityId"]], reply_urls(sp_config)
    if app.get("identifierUris") != want_ids or web.get("redirectUris") != want_reply:
        graph.patch(
            f"/applications/{app_object_id}",
            {"identifierUris": want_ids, "web": _web_with(web, want_reply)},
            retry_not_found=True,
        )
        changed = True
    return changed


def _web_with(web: dict, reply_urls: list[str]) -> dict:
    """PATCH replaces a complex property as a whole, so the other web settings are sent back unchanged
    (redirectUriSettings is left out: it would contradict the new redirectUris)."""
    kept = {
        k: v for k, v in web.items() if k not in ("redirectUris", "redirectUriSettings") and v is not None
    }
    return {**kept, "redirectUris": reply_urls}


def ensure_signing_certificate(graph, sp: dict, marker: str) -> tuple[str, bool]:
    thumbprint = sp.get("preferredTokenSigningKeyThumbprint")
    signing = [k for k in sp.get("keyCredentials") or [] if k.get("usage") == "Sign"]
    if thumbprint and signing:
        return thumbprint, False
    end = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=365 * 3)
    cert = graph.post(
        f"/servicePrincipals/{sp['id']}/addTokenSigningCertificate",
        {"displayName": f"CN={marker} SAML signing", "endDateTime": end.strftime("%Y-%m-%dT%H:%M:%SZ")},
        retry_not_found=True,
    )
    graph.patch(
        f"/servicePrincipals/{sp['id']}",
        {"preferredTokenSigningKeyThumbprint": cert["thumbprint"]},
        retry_not_found=True,
    )
    return cert["thumbprint"], True


def external_idps(
    console: ConsoleApi, sso, instance_arn: str, store: str, marker: str, tenant_id: str, app_id: str
) -> tuple[list[dict], list[dict]]:
    """The instance's external IdPs: (this library's for app_id by the ownership record, the others)."""
    record = idp_ownership.read(sso, instance_arn, marker)
    idps = console.list_external_identity_providers(store)
    mine = [i for i in idps if idp_ownership.is_ours(i, record, tenant_id, app_id)]
    return mine, [i for i in idps if i not in mine]


def identity_source_problems(
    acct: AwsAccount, identity_store_id: str, foreign: list[dict], domain: str
) -> list[str]:
    """Why switching this instance's identity source would hurt someone: another external IdP, or users
    this library did not create (read only; also run by preflight)."""
    problems = []
    if foreign:
        named = ", ".join(f"{i.get('IdPId')} {i.get('IdPEntityId')} {i.get('Status')}" for i in foreign)
        problems.append(
            f"it already has another external identity provider ({len(foreign)} configured: {named})"
        )
    known = {f"{name}@{domain}".lower() for name in TEST_USER_NAMES}
    users = (
        session(acct)
        .client("identitystore")
        .get_paginator("list_users")
        .paginate(IdentityStoreId=identity_store_id)
    )
    others = sorted(
        u["UserName"] for page in users for u in page["Users"] if u["UserName"].lower() not in known
    )
    if others:
        problems.append(f"it has {len(others)} user(s) this library did not create (e.g. {others[0]})")
    return problems


def refusal(identity_store_id: str, problems: list[str]) -> str:
    return (
        f"refusing to change the identity source of {identity_store_id}: {'; '.join(problems)}. Set "
        f"{ALLOW_FLAG}=true (entraSamlSetup allowIdentitySourceChange: true) if that is intended."
    )


def guard(
    console: ConsoleApi,
    acct: AwsAccount,
    identity_store_id: str,
    foreign: list[dict],
    domain: str,
    allow: bool,
) -> None:
    """Refuses to switch an instance that another IdP or unknown users depend on."""
    problems = identity_source_problems(acct, identity_store_id, foreign, domain)
    if problems and not allow:
        raise InputError(refusal(identity_store_id, problems), account=acct.nickname)
    for problem in problems:
        output.log(acct.nickname, f"allowed by {ALLOW_FLAG}: {problem}")


def create(ctx: AzureContext) -> dict:
    args = {**_inputs(), "secret_name": _result_secret_name()}
    acct, store, marker = args["account"], args["identity_store_id"], args["marker"]
    graph = ctx.graph
    sess = session(acct)
    console = ConsoleApi(acct, sess)
    sp = graph.get(f"/servicePrincipals/{args['sp_id']}", retry_not_found=True)
    if not app_is_marked(sp, marker):
        raise EntraIdcError(
            f"service principal {args['sp_id']} was not created by {marker}; refusing to configure it",
            account="azure-id",
        )
    app = next(
        iter(
            graph.list("/applications", params={"$filter": f"appId eq '{args['app_id']}'", "$select": "id"})
        ),
        None,
    )
    if app is None:
        raise EntraIdcError(f"application {args['app_id']} not found", account="azure-id")

    # The guard runs before anything changes. On a re-run the instance's ownership record (tags)
    # names the external IdP this library created for this app.
    sso = sess.client("sso-admin")
    mine, foreign = external_idps(
        console, sso, args["instance_arn"], store, marker, args["tenant_id"], args["app_id"]
    )
    already = any(i.get("Status") == "ENABLED" for i in mine)
    if not already:
        guard(console, acct, store, foreign, default_domain(graph), args["allow"])

    sp_config = console.download_service_provider_metadata(store)
    sign_on_url = sp_config.get("SignInUrl") or args["portal_url"]
    report_sign_in_url(ctx, args, sign_on_url, "service" if sp_config.get("SignInUrl") else "built")
    changed = configure_entra_app(graph, app["id"], sp, sp_config, sign_on_url)
    thumbprint, new_cert = ensure_signing_certificate(graph, sp, marker)
    changed = changed or new_cert
    output.log(
        "azure-id",
        f"SAML settings of {sp.get('displayName')!r}: identifier {sp_config['EntityId']}, "
        f"reply URLs {', '.join(reply_urls(sp_config))}, sign-on URL {sign_on_url}",
    )
    if already and not new_cert:
        output.log(acct.nickname, "identity source is already this Entra application")
        return {"account": acct.nickname, "identitySource": "EXTERNAL_IDP", "changed": changed}

    metadata = fetch_metadata_signed_with(args["tenant_id"], args["app_id"], thumbprint)
    for other in foreign:
        # Reached only when the guard allowed it: an instance holds one external IdP configuration.
        console.change_identity_source_to_identity_center_directory(
            store, other["IdPId"], enabled=other.get("Status") == "ENABLED"
        )
        output.log(acct.nickname, f"removed the previous external IdP configuration {other['IdPId']}")
    if mine and new_cert:
        console.update_idp_saml_metadata(store, mine[0]["IdPId"], metadata)
    idp = mine[0] if mine else upload_metadata(console, store, metadata, args["tenant_id"])
    if not mine:
        # Recorded before the switch, so a run cut off after this point still knows the IdP is ours.
        idp_ownership.record(
            sso, args["instance_arn"], marker, idp["IdPId"], args["tenant_id"], args["app_id"]
        )
    if idp.get("Status") != "ENABLED":
        console.accept_change_identity_source(store, idp["IdPId"])
    output.log(
        acct.nickname,
        f"identity source changed to external IdP {idp['IdPId']} (Entra application {args['app_id']})",
    )
    return {"account": acct.nickname, "identitySource": "EXTERNAL_IDP", "changed": True}


def upload_metadata(console: ConsoleApi, store: str, metadata: str, tenant_id: str) -> dict:
    """Step 3.3's upload, on an instance that has no external IdP configuration now (any other was
    removed above): one answered with a conflict is the configuration this call made, the only one,
    for our tenant's entity ID."""

    def made_by_this_call() -> dict | None:
        idps = console.list_external_identity_providers(store)
        ours = len(idps) == 1 and idps[0].get("IdPEntityId") == idp_ownership.tenant_entity_id(tenant_id)
        return idps[0] if ours else None

    return console.create_or_adopt(
        "CreateExternalIdPConfigurationForDirectory",
        lambda: console.upload_idp_saml_metadata(store, metadata),
        made_by_this_call,
    )


def report_sign_in_url(ctx: AzureContext, args: dict, url: str, source: str) -> None:
    """Hands the access-portal (sign-in) URL back to Terraform through the result secret's tags
    (outputs.tf): the one the service answered, not one built from the identity store ID, which
    misses a customised portal subdomain and rests on unverified GovCloud host forms. ``source``
    says which it is ("built" only when the service's answer had none)."""
    tags = {"signInUrl": url, "signInUrlSource": source, "managedBy": args["marker"]}
    stored = ctx.vault.get_secret(args["secret_name"])
    if not stored or stored.get("tags") != tags:
        ctx.vault.set_secret(args["secret_name"], url, tags=tags, content_type="access portal URL")


def sp_thumbprints(sp: dict) -> set[str]:
    """Thumbprints (hex, upper case) of the service principal's certificates. customKeyIdentifier is
    Edm.Binary, base64 in JSON (Graph "keyCredential resource type"): the thumbprint's bytes."""
    found = set()
    for key in sp.get("keyCredentials") or []:
        try:
            raw = base64.b64decode(str(key.get("customKeyIdentifier") or ""), validate=True)
        except ValueError:
            continue
        if len(raw) == 20:  # SHA-1
            found.add(raw.hex().upper())
    if sp.get("preferredTokenSigningKeyThumbprint"):
        found.add(sp["preferredTokenSigningKeyThumbprint"].upper())
    return found


def restore_identity_source(
    console: ConsoleApi, sso, instance_arn: str, store: str, marker: str, tenant_id: str, app_id=None
) -> int:
    """Removes the external IdP this library recorded as its own (for this app, when given) and the
    record; other IdPs stay. The record goes only once a list that parsed (the console client checks
    every answer) no longer holds the recorded IdP: while it is there, the record is what lets a
    later teardown find it."""
    record = idp_ownership.read(sso, instance_arn, marker)
    if not record or (app_id is not None and record["app-id"] != app_id):
        return 0
    removed = 0
    remaining = []
    for idp in console.list_external_identity_providers(store):
        if idp_ownership.is_ours(idp, record, tenant_id, app_id):
            console.change_identity_source_to_identity_center_directory(
                store, idp["IdPId"], enabled=idp.get("Status") == "ENABLED"
            )
            removed += 1
        else:
            remaining.append(idp["IdPId"])
    if record["idp-id"] in remaining:
        output.log(
            "entra-idc",
            f"external IdP {record['idp-id']} is recorded as this library's but is not this tenant's "
            "app; it and the record are left as they are",
        )
        return removed
    idp_ownership.clear(sso, instance_arn, marker)
    return removed


def destroy(ctx: AzureContext) -> dict:
    """Restores the identity source where the instance's ownership record names this app; works even
    when the Entra application is already gone."""
    args = _inputs()
    acct, store = args["account"], args["identity_store_id"]
    sess = session(acct)
    removed = restore_identity_source(
        ConsoleApi(acct, sess),
        sess.client("sso-admin"),
        args["instance_arn"],
        store,
        args["marker"],
        args["tenant_id"],
        args["app_id"],
    )
    output.log(
        acct.nickname,
        "identity source restored to the Identity Center directory"
        if removed
        else "identity source was not changed by this library; left as is",
    )
    # A state written before saml-federate reported a result has no secret name in its environment.
    if os.environ.get("ENTRAIDC_RESULT_SECRET_NAME"):
        name = _result_secret_name()
        if ctx.vault.delete_and_purge_secret(name):
            output.log("azure-id", f"deleted and purged Key Vault secret {name}")
    return {"account": acct.nickname, "restored": removed}
