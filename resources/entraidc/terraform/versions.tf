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

# Attempts per AWS API call (README "Choices made where the issues are silent": a create answered
# twice). The aws provider retries ConflictException on every sso-admin operation
# (internal/service/ssoadmin/service_package.go, withExtraOptions), and the conflict of a create
# whose first answer was lost never clears. Its back-off (internal/conns/backoff_delayer.go,
# v1CompatibleBackoff) waits 2^n x 30-60 ms after attempt n (throttling: 2^n x 0.5-1 s), each wait at
# most 300 s (internal/conns/config.go). With the provider's default of 25 attempts
# (internal/provider/sdkv2/provider.go) that is up to 68 min of retries; with 10 it is at most 61 s,
# after which the step sweeps the orphan and applies once more (EntraRun.planAndApply), while
# throttling is still ridden out for 7-13 min (aws-sdk-go-v2 alone gives up after 3 attempts).
locals {
  aws_max_retries = 10
}

provider "aws" {
  alias       = "commercial"
  profile     = local.aws_accounts["aws-commercial"].profile
  region      = local.aws_accounts["aws-commercial"].region
  max_retries = local.aws_max_retries
}

provider "aws" {
  alias       = "govcloud"
  profile     = local.aws_accounts["aws-govcloud"].profile
  region      = local.aws_accounts["aws-govcloud"].region
  max_retries = local.aws_max_retries
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
