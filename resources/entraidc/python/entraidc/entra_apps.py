"""The Entra enterprise application per AWS account (Step 1.1): `entra-app create|destroy`.

NOT PURE TERRAFORM: terraform_data + local-exec running this module — gallery applications are
instantiated through Microsoft Graph, which the azurerm provider does not reach.

Template found by exact display name or id: https://learn.microsoft.com/graph/api/applicationtemplate-list;
instantiate: https://learn.microsoft.com/graph/api/applicationtemplate-instantiate (answers
{"application": {...}, "servicePrincipal": {...}}; both may 404 for a while afterwards).
"""

import re

from . import output
from .azure_context import AzureContext
from .entra_directory import applications_named, odata_string, service_principal_of
from .errors import EntraIdcError, GraphError
from .inputs import owner_marker, require
from .marker import app_is_marked, notes, tags_with

NICKNAMES = ("aws-commercial", "aws-govcloud")
GALLERY_NAME = "AWS IAM Identity Center (successor to AWS Single Sign-On)"
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def _inputs():
    nickname = require("ENTRAIDC_ACCOUNT_NICKNAME", "aws-commercial or aws-govcloud")
    if nickname not in NICKNAMES:
        raise EntraIdcError(f"ENTRAIDC_ACCOUNT_NICKNAME={nickname!r}: use aws-commercial or aws-govcloud")
    return {
        "nickname": nickname,
        "template": require(
            "ENTRAIDC_APP_TEMPLATE_NAME", f"the gallery template's exact name ({GALLERY_NAME}) or id"
        ),
        "display_name": require("ENTRAIDC_APP_DISPLAY_NAME", "the application's display name"),
        "secret_name": require(
            "ENTRAIDC_RESULT_SECRET_NAME",
            "the Key Vault secret for the result",
            re.compile(r"^[0-9A-Za-z-]{1,127}$"),
        ),
        "marker": owner_marker(),
    }


def find_template(graph, template: str) -> dict:
    """The gallery template, by its id or by its exact display name, as Microsoft's tutorial looks it
    up: $filter=displayName eq '...' ("List applicationTemplates" documents $filter on displayName
    with eq or contains only)."""
    if GUID.match(template):
        found = graph.get(f"/applicationTemplates/{template}", allow_not_found=True)
        templates = [found] if found else []
    else:
        name = odata_string(template)
        templates = list(graph.list("/applicationTemplates", params={"$filter": f"displayName eq {name}"}))
    if len(templates) != 1:
        found = ", ".join(repr(t.get("displayName")) for t in templates) or "none"
        raise EntraIdcError(
            f"expected one gallery template {template!r} (ENTRAIDC_APP_TEMPLATE_NAME: the exact gallery "
            f"name, e.g. {GALLERY_NAME!r}, or the template id), found {len(templates)} ({found}); "
            "check that the tenant's application gallery offers it",
            account="azure-id",
        )
    return templates[0]


def owned_application(graph, display_name: str, marker: str, refuse_foreign: bool = True) -> dict | None:
    apps = applications_named(graph, display_name)
    mine = [app for app in apps if app_is_marked(app, marker)]
    if len(mine) > 1:
        raise EntraIdcError(
            f"{len(mine)} applications named {display_name!r} carry the marker {marker}; "
            "delete the extra ones in Entra ID > Enterprise applications",
            account="azure-id",
        )
    if not mine and apps and refuse_foreign:
        raise EntraIdcError(
            f"an application named {display_name!r} exists but was not created by {marker}; "
            "it is left alone. Rename or delete it first (Entra ID > Enterprise applications).",
            account="azure-id",
        )
    return mine[0] if mine else None


def _mark(graph, app: dict, sp: dict, marker: str, nickname: str) -> None:
    purpose = f"SAML and SCIM identity provider of the IAM Identity Center instance in {nickname}"
    graph.patch(
        f"/applications/{app['id']}",
        {"tags": tags_with(app.get("tags"), marker), "notes": notes(marker, purpose)},
        retry_not_found=True,
    )
    graph.patch(
        f"/servicePrincipals/{sp['id']}",
        {"tags": tags_with(sp.get("tags"), marker), "notes": notes(marker, purpose)},
        retry_not_found=True,
    )


def create(ctx: AzureContext) -> dict:
    args = _inputs()
    graph, marker = ctx.graph, args["marker"]
    app = owned_application(graph, args["display_name"], marker)
    changed = False
    if app is None:
        template = find_template(graph, args["template"])
        created = graph.post(
            f"/applicationTemplates/{template['id']}/instantiate", {"displayName": args["display_name"]}
        )
        app, sp = created["application"], created["servicePrincipal"]
        try:
            _mark(graph, app, sp, marker, args["nickname"])
        except GraphError:
            # Unmarked, it would block the next run: remove it rather than leave it behind.
            graph.delete(f"/applications/{app['id']}")
            raise
        output.log(
            "azure-id",
            f"created enterprise application {args['display_name']!r} "
            f"from gallery template {args['template']!r} (appId {app['appId']})",
        )
        changed = True
    else:
        sp = service_principal_of(graph, app["appId"], retry_not_found=True)
        if sp is None:
            raise EntraIdcError(
                f"application {args['display_name']!r} has no service principal; delete the "
                "application and run again",
                account="azure-id",
            )
        output.log("azure-id", f"enterprise application {args['display_name']!r} is already in place")
    tags = {
        "appId": app["appId"],
        "applicationObjectId": app["id"],
        "servicePrincipalId": sp["id"],
        "managedBy": marker,
    }
    stored = ctx.vault.get_secret(args["secret_name"])
    if not stored or stored.get("tags") != tags:
        ctx.vault.set_secret(args["secret_name"], app["appId"], tags=tags, content_type="application ID")
    return {
        "application": args["display_name"],
        "appId": app["appId"],
        "servicePrincipalId": sp["id"],
        "changed": changed,
    }


def destroy(ctx: AzureContext) -> dict:
    args = _inputs()
    graph, marker = ctx.graph, args["marker"]
    apps = [app for app in applications_named(graph, args["display_name"]) if app_is_marked(app, marker)]
    for app in apps:
        # Deleting the application also deletes its service principal.
        graph.delete(f"/applications/{app['id']}")
        ctx.purge_application(app)
        output.log(
            "azure-id", f"deleted enterprise application {args['display_name']!r} (appId {app['appId']})"
        )
    if not apps:
        output.log("azure-id", f"no application {args['display_name']!r} created by {marker}")
    if ctx.vault.delete_and_purge_secret(args["secret_name"]):
        output.log("azure-id", f"deleted and purged Key Vault secret {args['secret_name']}")
    return {"application": args["display_name"], "deleted": len(apps)}
