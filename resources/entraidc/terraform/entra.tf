# Entra ID pieces that the aws and azurerm providers cannot express (azurerm has no Microsoft
# Graph resources; the azuread provider is excluded by the brief). Each one is a terraform_data
# whose local-exec provisioners run the Python automation at create and at destroy time.
#
# Conventions (README "Interface with the Python automation"):
# - command: python -m entraidc <command> create|destroy, the interpreter taken from
#   $ENTRAIDC_PYTHON (default python3), working directory ../python;
# - inputs only through `environment`, stored in `input` so that the destroy-time provisioner
#   has exactly what the create-time one had; never a secret, never on the command line (the
#   command line is constant);
# - triggers_replace = the same environment: any change runs destroy, then create again;
# - results come back as tags of a Key Vault secret the command writes, read by the data
#   sources at the end of this file (a provisioner cannot return values).

locals {
  common_environment = {
    ENTRAIDC_OWNER_MARKER  = local.owner_marker
    ENTRAIDC_TENANT_ID     = data.azurerm_client_config.current.tenant_id
    ENTRAIDC_KEY_VAULT_URI = azurerm_key_vault.this.vault_uri
  }

  entra_users_enabled = { for name, user in local.entra_test_users : name => user if var.enable_scim || !user.scim_phase }

  entra_user_environment = {
    for name, user in local.entra_users_enabled : name => merge(local.common_environment, {
      ENTRAIDC_USER_NAME          = name
      ENTRAIDC_GIVEN_NAME         = user.given_name
      ENTRAIDC_FAMILY_NAME        = user.family_name
      ENTRAIDC_DISPLAY_NAME       = user.display_name
      ENTRAIDC_RESULT_SECRET_NAME = local.entra_user_secret_name[name]
    })
  }

  entra_app_environment = {
    for nickname in keys(local.aws_accounts) : nickname => merge(local.common_environment, {
      ENTRAIDC_ACCOUNT_NICKNAME   = nickname
      ENTRAIDC_APP_TEMPLATE_NAME  = local.entra_gallery_app_name
      ENTRAIDC_APP_DISPLAY_NAME   = local.entra_app_display_name[nickname]
      ENTRAIDC_RESULT_SECRET_NAME = local.entra_app_secret_name[nickname]
    })
  }

  entra_assign_environment = {
    for pair in setproduct(keys(local.aws_accounts), keys(local.entra_users_enabled)) :
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
    for nickname, account in local.aws_accounts : nickname => merge(local.common_environment, {
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
    })
  }
}

# NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc entra-users create|destroy — Entra ID test users (Steps 1.2, 4.1) are Microsoft Graph objects, which neither allowed provider can manage; their initial passwords go to the Key Vault, never to Terraform.
resource "terraform_data" "entra_user" {
  for_each = local.entra_user_environment

  triggers_replace = each.value
  input = {
    working_dir = local.python_dir
    environment = each.value
  }

  provisioner "local-exec" {
    when        = create
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc entra-users create"
    working_dir = self.input.working_dir
    environment = self.input.environment
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc entra-users destroy"
    working_dir = self.input.working_dir
    environment = self.input.environment
  }

  depends_on = [azurerm_role_assignment.caller_secrets_officer]
}

# NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc entra-app create|destroy — the AWS IAM Identity Center gallery application (Step 1.1), one per AWS account, is instantiated from a Microsoft Graph application template; no allowed provider can do that.
resource "terraform_data" "entra_app" {
  for_each = local.entra_app_environment

  triggers_replace = each.value
  input = {
    working_dir = local.python_dir
    environment = each.value
  }

  provisioner "local-exec" {
    when        = create
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc entra-app create"
    working_dir = self.input.working_dir
    environment = self.input.environment
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc entra-app destroy"
    working_dir = self.input.working_dir
    environment = self.input.environment
  }

  depends_on = [azurerm_role_assignment.caller_secrets_officer]
}

# NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc entra-assign create|destroy — assigning a user to the enterprise application (Steps 1.4, 4.3) is a Microsoft Graph appRoleAssignment, which no allowed provider can manage.
resource "terraform_data" "entra_assign" {
  for_each = local.entra_assign_environment

  triggers_replace = each.value
  input = {
    working_dir = local.python_dir
    environment = each.value
  }

  provisioner "local-exec" {
    when        = create
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc entra-assign create"
    working_dir = self.input.working_dir
    environment = self.input.environment
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc entra-assign destroy"
    working_dir = self.input.working_dir
    environment = self.input.environment
  }
}

# NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc saml-federate create|destroy — SAML settings of the Entra application (Step 3.2) are Microsoft Graph calls, and the Identity Center identity source / external IdP (Steps 3.1, 3.3) has no public API and no provider resource; destroy restores the identity source where this library changed it.
resource "terraform_data" "saml_federate" {
  for_each = local.saml_federate_environment

  triggers_replace = each.value
  input = {
    working_dir = local.python_dir
    environment = each.value
  }

  provisioner "local-exec" {
    when        = create
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc saml-federate create"
    working_dir = self.input.working_dir
    environment = self.input.environment
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc saml-federate destroy"
    working_dir = self.input.working_dir
    environment = self.input.environment
  }

  # Step 3 comes after Step 2: NikkiWolf exists in Identity Center and is assigned to the app
  # before the identity source is switched.
  depends_on = [terraform_data.entra_assign, module.aws_commercial, module.aws_govcloud]
}

# What the provisioners hand back, read after they ran: depends_on defers the read to apply
# time whenever a provisioner is about to run. The list data source returns names and tags
# only, never a secret's value, so the users' initial passwords never reach state or plan.
# Users and apps are read separately so that replacing an app does not make NikkiWolf's user
# name unknown (which would replace her Identity Center user).
locals {
  expected_user_results = { for name, env in local.entra_user_environment : env.ENTRAIDC_RESULT_SECRET_NAME => ["upn", "objectId"] }
  expected_app_results  = { for nickname, env in local.entra_app_environment : env.ENTRAIDC_RESULT_SECRET_NAME => ["appId", "servicePrincipalId"] }
}

data "azurerm_key_vault_secrets" "entra_user_results" {
  key_vault_id = azurerm_key_vault.this.id
  depends_on   = [terraform_data.entra_user]

  lifecycle {
    postcondition {
      condition = alltrue(flatten([for secret_name, tags in local.expected_user_results : [
        for tag in tags : can({ for secret in self.secrets : secret.name => secret.tags }[secret_name][tag])
      ]]))
      error_message = "Key Vault ${self.key_vault_id} lacks a result secret of python -m entraidc entra-users create, or its tags upn and objectId (expected secrets: ${join(", ", keys(local.expected_user_results))}; README: Interface with the Python automation)."
    }
  }
}

data "azurerm_key_vault_secrets" "entra_app_results" {
  key_vault_id = azurerm_key_vault.this.id
  depends_on   = [terraform_data.entra_app]

  lifecycle {
    postcondition {
      condition = alltrue(flatten([for secret_name, tags in local.expected_app_results : [
        for tag in tags : can({ for secret in self.secrets : secret.name => secret.tags }[secret_name][tag])
      ]]))
      error_message = "Key Vault ${self.key_vault_id} lacks a result secret of python -m entraidc entra-app create, or its tags appId and servicePrincipalId (expected secrets: ${join(", ", keys(local.expected_app_results))}; README: Interface with the Python automation)."
    }
  }
}

locals {
  user_result_tags = { for secret in data.azurerm_key_vault_secrets.entra_user_results.secrets : secret.name => secret.tags }
  app_result_tags  = { for secret in data.azurerm_key_vault_secrets.entra_app_results.secrets : secret.name => secret.tags }
  entra_user       = { for name, env in local.entra_user_environment : name => local.user_result_tags[env.ENTRAIDC_RESULT_SECRET_NAME] }
  entra_app        = { for nickname, env in local.entra_app_environment : nickname => local.app_result_tags[env.ENTRAIDC_RESULT_SECRET_NAME] }
}
