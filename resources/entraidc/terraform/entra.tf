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

  # Users of the SAML phase (NikkiWolf) and of the SCIM phase (RichRoe) are separate resources:
  # Terraform defers reading a resource's results while any instance of it changes, and adding
  # RichRoe must not make NikkiWolf's user name unknown (that would replace her Identity Center
  # user and re-run her assignments).
  entra_user_environment = {
    for name, user in local.entra_users_enabled : name => merge(local.common_environment, {
      ENTRAIDC_USER_NAME          = name
      ENTRAIDC_GIVEN_NAME         = user.given_name
      ENTRAIDC_FAMILY_NAME        = user.family_name
      ENTRAIDC_DISPLAY_NAME       = user.display_name
      ENTRAIDC_RESULT_SECRET_NAME = local.entra_user_secret_name[name]
    })
  }
  saml_phase_user_environment = { for name, env in local.entra_user_environment : name => env if !local.entra_test_users[name].scim_phase }
  scim_phase_user_environment = { for name, env in local.entra_user_environment : name => env if local.entra_test_users[name].scim_phase }

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
    })
  }
}

# NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc entra-users create|destroy — Entra ID test user NikkiWolf (Step 1.2) are Microsoft Graph objects, which neither allowed provider can manage; their initial passwords go to the Key Vault, never to Terraform.
resource "terraform_data" "entra_user" {
  for_each = local.saml_phase_user_environment

  triggers_replace = each.value
  input = {
    working_dir = local.python_dir
    environment = each.value
    # Read back through `output`, which is unknown until this instance has been (re)created:
    # that defers reading its result to after the provisioner ran (data sources below).
    key_vault_id = azurerm_key_vault.this.id
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

# NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc entra-users create|destroy — Entra ID test user RichRoe (Step 4.1), SCIM phase; same command as entra_user (NikkiWolf, Step 1.2), kept apart so that adding RichRoe does not defer reading NikkiWolf's result are Microsoft Graph objects, which neither allowed provider can manage; their initial passwords go to the Key Vault, never to Terraform.
resource "terraform_data" "entra_scim_user" {
  for_each = local.scim_phase_user_environment

  triggers_replace = each.value
  input = {
    working_dir = local.python_dir
    environment = each.value
    # Read back through `output`, which is unknown until this instance has been (re)created:
    # that defers reading its result to after the provisioner ran (data sources below).
    key_vault_id = azurerm_key_vault.this.id
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
    # Read back through `output`, which is unknown until this instance has been (re)created:
    # that defers reading its result to after the provisioner ran (data sources below).
    key_vault_id = azurerm_key_vault.this.id
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

# What the provisioners hand back. One read per user and per app, keyed by the instance's
# `output`, which is unknown exactly while that instance is being (re)created: so the read
# waits for that provisioner, and only for it (depends_on would defer every read whenever any
# instance changes, e.g. make NikkiWolf's user name unknown when RichRoe is added, which would
# replace her Identity Center user). The list data source returns names and tags only, never
# a secret's value, so the users' initial passwords never reach state or plan.
data "azurerm_key_vault_secrets" "entra_user_results" {
  for_each     = terraform_data.entra_user
  key_vault_id = each.value.output.key_vault_id

  lifecycle {
    postcondition {
      condition     = alltrue([for tag in ["upn", "objectId"] : can({ for secret in self.secrets : secret.name => secret.tags }[local.entra_user_secret_name[each.key]][tag])])
      error_message = "Key Vault secret ${local.entra_user_secret_name[each.key]} is missing or lacks the tags upn and objectId that python -m entraidc entra-users create must write for ${each.key} (README: Interface with the Python automation)."
    }
  }
}

data "azurerm_key_vault_secrets" "entra_scim_user_results" {
  for_each     = terraform_data.entra_scim_user
  key_vault_id = each.value.output.key_vault_id

  lifecycle {
    postcondition {
      condition     = alltrue([for tag in ["upn", "objectId"] : can({ for secret in self.secrets : secret.name => secret.tags }[local.entra_user_secret_name[each.key]][tag])])
      error_message = "Key Vault secret ${local.entra_user_secret_name[each.key]} is missing or lacks the tags upn and objectId that python -m entraidc entra-users create must write for ${each.key} (README: Interface with the Python automation)."
    }
  }
}

data "azurerm_key_vault_secrets" "entra_app_results" {
  for_each     = terraform_data.entra_app
  key_vault_id = each.value.output.key_vault_id

  lifecycle {
    postcondition {
      condition     = alltrue([for tag in ["appId", "servicePrincipalId"] : can({ for secret in self.secrets : secret.name => secret.tags }[local.entra_app_secret_name[each.key]][tag])])
      error_message = "Key Vault secret ${local.entra_app_secret_name[each.key]} is missing or lacks the tags appId and servicePrincipalId that python -m entraidc entra-app create must write for ${each.key} (README: Interface with the Python automation)."
    }
  }
}

locals {
  entra_user = merge(
    {
      for name, result in data.azurerm_key_vault_secrets.entra_user_results :
      name => { for secret in result.secrets : secret.name => secret.tags }[local.entra_user_secret_name[name]]
    },
    {
      for name, result in data.azurerm_key_vault_secrets.entra_scim_user_results :
      name => { for secret in result.secrets : secret.name => secret.tags }[local.entra_user_secret_name[name]]
    },
  )
  entra_app = {
    for nickname, result in data.azurerm_key_vault_secrets.entra_app_results :
    nickname => { for secret in result.secrets : secret.name => secret.tags }[local.entra_app_secret_name[nickname]]
  }
}
