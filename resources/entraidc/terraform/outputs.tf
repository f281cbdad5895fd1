output "aws_accounts" {
  description = "Per AWS account nickname: profile, account ID, partition, region, Identity Center instance ARN, identity store ID, access-portal URL, permission-set ARNs, SCIM token secret ARN (the container, not the token)."
  value = {
    for nickname, account in local.selected_aws_accounts : nickname => merge(local.identity_center[nickname], {
      profile = account.profile
      # What the service answered (saml-federate's result); the module's built URL is only the
      # fallback saml-federate uses when the answer has none (README "Choices made").
      access_portal_url = module.saml_federate.results[nickname].signInUrl
    })
  }
}

output "entra_application_ids" {
  description = "Per AWS account nickname: the application (client) ID of its Entra enterprise application."
  value       = { for nickname, app in local.entra_app : nickname => app.appId }
}

output "azure_id" {
  description = "azure-id: tenant, subscription, resource group and Key Vault that holds the test users' initial passwords."
  value = {
    tenant_id           = data.azurerm_client_config.current.tenant_id
    subscription_id     = data.azurerm_client_config.current.subscription_id
    resource_group_name = azurerm_resource_group.this.name
    key_vault_name      = azurerm_key_vault.this.name
    key_vault_uri       = azurerm_key_vault.this.vault_uri
    entra_test_users    = { for name, user in local.entra_user : name => user.upn }
  }
}

output "phases" {
  description = "Which phases this apply covers."
  value = {
    saml = true
    scim = var.enable_scim
    abac = var.enable_abac
  }
}
