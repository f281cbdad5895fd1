# azure-id: the tenant, and the Key Vault that holds the Entra test users' initial passwords
# (values written by the Python automation, never by Terraform).

data "azurerm_client_config" "current" {}

# A warning, not an error: the subscription is the caller's choice (ARM_SUBSCRIPTION_ID or the
# Azure CLI default), but it is expected to be azure-identity-provider. The data source is not
# scoped to the check: a check's own data source is read again at every apply and so counts as
# a change, and `plan -detailed-exitcode` could never report an unchanged lab (exit 0).
data "azurerm_subscription" "current" {}

check "azure_id_subscription" {
  assert {
    condition     = data.azurerm_subscription.current.display_name == local.azure.subscription_name
    error_message = "The Azure subscription in use is \"${data.azurerm_subscription.current.display_name}\", not \"${local.azure.subscription_name}\": set ARM_SUBSCRIPTION_ID or run az account set --subscription ${local.azure.subscription_name}."
  }
}

resource "azurerm_resource_group" "this" {
  name     = local.azure.resource_group_name
  location = local.azure.location
  tags     = local.tags
}

resource "azurerm_key_vault" "this" {
  #checkov:skip=CKV_AZURE_110:Purge protection stays off on purpose: the nightly lab destroys and purges the vault so the next rebuild can reuse its name at once.
  #checkov:skip=CKV_AZURE_42:Soft delete is on (always, in Azure); "recoverable" would also need purge protection, off on purpose (see CKV_AZURE_110).
  #checkov:skip=CKV_AZURE_109:The Jenkins agents that run the Python automation reach the vault over the internet from addresses this module cannot know; access is by Entra ID and RBAC only.
  #checkov:skip=CKV_AZURE_189:Public network access is needed for the same reason as CKV_AZURE_109.
  #checkov:skip=CKV2_AZURE_32:A private endpoint needs a virtual network the agents are in; this lab has none.
  name                       = "${local.azure.key_vault_name_prefix}${substr(sha1(data.azurerm_client_config.current.subscription_id), 0, 8)}"
  location                   = azurerm_resource_group.this.location
  resource_group_name        = azurerm_resource_group.this.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = local.azure.key_vault_sku
  rbac_authorization_enabled = true
  purge_protection_enabled   = false
  soft_delete_retention_days = local.azure.soft_delete_retention_days
  tags                       = local.tags
}

# The caller (the Azure CLI identity Terraform runs as, which also runs the Python automation)
# writes, reads and purges the secrets in the vault.
resource "azurerm_role_assignment" "caller_secrets_officer" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = local.azure.key_vault_role
  principal_id         = data.azurerm_client_config.current.object_id
  description          = "Managed by ${local.owner_marker}: lets the automation write and purge the Entra test users' passwords"
}
