# Lifecycle of the root module with mock providers: apply the SAML phase, then the SCIM phase
# before and after SCIM created RichRoe, then ABAC, as the pipeline steps do; the plans after
# an apply see what the provisioners reported through the vault (mocked). run.sh sets
# ENTRAIDC_PYTHON=true, so the provisioners run `true -m entraidc ...`: no Python command
# runs and nothing is reached.

mock_provider "aws" {
  alias = "commercial"

  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_region" {
    defaults = { region = "us-east-1" }
  }
  mock_data "aws_ssoadmin_instances" {
    defaults = {
      arns               = ["arn:aws:sso:::instance/ssoins-1111111111111111"]
      identity_store_ids = ["d-1111111111"]
    }
  }
  mock_data "aws_identitystore_users" {
    defaults = { users = [] }
  }
  mock_resource "aws_ssoadmin_permission_set" {
    defaults = { arn = "arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-1111111111111111" }
  }
  mock_resource "aws_identitystore_user" {
    defaults = { user_id = "91111111-1111-4111-8111-111111111111" }
  }
}

mock_provider "aws" {
  alias = "govcloud"

  mock_data "aws_partition" {
    defaults = { partition = "aws-us-gov", dns_suffix = "amazonaws.com" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "222222222222" }
  }
  mock_data "aws_region" {
    defaults = { region = "us-gov-west-1" }
  }
  mock_data "aws_ssoadmin_instances" {
    defaults = {
      arns               = ["arn:aws-us-gov:sso:::instance/ssoins-2222222222222222"]
      identity_store_ids = ["d-2222222222"]
    }
  }
  mock_data "aws_identitystore_users" {
    defaults = { users = [] }
  }
  mock_resource "aws_ssoadmin_permission_set" {
    defaults = { arn = "arn:aws-us-gov:sso:::permissionSet/ssoins-2222222222222222/ps-2222222222222222" }
  }
  mock_resource "aws_identitystore_user" {
    defaults = { user_id = "92222222-2222-4222-8222-222222222222" }
  }
}

mock_provider "azurerm" {
  mock_data "azurerm_client_config" {
    defaults = {
      tenant_id       = "00000000-0000-4000-8000-000000000001"
      subscription_id = "00000000-0000-4000-8000-000000000002"
      object_id       = "00000000-0000-4000-8000-000000000003"
      client_id       = "00000000-0000-4000-8000-000000000004"
    }
  }
  mock_data "azurerm_subscription" {
    defaults = { display_name = "azure-identity-provider" }
  }
  # What entra-users create and entra-app create report back through the vault (tags only).
  mock_data "azurerm_key_vault_secrets" {
    defaults = {
      secrets = [
        { name = "entraidc-user-nikkiwolf", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-user-nikkiwolf", enabled = true, tags = { upn = "NikkiWolf@contoso.onmicrosoft.com", objectId = "00000000-0000-4000-8000-0000000000a1", managedBy = "entra-idc" } },
        { name = "entraidc-user-richroe", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-user-richroe", enabled = true, tags = { upn = "RichRoe@contoso.onmicrosoft.com", objectId = "00000000-0000-4000-8000-0000000000a2", managedBy = "entra-idc" } },
        { name = "entraidc-app-aws-commercial", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-app-aws-commercial", enabled = true, tags = { appId = "00000000-0000-4000-8000-0000000000c1", servicePrincipalId = "00000000-0000-4000-8000-0000000000d1", managedBy = "entra-idc" } },
        { name = "entraidc-app-aws-govcloud", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-app-aws-govcloud", enabled = true, tags = { appId = "00000000-0000-4000-8000-0000000000c2", servicePrincipalId = "00000000-0000-4000-8000-0000000000d2", managedBy = "entra-idc" } },
      ]
    }
  }
  mock_resource "azurerm_resource_group" {
    defaults = { id = "/subscriptions/00000000-0000-4000-8000-000000000002/resourceGroups/rg-entraidc" }
  }
  mock_resource "azurerm_key_vault" {
    defaults = {
      id        = "/subscriptions/00000000-0000-4000-8000-000000000002/resourceGroups/rg-entraidc/providers/Microsoft.KeyVault/vaults/entraidc-test"
      vault_uri = "https://entraidc-test.vault.azure.net/"
    }
  }
}

run "saml_phase_apply" {
  command = apply

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.nikki_user_name == "NikkiWolf@contoso.onmicrosoft.com"])
    error_message = "NikkiWolf's Identity Center user name must be her Entra user principal name in both accounts."
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.account_assignments == { "NikkiWolf@contoso.onmicrosoft.com" = "RegionalAdmin" }])
    error_message = "The SAML phase assigns NikkiWolf RegionalAdmin, and nothing else, in both accounts."
  }

  assert {
    condition     = sort(keys(terraform_data.entra_user)) == sort(["NikkiWolf"]) && length(terraform_data.entra_assign) == 2 && length(terraform_data.entra_app) == 2 && length(terraform_data.saml_federate) == 2
    error_message = "The SAML phase must create NikkiWolf only, one app and one assignment per account, and SAML for both."
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.scim_token_secret_name == null && length(account.abac_attributes) == 0])
    error_message = "The SAML phase must not create the SCIM token secret or ABAC attributes."
  }

  assert {
    condition     = output.entra_application_ids == { "aws-commercial" = "00000000-0000-4000-8000-0000000000c1", "aws-govcloud" = "00000000-0000-4000-8000-0000000000c2" }
    error_message = "entra_application_ids must come from the app result secrets' tags."
  }

  assert {
    condition     = output.phases == { saml = true, scim = false, abac = false }
    error_message = "The default is the SAML phase only."
  }
}

run "second_saml_plan_feeds_the_reported_ids_to_the_provisioners" {
  command = plan

  assert {
    condition = alltrue([for resource in concat(values(terraform_data.entra_user), values(terraform_data.entra_scim_user), values(terraform_data.entra_app), values(terraform_data.entra_assign), values(terraform_data.saml_federate)) :
      resource.input.working_dir == "./../python" && resource.triggers_replace == resource.input.environment
    ])
    error_message = "Each provisioner resource must run in ../python and be replaced whenever its environment changes."
  }

  assert {
    condition = sort(keys(terraform_data.entra_assign["aws-govcloud/NikkiWolf"].input.environment)) == sort([
      "ENTRAIDC_ACCOUNT_NICKNAME", "ENTRAIDC_APP_ID", "ENTRAIDC_KEY_VAULT_URI", "ENTRAIDC_OWNER_MARKER",
      "ENTRAIDC_SERVICE_PRINCIPAL_ID", "ENTRAIDC_TENANT_ID", "ENTRAIDC_USER_NAME", "ENTRAIDC_USER_OBJECT_ID",
      "ENTRAIDC_USER_PRINCIPAL_NAME",
    ])
    error_message = "entra-assign must get exactly the documented environment."
  }

  assert {
    condition     = terraform_data.entra_assign["aws-govcloud/NikkiWolf"].input.environment.ENTRAIDC_APP_ID == "00000000-0000-4000-8000-0000000000c2" && terraform_data.entra_assign["aws-govcloud/NikkiWolf"].input.environment.ENTRAIDC_USER_PRINCIPAL_NAME == "NikkiWolf@contoso.onmicrosoft.com"
    error_message = "entra-assign must get the app and NikkiWolf's UPN reported through the vault."
  }

  assert {
    condition     = terraform_data.saml_federate["aws-commercial"].input.environment.ENTRAIDC_INSTANCE_ARN == "arn:aws:sso:::instance/ssoins-1111111111111111" && terraform_data.saml_federate["aws-commercial"].input.environment.ENTRAIDC_IDENTITY_STORE_ID == "d-1111111111"
    error_message = "saml-federate must get its account's Identity Center instance."
  }
}

run "planning_the_scim_phase_leaves_nikki_and_the_saml_pieces_alone" {
  command = plan
  variables {
    enable_scim = true
  }

  # Adding RichRoe must not defer NikkiWolf's result: an unknown user name would replace her
  # Identity Center user, and unknown environments would re-run her provisioners.
  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.nikki_user_name == "NikkiWolf@contoso.onmicrosoft.com"])
    error_message = "NikkiWolf's user name must stay known while the SCIM phase is planned."
  }

  assert {
    condition     = terraform_data.entra_assign["aws-commercial/NikkiWolf"].input.environment.ENTRAIDC_USER_PRINCIPAL_NAME == "NikkiWolf@contoso.onmicrosoft.com" && terraform_data.saml_federate["aws-govcloud"].input.environment.ENTRAIDC_APP_ID == "00000000-0000-4000-8000-0000000000c2"
    error_message = "The SAML-phase provisioners' inputs must stay known (and unchanged) while the SCIM phase is planned."
  }
}

run "scim_phase_apply_before_scim_has_run" {
  command = apply
  variables {
    enable_scim = true
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : !contains(values(account.account_assignments), "AdministratorAccess")])
    error_message = "No AdministratorAccess assignment before SCIM has created RichRoe."
  }

  assert {
    condition     = output.azure_id.entra_test_users == { NikkiWolf = "NikkiWolf@contoso.onmicrosoft.com", RichRoe = "RichRoe@contoso.onmicrosoft.com" }
    error_message = "Both Entra test users are reported with their own UPNs."
  }
}

run "scim_phase_apply_after_scim_created_richroe" {
  command = apply
  variables {
    enable_scim = true
  }

  override_data {
    target = module.aws_govcloud.data.aws_identitystore_users.all
    values = {
      users = [
        { user_name = "NikkiWolf@contoso.onmicrosoft.com", user_id = "92222222-2222-4222-8222-0000000000a1", display_name = "NikkiWolf", identity_store_id = "d-2222222222",
          addresses = [], emails = [], external_ids = [], name = [], phone_numbers = [], locale = "", nickname = "",
        preferred_language = "", profile_url = "", timezone = "", title = "", user_status = "ENABLED", user_type = "" },
        { user_name = "RichRoe@contoso.onmicrosoft.com", user_id = "92222222-2222-4222-8222-0000000000a2", display_name = "RichRoe", identity_store_id = "d-2222222222",
          addresses = [], emails = [], external_ids = [], name = [], phone_numbers = [], locale = "", nickname = "",
        preferred_language = "", profile_url = "", timezone = "", title = "", user_status = "ENABLED", user_type = "" },
        { user_name = "RichRoeSenior@contoso.onmicrosoft.com", user_id = "92222222-2222-4222-8222-0000000000a3", display_name = "RichRoeSenior", identity_store_id = "d-2222222222",
          addresses = [], emails = [], external_ids = [], name = [], phone_numbers = [], locale = "", nickname = "",
        preferred_language = "", profile_url = "", timezone = "", title = "", user_status = "ENABLED", user_type = "" },
      ]
    }
  }

  assert {
    condition = output.aws_accounts["aws-govcloud"].account_assignments == {
      "NikkiWolf@contoso.onmicrosoft.com" = "RegionalAdmin"
      "RichRoe@contoso.onmicrosoft.com"   = "AdministratorAccess"
    }
    error_message = "Exactly RichRoe (not a user whose name only starts alike) must get AdministratorAccess in GovCloud."
  }

  assert {
    condition     = output.aws_accounts["aws-commercial"].account_assignments == { "NikkiWolf@contoso.onmicrosoft.com" = "RegionalAdmin" }
    error_message = "aws-commercial has no RichRoe yet in this run, so no assignment there."
  }
}

run "abac_apply" {
  command = apply
  variables {
    enable_scim = true
    enable_abac = true
  }

  assert {
    condition     = output.phases == { saml = true, scim = true, abac = true }
    error_message = "All phases are on."
  }
}

run "missing_result_tags_from_the_python_automation_are_reported" {
  command = plan
  variables {
    enable_scim = true
    enable_abac = true
  }

  override_data {
    target = data.azurerm_key_vault_secrets.entra_app_results
    values = {
      secrets = [
        { name = "entraidc-app-aws-commercial", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-app-aws-commercial", enabled = true, tags = { appId = "00000000-0000-4000-8000-0000000000c1", servicePrincipalId = "00000000-0000-4000-8000-0000000000d1" } },
        { name = "entraidc-app-aws-govcloud", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-app-aws-govcloud", enabled = true, tags = { appId = "00000000-0000-4000-8000-0000000000c2" } },
      ]
    }
  }

  expect_failures = [data.azurerm_key_vault_secrets.entra_app_results["aws-govcloud"]]
}
