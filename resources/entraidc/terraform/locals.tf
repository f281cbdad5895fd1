# Every hardcoded name and value of the module, in one place.
locals {
  # Ownership marker: tags on every taggable AWS and Azure resource; the Python automation puts
  # the same marker on the Entra objects it creates and deletes only objects that carry it.
  owner_marker = "entra-idc"
  tags = {
    ManagedBy = local.owner_marker
    Component = "entraidc-terraform"
  }

  # The two AWS accounts, by nickname. The profiles are the agent's AWS shared-config profiles;
  # the region is the one that hosts each account's IAM Identity Center instance.
  aws_accounts = {
    "aws-commercial" = {
      profile   = "aws-commercial"
      region    = "us-east-1"
      partition = "aws"
    }
    "aws-govcloud" = {
      profile   = "aws-govcloud"
      region    = "us-gov-west-1"
      partition = "aws-us-gov"
    }
  }

  # The accounts this apply covers (variable aws_accounts).
  selected_aws_accounts = { for nickname, account in local.aws_accounts : nickname => account if contains(var.aws_accounts, nickname) }

  # azure-id: the Azure subscription whose Entra ID tenant is the identity provider.
  azure = {
    nickname            = "azure-id"
    subscription_name   = "azure-identity-provider"
    location            = "eastus"
    resource_group_name = "rg-entraidc"
    # Key Vault names are global: the prefix is followed by 8 hex digits derived from the
    # subscription ID, so the name is stable for a subscription and needs no input.
    key_vault_name_prefix = "entraidc-"
    key_vault_sku         = "standard"
    key_vault_role        = "Key Vault Secrets Officer"
    # Shortest retention Azure allows; the vault is purged on destroy anyway (versions.tf).
    soft_delete_retention_days = 7
  }

  # Entra ID (tutorial Steps 1.1, 1.2, 4.1): one gallery application per AWS account, named
  # so that the account is obvious, and the tutorial's two test users.
  entra_gallery_app_name = "AWS IAM Identity Center (successor to AWS Single Sign-On)"
  entra_app_display_name = { for nickname in keys(local.aws_accounts) : nickname => "AWS IAM Identity Center (${nickname})" }
  entra_test_users = {
    NikkiWolf = { given_name = "Nikki", family_name = "Wolf", display_name = "NikkiWolf", scim_phase = false }
    RichRoe   = { given_name = "Richard", family_name = "Roe", display_name = "RichRoe", scim_phase = true }
  }
  # The user that "Assign access to AWS accounts" gives AdministratorAccess, once SCIM has
  # created it in Identity Center.
  scim_admin_user = "RichRoe"

  # Names of the Key Vault secrets through which the provisioners hand results back to
  # Terraform (README "Interface with the Python automation").
  entra_user_secret_name  = { for name in keys(local.entra_test_users) : name => "entraidc-user-${lower(name)}" }
  entra_app_secret_name   = { for nickname in keys(local.aws_accounts) : nickname => "entraidc-app-${nickname}" }
  saml_result_secret_name = { for nickname in keys(local.aws_accounts) : nickname => "entraidc-saml-${nickname}" }

  # IAM Identity Center (tutorial Steps 2.1-2.3, 5 and "Assign access to AWS accounts").
  regional_admin = {
    name             = "RegionalAdmin"
    description      = "Manage Regions from the Account page (Entra ID tutorial, Step 2.1)"
    session_duration = "PT1H"
    # The tutorial's inline policy, statement for statement. "Version" is what the console's
    # policy editor adds; without it IAM would apply the 2008-10-17 policy language.
    inline_policy = {
      Version = "2012-10-17"
      Statement = [
        {
          Sid    = "Statement1"
          Effect = "Allow"
          Action = [
            "account:ListRegions",
            "account:DisableRegion",
            "account:EnableRegion",
            "account:GetRegionOptStatus",
          ]
          Resource = ["*"]
        },
      ]
    }
  }
  administrator_access = {
    name             = "AdministratorAccess"
    description      = "Predefined permission set with the AWS managed policy AdministratorAccess"
    session_duration = "PT1H"
    managed_policy   = "AdministratorAccess"
  }
  # Step 5 (ABAC): Identity Center attribute key -> value source.
  abac_attributes = {
    Department = "$${path:enterprise.department}"
  }
  scim_token_secret_name = { for nickname in keys(local.aws_accounts) : nickname => "entraidc/${nickname}/scim-access-token" }

  # How the provisioners run the Python automation (README "Interface with the Python automation").
  python_dir = "${path.module}/../python"
}
