"""Entra test users NikkiWolf (Step 1.2) and RichRoe (Step 4.1): `entra-users create|destroy`.

NOT PURE TERRAFORM: terraform_data + local-exec running this module — the azurerm provider has
no Entra user resource, and only the aws and azurerm providers are allowed.

The initial password is generated here and stored only in the azure-id Key Vault, in the result
secret whose tags (upn, objectId) tell Terraform the user principal name.
User: https://learn.microsoft.com/graph/api/user-post-users (passwordProfile,
forceChangePasswordNextSignIn).
"""

import re

from . import output
from .azure_context import AzureContext
from .entra_directory import default_domain, user_by_upn
from .errors import EntraIdcError
from .inputs import owner_marker, require
from .marker import user_fields, user_is_marked
from .passwords import generate

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,63}$")


def _inputs():
    return {
        "name": require("ENTRAIDC_USER_NAME", "the user's mail nickname, e.g. NikkiWolf", _NAME),
        "secret_name": require(
            "ENTRAIDC_RESULT_SECRET_NAME",
            "the Key Vault secret for the result",
            re.compile(r"^[0-9A-Za-z-]{1,127}$"),
        ),
        "marker": owner_marker(),
    }


def _profile_inputs():
    return {
        "givenName": require("ENTRAIDC_GIVEN_NAME", "the user's first name"),
        "surname": require("ENTRAIDC_FAMILY_NAME", "the user's last name"),
        "displayName": require("ENTRAIDC_DISPLAY_NAME", "the user's display name"),
    }


def create(ctx: AzureContext) -> dict:
    args = _inputs()
    profile = _profile_inputs()
    graph, vault, marker = ctx.graph, ctx.vault, args["marker"]
    upn = f"{args['name']}@{default_domain(graph)}"
    user = user_by_upn(graph, upn)
    if user is not None and not user_is_marked(user, marker):
        raise EntraIdcError(
            f"user {upn} already exists and was not created by {marker}; it is left alone. Delete or "
            "rename it, or use a tenant where that name is free.",
            account="azure-id",
        )
    stored = vault.get_secret(args["secret_name"])
    changed = False
    if user is not None and not (stored and stored.get("tags", {}).get("objectId") == user["id"]):
        # Its initial password never reached the vault (an earlier run stopped in between). Setting a
        # new one app-only needs the User Administrator role besides User.ReadWrite.All (Graph "Update
        # user", passwordProfile), which this library does not ask for: the user, ours by its
        # marker, is deleted and created again instead.
        graph.delete(f"/users/{user['id']}")
        ctx.delete_permanently(user["id"], kind="user")
        output.log(
            "azure-id", f"deleted user {upn} to create it again: its initial password is not in the vault"
        )
        user = None
    if user is None:
        password = generate()
        body = {
            "accountEnabled": True,
            "mailNickname": args["name"],
            "userPrincipalName": upn,
            "mail": upn,
            **profile,
            **user_fields(marker),
            "passwordProfile": {"forceChangePasswordNextSignIn": True, "password": password},
        }
        user = graph.post("/users", body)
        output.log("azure-id", f"created user {upn}")
        changed = True
    else:
        password = None
        drift = {key: value for key, value in profile.items() if user.get(key) != value}
        if drift:
            graph.patch(f"/users/{user['id']}", drift, retry_not_found=True)
            output.log("azure-id", f"updated {', '.join(sorted(drift))} of user {upn}")
            changed = True
    if password is not None:
        vault.set_secret(
            args["secret_name"],
            password,
            content_type="initial password",
            tags={"upn": upn, "objectId": user["id"], "managedBy": marker},
        )
        output.log(
            "azure-id", f"stored the initial password of {upn} in Key Vault secret {args['secret_name']}"
        )
    if not changed:
        output.log("azure-id", f"user {upn} is already in place")
    return {"user": upn, "objectId": user["id"], "resultSecret": args["secret_name"], "changed": changed}


def destroy(ctx: AzureContext) -> dict:
    args = _inputs()
    graph, vault, marker = ctx.graph, ctx.vault, args["marker"]
    stored = vault.get_secret(args["secret_name"]) or {}
    upn = stored.get("tags", {}).get("upn") or f"{args['name']}@{default_domain(graph)}"
    user = user_by_upn(graph, upn)
    deleted = False
    if user is None:
        output.log("azure-id", f"user {upn} does not exist")
    elif not user_is_marked(user, marker):
        output.log("azure-id", f"user {upn} was not created by {marker}; left alone")
    else:
        graph.delete(f"/users/{user['id']}")
        ctx.delete_permanently(user["id"], kind="user")
        output.log("azure-id", f"deleted user {upn}")
        deleted = True
    if vault.delete_and_purge_secret(args["secret_name"]):
        output.log("azure-id", f"deleted and purged Key Vault secret {args['secret_name']}")
    return {"user": upn, "deleted": deleted}
