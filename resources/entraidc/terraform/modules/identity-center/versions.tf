# The version constraints are the root module's (versions.tf there).
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
