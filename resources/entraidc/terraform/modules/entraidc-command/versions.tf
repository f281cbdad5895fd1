# The version constraints are the root module's (versions.tf there).
terraform {
  required_providers {
    azurerm = { source = "hashicorp/azurerm" }
  }
}
