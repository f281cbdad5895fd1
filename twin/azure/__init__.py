"""The azure-id side of the twin: Entra ID login + SAML IdP, ARM, Key Vault, Microsoft Graph.

Plugin interface: twin/README.md. Hostnames: login.microsoftonline.com (authority host),
management.azure.com (ARM and the ARM metadata host), graph.microsoft.com, and
<vault>.vault.azure.net (added at runtime when a vault is created or recovered).
"""

import shlex

from twin.azure import ids
from twin.azure.arm.app import make_arm_app
from twin.azure.graph.app import make_graph_app
from twin.azure.keyvault.app import make_keyvault_app
from twin.azure.login.app import make_login_app
from twin.azure.provisioning.engine import ProvisioningEngine
from twin.azure.store import AzureStore
from twin.core.env import ca_bundle

SIDE = "azure"


def _store(context) -> AzureStore:
    data = context.data.setdefault(SIDE, {})
    if "store" not in data:
        data["store"] = AzureStore(state_dir=context.state_dir)
    return data["store"]


def register(router, context) -> None:
    store = _store(context)
    # The engine calls the AWS side's SCIM endpoint over HTTPS: it must trust the twin's CA even
    # when the twin starts in a fresh state directory, before anyone ran `twin env`.
    engine = ProvisioningEngine(store, ca_bundle(context.state_dir))
    context.data[SIDE]["engine"] = engine
    router.add(ids.LOGIN_HOST, make_login_app(store, context))
    router.add(ids.ARM_HOST, make_arm_app(store, context))
    router.add(ids.GRAPH_HOST, make_graph_app(store, context, engine))
    router.add(f"*.{ids.KEYVAULT_SUFFIX}", make_keyvault_app(store, context))


def inventory(context) -> dict:
    return {ids.ACCOUNT: _store(context).inventory()}


def reset(context) -> None:
    _store(context).seed()


def env_lines(context) -> list[str]:
    secret = ids.client_secret(context.state_dir)
    values = {
        "AZURE_AUTHORITY_HOST": ids.AUTHORITY,
        "AZURE_TENANT_ID": ids.TENANT_ID,
        "AZURE_CLIENT_ID": ids.AUTOMATION_CLIENT_ID,
        "AZURE_CLIENT_SECRET": secret,
        "ARM_METADATA_HOSTNAME": ids.ARM_HOST,
        "ARM_TENANT_ID": ids.TENANT_ID,
        "ARM_CLIENT_ID": ids.AUTOMATION_CLIENT_ID,
        "ARM_CLIENT_SECRET": secret,
        "ARM_SUBSCRIPTION_ID": ids.SUBSCRIPTION_ID,
        "ENTRAIDC_GRAPH_URL": f"{ids.GRAPH_URL}/v1.0",
        # The test admin the Azure CLI signs in as (`az login -u … -p …`).
        "ENTRAIDC_TWIN_AZURE_ADMIN": ids.ADMIN_UPN,
        "ENTRAIDC_TWIN_AZURE_ADMIN_PASSWORD": ids.admin_password(context.state_dir),
    }
    return [f"export {name}={shlex.quote(value)}" for name, value in values.items()]
