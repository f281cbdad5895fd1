# Entra ID pieces that the aws and azurerm providers cannot express (azurerm has no Microsoft
# Graph resources; the azuread provider is excluded by the brief). Each call of
# modules/entraidc-command runs one command of the Python automation at create and at destroy
# time (python -m entraidc <command> create|destroy, README "Interface with the Python
# automation"): instances, their environment, and whether the command reports a result back
# through the Key Vault. not_pure_terraform is the call's NOT PURE TERRAFORM label.

locals {
  common_environment = {
    ENTRAIDC_OWNER_MARKER  = local.owner_marker
    ENTRAIDC_TENANT_ID     = data.azurerm_client_config.current.tenant_id
    ENTRAIDC_KEY_VAULT_URI = azurerm_key_vault.this.vault_uri
  }

  # The vault, reached through the role assignment that lets the caller write its secrets: the
  # commands that write there run only once the caller may (and are undone before it may not).
  writable_vault_id = azurerm_role_assignment.caller_secrets_officer.scope

  entra_users_enabled = { for name, user in local.entra_test_users : name => user if var.enable_scim || !user.scim_phase }

  # Users of the SAML phase (NikkiWolf) and of the SCIM phase (RichRoe) are separate module
  # instances: Terraform defers reading a resource's results while any instance of it changes,
  # and adding RichRoe must not make NikkiWolf's user name unknown (that would replace her
  # Identity Center user and re-run her assignments).
  entra_user_environment = {
    for name, user in local.entra_users_enabled : name => merge(local.common_environment, {
      ENTRAIDC_USER_NAME          = name
      ENTRAIDC_GIVEN_NAME         = user.given_name
      ENTRAIDC_FAMILY_NAME        = user.family_name
      ENTRAIDC_DISPLAY_NAME       = user.display_name
      ENTRAIDC_RESULT_SECRET_NAME = local.entra_user_secret_name[name]
    })
  }
  entra_user_environment_by_phase = {
    for phase, scim_phase in { saml = false, scim = true } :
    phase => { for name, env in local.entra_user_environment : name => env if local.entra_test_users[name].scim_phase == scim_phase }
  }

  entra_app_environment = {
    for nickname in keys(local.selected_aws_accounts) : nickname => merge(local.common_environment, {
      ENTRAIDC_ACCOUNT_NICKNAME   = nickname
      ENTRAIDC_APP_TEMPLATE_NAME  = local.entra_gallery_app_name
      ENTRAIDC_APP_DISPLAY_NAME   = local.entra_app_display_name[nickname]
      ENTRAIDC_RESULT_SECRET_NAME = local.entra_app_secret_name[nickname]
    })
  }

  entra_assign_environment = {
    for pair in setproduct(keys(local.selected_aws_accounts), keys(local.entra_users_enabled)) :
    "${pair[0]}/${pair[1]}" => merge(local.common_environment, {
      ENTRAIDC_ACCOUNT_NICKNAME     = pair[0]
      ENTRAIDC_APP_ID               = local.entra_app[pair[0]].appId
      ENTRAIDC_SERVICE_PRINCIPAL_ID = local.entra_app[pair[0]].servicePrincipalId
      ENTRAIDC_USER_NAME            = pair[1]
      ENTRAIDC_USER_PRINCIPAL_NAME  = local.entra_user[pair[1]].upn
      ENTRAIDC_USER_OBJECT_ID       = local.entra_user[pair[1]].objectId
    })
  }

  saml_federate_environment = {
    for nickname, account in local.selected_aws_accounts : nickname => merge(local.common_environment, {
      ENTRAIDC_ACCOUNT_NICKNAME     = nickname
      ENTRAIDC_AWS_PROFILE          = account.profile
      ENTRAIDC_AWS_REGION           = local.identity_center[nickname].region
      ENTRAIDC_AWS_PARTITION        = local.identity_center[nickname].partition
      ENTRAIDC_ACCOUNT_ID           = local.identity_center[nickname].account_id
      ENTRAIDC_INSTANCE_ARN         = local.identity_center[nickname].instance_arn
      ENTRAIDC_IDENTITY_STORE_ID    = local.identity_center[nickname].identity_store_id
      ENTRAIDC_ACCESS_PORTAL_URL    = local.identity_center[nickname].access_portal_url
      ENTRAIDC_APP_ID               = local.entra_app[nickname].appId
      ENTRAIDC_SERVICE_PRINCIPAL_ID = local.entra_app[nickname].servicePrincipalId
      ENTRAIDC_RESULT_SECRET_NAME   = local.saml_result_secret_name[nickname]
    })
  }
}

module "entra_users" {
  source             = "./modules/entraidc-command"
  for_each           = local.entra_user_environment_by_phase
  command            = "entra-users"
  not_pure_terraform = "Entra ID test users NikkiWolf (Step 1.2, SAML phase) and RichRoe (Step 4.1, SCIM phase) are Microsoft Graph objects, which neither allowed provider can manage; their initial passwords go to the Key Vault, never to Terraform."
  instances          = each.value
  result             = { key_vault_id = local.writable_vault_id, tags = ["upn", "objectId"] }
}

module "entra_app" {
  source             = "./modules/entraidc-command"
  command            = "entra-app"
  not_pure_terraform = "the AWS IAM Identity Center gallery application (Step 1.1), one per AWS account, is instantiated from a Microsoft Graph application template; no allowed provider can do that."
  instances          = local.entra_app_environment
  result             = { key_vault_id = local.writable_vault_id, tags = ["appId", "servicePrincipalId"] }
}

module "entra_assign" {
  source             = "./modules/entraidc-command"
  command            = "entra-assign"
  not_pure_terraform = "assigning a user to the enterprise application (Steps 1.4, 4.3) is a Microsoft Graph appRoleAssignment, which no allowed provider can manage."
  instances          = local.entra_assign_environment
}

module "saml_federate" {
  source             = "./modules/entraidc-command"
  command            = "saml-federate"
  not_pure_terraform = "SAML settings of the Entra application (Step 3.2) are Microsoft Graph calls, and the Identity Center identity source / external IdP (Steps 3.1, 3.3) has no public API and no provider resource; destroy restores the identity source where this library changed it."
  instances          = local.saml_federate_environment
  # The access-portal URL the service answered (SignInUrl), for outputs.tf.
  result = { key_vault_id = local.writable_vault_id, tags = ["signInUrl"] }
  # Step 3 comes after Step 2: NikkiWolf exists in Identity Center and is assigned to the app
  # before the identity source is switched.
  depends_on = [module.entra_assign, module.aws_commercial, module.aws_govcloud]
}

locals {
  entra_user = merge([for phase in module.entra_users : phase.results]...)
  entra_app  = module.entra_app.results
}
