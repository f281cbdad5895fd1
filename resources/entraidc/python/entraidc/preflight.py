"""`preflight`: before anything changes, check that each account answers and is what we expect.

NOT PURE TERRAFORM: separate Python command (read only) — the identity-source guard needs the
console-only Identity Center calls.
"""

from . import azure_permissions, output
from .aws import identity_center_instance, session
from .aws_console_api import ConsoleApi
from .entra_directory import default_domain
from .errors import InputError
from .inputs import flag
from .saml_federation import ALLOW_FLAG
from .targets import selected_accounts


def run(ctx, args) -> dict:
    phase = getattr(args, "phase", None) or "saml"
    login = azure_permissions.check(ctx, phase)
    output.log("azure-id", f"{login['identity']} holds what the {phase} phase needs from Microsoft Graph")
    domain = default_domain(ctx.graph)
    output.log("azure-id", f"Microsoft Graph answers; default domain {domain}")
    results = []
    for acct in selected_accounts(args):
        sess = session(acct)
        instance = identity_center_instance(acct, sess)
        idps = ConsoleApi(acct, sess).list_external_identity_providers(instance.identity_store_id)
        enabled = [i for i in idps if i.get("Status") == "ENABLED"]
        source = f"external IdP {enabled[0].get('IdPEntityId')}" if enabled else "Identity Center directory"
        output.log(
            acct.nickname,
            f"account {instance.account_id}, instance {instance.instance_arn}, identity source: {source}",
        )
        # An IdP of this tenant may be this library's (a re-run); saml-federate checks precisely by
        # certificate. Any other issuer is someone else's federation.
        issuer = f"https://sts.windows.net/{ctx.tenant_id()}/"
        foreign_ok = not enabled or flag(ALLOW_FLAG) or enabled[0].get("IdPEntityId") == issuer
        results.append(
            {
                "account": acct.nickname,
                "accountId": instance.account_id,
                "instanceArn": instance.instance_arn,
                "identityStoreId": instance.identity_store_id,
                "identitySource": "EXTERNAL_IDP" if enabled else "IDENTITY_STORE",
            }
        )
        if not foreign_ok:
            raise InputError(
                f"instance {instance.instance_arn} is federated with {source}; set {ALLOW_FLAG}=true "
                "to replace it",
                account=acct.nickname,
            )
    return {"domain": domain, "accounts": results, "azureLogin": login}
