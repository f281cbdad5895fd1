# A small configuration that the real hashicorp/aws provider plans, applies and destroys
# against the twin: a permission set and an identity-store user in each partition.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  alias   = "commercial"
  profile = "aws-commercial"
}

provider "aws" {
  alias   = "govcloud"
  profile = "aws-govcloud"
}

module "commercial" {
  source    = "./identity_center"
  providers = { aws = aws.commercial }
}

module "govcloud" {
  source    = "./identity_center"
  providers = { aws = aws.govcloud }
}

output "commercial" {
  value = module.commercial
}

output "govcloud" {
  value = module.govcloud
}
