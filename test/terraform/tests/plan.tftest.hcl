# Plan-level tests of the root module with mock providers (tests/mocks/providers.hcl, added
# by run.sh): nothing is created and no provisioner runs (provisioners run only on apply).

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
    condition = { for nickname, account in output.aws_accounts : nickname => [account.administrator_access_policy_arn, module.saml_federate.instances[nickname].input.environment.ENTRAIDC_ACCESS_PORTAL_URL] } == {
      aws-commercial = ["arn:aws:iam::aws:policy/AdministratorAccess", "https://d-1111111111.awsapps.com/start"]
      aws-govcloud   = ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "https://start.us-gov-home.awsapps.com/directory/d-2222222222"]
    }
    error_message = "Each account must attach its partition's ARN of AdministratorAccess, and the access-portal URL saml-federate falls back to must follow its partition's pattern."
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
    condition     = [for name in ["ENTRAIDC_AWS_PROFILE", "ENTRAIDC_AWS_PARTITION"] : module.saml_federate.instances["aws-govcloud"].input.environment[name]] == ["aws-govcloud", "aws-us-gov"]
    error_message = "saml-federate for aws-govcloud must get the aws-govcloud profile and the aws-us-gov partition."
  }
}

run "saml_phase_plans_nikki_and_no_scim_or_abac_piece" {
  command = plan

  assert {
    condition     = keys(module.entra_users["saml"].instances) == ["NikkiWolf"] && length(module.entra_users["scim"].instances) == 0 && length(module.entra_assign.instances) == 2 && length(module.entra_app.instances) == 2 && length(module.saml_federate.instances) == 2
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
    condition = alltrue([for resource in concat(values(module.entra_users["saml"].instances), values(module.entra_app.instances)) :
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
    condition     = keys(module.entra_users["saml"].instances) == ["NikkiWolf"] && keys(module.entra_users["scim"].instances) == ["RichRoe"] && length(module.entra_assign.instances) == 4
    error_message = "The SCIM phase must add RichRoe in Entra and assign him to both apps."
  }

  assert {
    condition = { for nickname, account in output.aws_accounts : nickname => account.scim_token_secret_name } == {
      aws-commercial = "entraidc/aws-commercial/scim-access-token"
      aws-govcloud   = "entraidc/aws-govcloud/scim-access-token"
    }
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

  # The same tenant, but the subscription in use is not azure-identity-provider.
  override_data {
    target = data.azurerm_subscription.current
    values = { display_name = "someone-elses-subscription" }
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
    condition     = keys(module.entra_app.instances) == ["aws-govcloud"] && keys(module.saml_federate.instances) == ["aws-govcloud"] && keys(module.entra_assign.instances) == ["aws-govcloud/NikkiWolf"]
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
