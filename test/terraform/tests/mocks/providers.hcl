# The mock providers of every test file, in one place. OpenTofu 1.12 has no `source` argument
# for mock_provider (Terraform >= 1.7 reads shared .tfmock.hcl files that way), so run.sh
# appends this file to each *.tftest.hcl in the work copy.

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
        # saml-federate reports the access-portal URL the service answered; the commercial one has a
        # customised subdomain, which no URL built from the identity store ID can know.
        { name = "entraidc-saml-aws-commercial", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-saml-aws-commercial", enabled = true, tags = { signInUrl = "https://mycorp.awsapps.com/start", signInUrlSource = "service", managedBy = "entra-idc" } },
        { name = "entraidc-saml-aws-govcloud", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-saml-aws-govcloud", enabled = true, tags = { signInUrl = "https://start.us-gov-home.awsapps.com/directory/d-2222222222", signInUrlSource = "service", managedBy = "entra-idc" } },
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
