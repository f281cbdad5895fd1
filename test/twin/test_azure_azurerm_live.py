"""The real hashicorp/azurerm provider plans, applies and destroys a resource group, an RBAC
Key Vault, a data-plane role assignment and a secret against the twin, authenticated by the real
Azure CLI's login (the default, as on an agent) or by client-secret variables (e2e suite).

References: hashicorp/terraform-provider-azurerm (resource group, key_vault — GetDeleted
before create, data-plane availability polling, purge on destroy — role_assignment with
role_definition_name, key_vault_secret) and hashicorp/go-azure-sdk (metadata host, client
credentials, LRO pollers); Terraform's ARM_* environment variables.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import requests
from azure.identity import ClientSecretCredential

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "python"))
from azure_cli import SECRET_VARS, AzureCli  # noqa: E402 - the shared Azure CLI helper of test/python

CACHE = Path(os.environ.get("ENTRAIDC_CACHE", Path.home() / ".cache" / "entra-idc"))
TOFU = CACHE / "bin" / "tofu"
AZURERM = CACHE / "provider-mirror" / "registry.opentofu.org" / "hashicorp" / "azurerm"

CONFIG = """
terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm" }
  }
}

provider "azurerm" {
  resource_provider_registrations = "none"
  resource_providers_to_register  = ["Microsoft.KeyVault"]
  features {
    key_vault {
      purge_soft_delete_on_destroy = true
    }
  }
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "twin" {
  name     = "rg-twin-%(suffix)s"
  location = "eastus"
  tags     = { managed-by = "entra-idc-twin-test" }
}

resource "azurerm_key_vault" "twin" {
  name                       = "kv-twin-%(suffix)s"
  location                   = azurerm_resource_group.twin.location
  resource_group_name        = azurerm_resource_group.twin.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = false
  soft_delete_retention_days = 7
}

resource "azurerm_role_assignment" "officer" {
  scope                = azurerm_key_vault.twin.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

resource "azurerm_key_vault_secret" "probe" {
  name         = "probe"
  value        = "twin-probe-value"
  key_vault_id = azurerm_key_vault.twin.id
  depends_on   = [azurerm_role_assignment.officer]
}

output "vault_uri" {
  value = azurerm_key_vault.twin.vault_uri
}
"""


def tofu(workdir: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(TOFU), *args], cwd=workdir, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert result.returncode == 0, (
        f"tofu {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return result


def _login_env(login: str, twin_environ: dict, config_dir: Path) -> dict:
    """The provider's environment: the agent's Azure CLI login (default; the provider runs
    `az account show` / `az account get-access-token`), or ARM_CLIENT_ID/ARM_CLIENT_SECRET."""
    if login == "client-secret":
        return dict(os.environ)
    cli = AzureCli(twin_environ, config_dir)
    cli.login_service_principal()
    return {**{k: v for k, v in os.environ.items() if k not in SECRET_VARS}, **cli.env}


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("login", ["azure-cli", pytest.param("client-secret", marks=pytest.mark.e2e)])
def test_azurerm_applies_and_destroys_a_vault_with_a_secret(
    login, twin_environ, twin_admin, tmp_path, tmp_path_factory
):
    if not (TOFU.exists() and AZURERM.exists()):
        pytest.skip("the azurerm provider is not built yet (./lab toolchain terraform)")
    suffix = uuid.uuid4().hex[:8]
    (tmp_path / "main.tf").write_text(CONFIG % {"suffix": suffix})
    env = dict(
        _login_env(login, twin_environ, tmp_path_factory.mktemp("azure-cli")),
        TF_CLI_CONFIG_FILE=str(CACHE / "tofurc"),
        TF_IN_AUTOMATION="1",
        TF_DATA_DIR=str(tmp_path / ".terraform"),
    )
    assert ("ARM_CLIENT_SECRET" in env) == (login == "client-secret")
    tofu(tmp_path, env, "init", "-input=false", "-no-color")
    plan = tofu(tmp_path, env, "plan", "-input=false", "-no-color", "-out=plan.bin")
    assert "5 to add" in plan.stdout or "4 to add" in plan.stdout, plan.stdout
    tofu(tmp_path, env, "apply", "-input=false", "-no-color", "plan.bin")
    vault_uri = tofu(tmp_path, env, "output", "-raw", "vault_uri").stdout.strip()
    assert vault_uri == f"https://kv-twin-{suffix}.vault.azure.net/"

    credential = ClientSecretCredential(
        twin_environ["AZURE_TENANT_ID"],
        twin_environ["AZURE_CLIENT_ID"],
        twin_environ["AZURE_CLIENT_SECRET"],
        authority=twin_environ["AZURE_AUTHORITY_HOST"],
    )
    token = credential.get_token("https://vault.azure.net/.default").token
    secret = requests.get(
        f"{vault_uri}secrets/probe",
        params={"api-version": "7.4"},
        timeout=30,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert secret.status_code == 200 and secret.json()["value"] == "twin-probe-value"

    tofu(tmp_path, env, "destroy", "-auto-approve", "-input=false", "-no-color")
    status, inventory = twin_admin("GET", "/inventory")
    assert status == 200
    inventory = inventory["azure-id"]
    leftovers = [
        i
        for key in ("resourceGroups", "keyVaults", "deletedKeyVaults", "roleAssignments")
        for i in inventory[key]
        if suffix in i.lower()
    ]
    assert leftovers == []
    shutil.rmtree(tmp_path / ".terraform", ignore_errors=True)
