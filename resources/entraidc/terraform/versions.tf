# Required versions (see README "Required versions"):
# - Terraform >= 1.5 (check blocks) or OpenTofu >= 1.8; tested with OpenTofu 1.12.6 and 1.8.11.
# - hashicorp/aws and hashicorp/azurerm pinned to the releases the tests run (README "Required
#   versions"): every agent's `init` installs the same provider, never whatever is newest.
terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.48.0"
    }
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "5.2.0"
    }
  }
}

# The three accounts. Credentials come from the agent, never from Terraform:
# the two AWS shared-config profiles, and the Azure CLI login.

provider "aws" {
  alias   = "commercial"
  profile = local.aws_accounts["aws-commercial"].profile
  region  = local.aws_accounts["aws-commercial"].region
}

provider "aws" {
  alias   = "govcloud"
  profile = local.aws_accounts["aws-govcloud"].profile
  region  = local.aws_accounts["aws-govcloud"].region
}

# azure-id (azure-identity-provider). The subscription is not hardcoded: the provider takes
# ARM_SUBSCRIPTION_ID when the caller sets it, otherwise the Azure CLI login's default
# subscription. The check "azure_id_subscription" in azure.tf warns when its name is not
# local.azure.subscription_name.
provider "azurerm" {
  # Register only what the module uses. Microsoft.Authorization is registered in every subscription,
  # Microsoft.KeyVault is not ("Azure resource providers and types", providers registered by
  # default): a fresh azure-identity-provider subscription would fail the first apply with
  # MissingSubscriptionRegistration. The azurerm 5 upgrade guide's way: no automatic set
  # ("none"), and the namespaces needed in resource_providers_to_register (registered at start
  # when not yet, which needs Contributor or Owner on the subscription; nothing when already).
  resource_provider_registrations = "none"
  resource_providers_to_register  = ["Microsoft.KeyVault"]

  features {
    key_vault {
      # The lab vault is purged on destroy so that a nightly rebuild can reuse its name at once.
      purge_soft_delete_on_destroy = true
      # A vault left soft-deleted by an interrupted destroy is recovered rather than failing.
      recover_soft_deleted_key_vaults = true
    }
    resource_group {
      # Refuse to delete the resource group if something we did not create is inside it.
      prevent_deletion_if_contains_resources = true
    }
  }
}
