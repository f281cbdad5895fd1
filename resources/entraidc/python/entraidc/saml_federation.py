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

from . import output
from .aws import AwsAccount, account, session
from .aws_console_api import ConsoleApi
from .azure_context import AzureContext
from .entra_directory import default_domain
from .errors import EntraIdcError, InputError
from .inputs import flag, guid, owner_marker, require
from .marker import app_is_marked
from .saml_metadata import fetch_federation_metadata, reply_urls, signing_thumbprints

ALLOW_FLAG = "ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE"
TEST_USER_NAMES = ("NikkiWolf", "RichRoe")


def idp_thumbprints(idp: dict) -> set[str]:
    return {str(c).upper() for c in idp.get("IdPCertificateIds") or []}


def ours(idp: dict, thumbprints: set[str]) -> bool:
    return bool(idp_thumbprints(idp) & thumbprints)


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


def guard(
    console: ConsoleApi,
    acct: AwsAccount,
    identity_store_id: str,
    idps: list[dict],
    thumbprints: set[str],
    domain: str,
    allow: bool,
) -> None:
    """Refuses to switch an instance that another IdP or unknown users depend on."""
    foreign = [i for i in idps if not ours(i, thumbprints)]
    problems = []
    if foreign:
        problems.append(f"it already has another external identity provider ({len(foreign)} configured)")
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
    if problems and not allow:
        raise InputError(
            f"refusing to change the identity source of {identity_store_id}: {'; '.join(problems)}. Set "
            f"{ALLOW_FLAG}=true (entraSamlSetup allowIdentitySourceChange: true) if that is intended.",
            account=acct.nickname,
        )
    for problem in problems:
        output.log(acct.nickname, f"allowed by {ALLOW_FLAG}: {problem}")


def create(ctx: AzureContext) -> dict:
    args = _inputs()
    acct, store, marker = args["account"], args["identity_store_id"], args["marker"]
    graph = ctx.graph
    console = ConsoleApi(acct, session(acct))
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

    # The guard runs before anything changes. On a re-run the app already has its certificate, so
    # an external IdP that is this app is recognised as ours.
    idps = console.list_external_identity_providers(store)
    current = set()
    if sp.get("preferredTokenSigningKeyThumbprint"):
        current = signing_thumbprints(fetch_federation_metadata(args["tenant_id"], args["app_id"]))
    already = any(ours(i, current) and i.get("Status") == "ENABLED" for i in idps)
    if not already:
        guard(console, acct, store, idps, current, default_domain(graph), args["allow"])

    sp_config = console.download_service_provider_metadata(store)
    sign_on_url = sp_config.get("SignInUrl") or args["portal_url"]
    changed = configure_entra_app(graph, app["id"], sp, sp_config, sign_on_url)
    _thumbprint, new_cert = ensure_signing_certificate(graph, sp, marker)
    changed = changed or new_cert
    output.log(
        "azure-id",
        f"SAML settings of {sp.get('displayName')!r}: identifier {sp_config['EntityId']}, "
        f"reply URLs {', '.join(reply_urls(sp_config))}, sign-on URL {sign_on_url}",
    )
    if already and not new_cert:
        output.log(acct.nickname, "identity source is already this Entra application")
        return {"account": acct.nickname, "identitySource": "EXTERNAL_IDP", "changed": changed}

    metadata = fetch_federation_metadata(args["tenant_id"], args["app_id"])
    thumbprints = signing_thumbprints(metadata)
    pending = [i for i in idps if ours(i, thumbprints)]
    for other in [i for i in idps if not ours(i, thumbprints)]:
        # Reached only when the guard allowed it (or for this app's own stale configuration): an
        # instance holds one external IdP configuration.
        console.change_identity_source_to_identity_center_directory(
            store, other["IdPId"], enabled=other.get("Status") == "ENABLED"
        )
        output.log(acct.nickname, f"removed the previous external IdP configuration {other['IdPId']}")
    idp = pending[0] if pending else console.upload_idp_saml_metadata(store, metadata)
    if idp.get("Status") != "ENABLED":
        console.accept_change_identity_source(store, idp["IdPId"])
    output.log(
        acct.nickname,
        f"identity source changed to external IdP {idp['IdPId']} (Entra application {args['app_id']})",
    )
    return {"account": acct.nickname, "identitySource": "EXTERNAL_IDP", "changed": True}


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


def restore_identity_source(console: ConsoleApi, store: str, thumbprints: set[str]) -> int:
    """Removes the external IdPs that are this library's Entra apps; others stay."""
    removed = 0
    for idp in console.list_external_identity_providers(store):
        if ours(idp, thumbprints):
            console.change_identity_source_to_identity_center_directory(
                store, idp["IdPId"], enabled=idp.get("Status") == "ENABLED"
            )
            removed += 1
    return removed


def destroy(ctx: AzureContext) -> dict:
    args = _inputs()
    acct, store = args["account"], args["identity_store_id"]
    console = ConsoleApi(acct, session(acct))
    sp = ctx.graph.get(f"/servicePrincipals/{args['sp_id']}", allow_not_found=True)
    if sp is None:
        output.log(
            acct.nickname, "the Entra application is gone; cannot tell which IdP it was, nothing changed"
        )
        return {"account": acct.nickname, "restored": 0}
    removed = restore_identity_source(console, store, sp_thumbprints(sp))
    output.log(
        acct.nickname,
        "identity source restored to the Identity Center directory"
        if removed
        else "identity source was not changed by this library; left as is",
    )
    return {"account": acct.nickname, "restored": removed}
