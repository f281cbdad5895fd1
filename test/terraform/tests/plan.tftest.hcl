# Plan-level tests of the root module with mock providers: nothing is created and no
# provisioner runs (provisioners run only on apply).

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

# The same tenant, but the CLI's default subscription is not azure-identity-provider.
mock_provider "azurerm" {
  alias = "wrong_subscription"

  mock_data "azurerm_client_config" {
    defaults = {
      tenant_id       = "00000000-0000-4000-8000-000000000001"
      subscription_id = "00000000-0000-4000-8000-000000000009"
      object_id       = "00000000-0000-4000-8000-000000000003"
      client_id       = "00000000-0000-4000-8000-000000000004"
    }
  }
  mock_data "azurerm_subscription" {
    defaults = { display_name = "someone-elses-subscription" }
  }
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
    defaults = { id = "/subscriptions/00000000-0000-4000-8000-000000000009/resourceGroups/rg-entraidc" }
  }
  mock_resource "azurerm_key_vault" {
    defaults = {
      id        = "/subscriptions/00000000-0000-4000-8000-000000000009/resourceGroups/rg-entraidc/providers/Microsoft.KeyVault/vaults/entraidc-test"
      vault_uri = "https://entraidc-test.vault.azure.net/"
    }
  }
}

run "regional_admin_has_the_tutorials_exact_inline_policy" {
  command = plan

  assert {
    condition = alltrue([for account in values(output.aws_accounts) :
      jsondecode(account.regional_admin_inline_policy) == jsondecode(<<-JSON
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "Statement1",
              "Effect": "Allow",
              "Action": [
                "account:ListRegions",
                "account:DisableRegion",
                "account:EnableRegion",
                "account:GetRegionOptStatus"
              ],
              "Resource": [
                "*"
              ]
            }
          ]
        }
      JSON
    )])
    error_message = "RegionalAdmin's inline policy differs from the tutorial's (Step 2.1)."
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : sort(keys(account.permission_set_arns)) == sort(["AdministratorAccess", "RegionalAdmin"])])
    error_message = "Both accounts must have the permission sets RegionalAdmin and AdministratorAccess."
  }
}

run "administrator_access_policy_arn_matches_the_partition" {
  command = plan

  assert {
    condition     = output.aws_accounts["aws-commercial"].administrator_access_policy_arn == "arn:aws:iam::aws:policy/AdministratorAccess"
    error_message = "aws-commercial must attach arn:aws:iam::aws:policy/AdministratorAccess."
  }

  assert {
    condition     = output.aws_accounts["aws-govcloud"].administrator_access_policy_arn == "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"
    error_message = "aws-govcloud must attach the aws-us-gov ARN of AdministratorAccess."
  }

  assert {
    condition     = output.aws_accounts["aws-govcloud"].access_portal_url == "https://start.us-gov-home.awsapps.com/directory/d-2222222222" && output.aws_accounts["aws-commercial"].access_portal_url == "https://d-1111111111.awsapps.com/start"
    error_message = "Access-portal URLs must follow each partition's pattern."
  }
}

run "accounts_use_the_hardcoded_profiles_and_regions" {
  command = plan

  assert {
    condition = (output.aws_accounts["aws-commercial"].profile == "aws-commercial"
      && output.aws_accounts["aws-govcloud"].profile == "aws-govcloud"
      && local.aws_accounts["aws-commercial"].region == "us-east-1"
    && local.aws_accounts["aws-govcloud"].region == "us-gov-west-1")
    error_message = "Profiles and regions must be the hardcoded aws-commercial/us-east-1 and aws-govcloud/us-gov-west-1."
  }

  assert {
    condition     = terraform_data.saml_federate["aws-govcloud"].input.environment.ENTRAIDC_AWS_PROFILE == "aws-govcloud" && terraform_data.saml_federate["aws-govcloud"].input.environment.ENTRAIDC_AWS_PARTITION == "aws-us-gov"
    error_message = "saml-federate for aws-govcloud must get the aws-govcloud profile and the aws-us-gov partition."
  }
}

run "saml_phase_plans_nikki_and_no_scim_or_abac_piece" {
  command = plan

  assert {
    condition     = sort(keys(terraform_data.entra_user)) == sort(["NikkiWolf"]) && length(terraform_data.entra_scim_user) == 0 && length(terraform_data.entra_assign) == 2 && length(terraform_data.entra_app) == 2 && length(terraform_data.saml_federate) == 2
    error_message = "The SAML phase must create NikkiWolf only, one app and one assignment per account, and SAML for both."
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.scim_token_secret_name == null && length(account.abac_attributes) == 0])
    error_message = "The SAML phase must not create the SCIM token secret or ABAC attributes."
  }

  assert {
    condition     = output.phases == { saml = true, scim = false, abac = false }
    error_message = "The default is the SAML phase only."
  }

  assert {
    condition = alltrue([for resource in concat(values(terraform_data.entra_user), values(terraform_data.entra_app)) :
      resource.input.working_dir == "./../python" && resource.triggers_replace == resource.input.environment
    ])
    error_message = "Each provisioner resource must run in ../python and be replaced whenever its environment changes (saml-federate and entra-assign: see lifecycle.tftest.hcl)."
  }
}

run "key_vault_is_rbac_purgeable_and_the_caller_is_secrets_officer" {
  command = plan

  assert {
    condition     = azurerm_key_vault.this.rbac_authorization_enabled && !azurerm_key_vault.this.purge_protection_enabled && azurerm_key_vault.this.soft_delete_retention_days == 7
    error_message = "The vault must use RBAC, keep soft delete at the minimum retention and have purge protection off."
  }

  assert {
    condition     = can(regex("^entraidc-[0-9a-f]{8}$", azurerm_key_vault.this.name)) && azurerm_key_vault.this.tenant_id == "00000000-0000-4000-8000-000000000001"
    error_message = "The vault name must be entraidc-<8 hex> (3-24 characters) and the vault must be in the caller's tenant."
  }

  assert {
    condition     = azurerm_role_assignment.caller_secrets_officer.role_definition_name == "Key Vault Secrets Officer" && azurerm_role_assignment.caller_secrets_officer.principal_id == "00000000-0000-4000-8000-000000000003" && azurerm_role_assignment.caller_secrets_officer.scope == azurerm_key_vault.this.id
    error_message = "The caller's object ID must get Key Vault Secrets Officer on the vault."
  }

  assert {
    condition     = azurerm_resource_group.this.tags["ManagedBy"] == "entra-idc" && azurerm_key_vault.this.tags["ManagedBy"] == "entra-idc"
    error_message = "The resource group and the vault must carry ManagedBy = entra-idc."
  }
}

run "scim_phase_before_scim_has_run" {
  command = plan
  variables {
    enable_scim = true
  }

  assert {
    condition     = sort(keys(terraform_data.entra_user)) == sort(["NikkiWolf"]) && sort(keys(terraform_data.entra_scim_user)) == sort(["RichRoe"]) && length(terraform_data.entra_assign) == 4
    error_message = "The SCIM phase must add RichRoe in Entra and assign him to both apps."
  }

  assert {
    condition     = output.aws_accounts["aws-commercial"].scim_token_secret_name == "entraidc/aws-commercial/scim-access-token" && output.aws_accounts["aws-govcloud"].scim_token_secret_name == "entraidc/aws-govcloud/scim-access-token"
    error_message = "Each account gets its own SCIM token secret."
  }
}

run "abac_adds_the_department_attribute" {
  command = plan
  variables {
    enable_abac = true
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.abac_attributes == tomap({ Department = "$${path:enterprise.department}" })])
    error_message = "ABAC must map Department to $${path:enterprise.department} in both accounts."
  }
}

run "wrong_azure_subscription_is_reported" {
  command = plan

  providers = {
    aws.commercial = aws.commercial
    aws.govcloud   = aws.govcloud
    azurerm        = azurerm.wrong_subscription
  }

  expect_failures = [check.azure_id_subscription]
}


run "one_aws_account_leaves_the_other_untouched" {
  command = plan

  variables {
    aws_accounts = ["aws-govcloud"]
  }

  assert {
    condition     = keys(output.aws_accounts) == ["aws-govcloud"] && length(module.aws_commercial) == 0 && length(module.aws_govcloud) == 1
    error_message = "With aws_accounts = [aws-govcloud] nothing may be planned in aws-commercial."
  }

  assert {
    condition     = keys(terraform_data.entra_app) == ["aws-govcloud"] && keys(terraform_data.saml_federate) == ["aws-govcloud"] && keys(terraform_data.entra_assign) == ["aws-govcloud/NikkiWolf"]
    error_message = "The Entra app, its assignments and SAML federation must exist for aws-govcloud only."
  }
}

run "unknown_aws_account_is_refused" {
  command = plan

  variables {
    aws_accounts = ["aws-gov"]
  }

  expect_failures = [var.aws_accounts]
}
