# The lifecycle's mix of AWS creates for tools/lost_answers.py, in both partitions: identity-store
# users, permission sets with an inline policy, account assignments and Secrets Manager secrets.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "prefix" {
  type        = string
  description = "name prefix of every object this run creates (the sweep deletes by it)"
}

variable "n" {
  type        = number
  description = "objects of each kind per account"
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
  source    = "./account"
  providers = { aws = aws.commercial }
  prefix    = var.prefix
  n         = var.n
}

module "govcloud" {
  source    = "./account"
  providers = { aws = aws.govcloud }
  prefix    = var.prefix
  n         = var.n
}
