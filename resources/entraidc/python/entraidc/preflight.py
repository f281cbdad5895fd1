"""`preflight`: before anything changes, check that each account answers and is what we expect, and
that no object of someone else's stands where setup would create one (preflight_conflicts.py).

NOT PURE TERRAFORM: separate Python command (read only) — the identity-source guard needs the
console-only Identity Center calls.
"""

from . import azure_permissions, azure_rights, output
from . import preflight_conflicts as conflicts
from .aws import identity_center_instance, session
from .aws_console_api import ConsoleApi
from .entra_directory import default_domain
from .inputs import flag, owner_marker
from .saml_federation import ALLOW_FLAG
from .targets import selected_accounts


def run(ctx, args) -> dict:
    phase = getattr(args, "phase", None) or "saml"
    arm_gaps, arm_found = azure_rights.check(ctx)
    login = azure_permissions.check(ctx, phase, arm_gaps)
    output.log("azure-id", f"{login['identity']} holds what the {phase} phase needs from Microsoft Graph")
    for line in arm_found:
        output.log("azure-id", line)
    domain = default_domain(ctx.graph)
    output.log("azure-id", f"Microsoft Graph answers; default domain {domain}")
    marker = owner_marker()
    found = conflicts.entra_users(ctx.graph, domain, marker)
    results = []
    for acct in selected_accounts(args):
        sess = session(acct)
        instance = identity_center_instance(acct, sess)
        console = ConsoleApi(acct, sess)
        idps = console.list_external_identity_providers(instance.identity_store_id)
        # The other read-only console answers the setup relies on, checked against RELIED_ON here, so
        # an answer shaped otherwise stops the run before anything changes.
        console.download_service_provider_metadata(instance.identity_store_id)
        console.automatic_provisioning_status(instance.identity_store_id)
        enabled = [i for i in idps if i.get("Status") == "ENABLED"]
        source = f"external IdP {enabled[0].get('IdPEntityId')}" if enabled else "Identity Center directory"
        output.log(
            acct.nickname,
            f"account {instance.account_id}, instance {instance.instance_arn}, identity source: {source}",
        )
        results.append(
            {
                "account": acct.nickname,
                "accountId": instance.account_id,
                "instanceArn": instance.instance_arn,
                "identityStoreId": instance.identity_store_id,
                "identitySource": "EXTERNAL_IDP" if enabled else "IDENTITY_STORE",
            }
        )
        app, about_app = conflicts.entra_app(ctx.graph, acct, marker)
        ids = (ctx.tenant_id(), app["appId"] if app else "")
        found += about_app
        found += conflicts.identity_source(sess, acct, instance, marker, ids, domain, flag(ALLOW_FLAG))
        found += conflicts.identity_store_rich(sess, acct, instance, domain)
        found += conflicts.scim_secret(sess, acct, marker)
        found += conflicts.permission_sets(sess, acct, instance, marker)
    conflicts.refuse(found)
    output.log("azure-id", f"no object of someone else's where setup creates one (marker {marker})")
    return {"domain": domain, "accounts": results, "azureLogin": login}
