terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_ssoadmin_instances" "this" {}

locals {
  instance_arn      = tolist(data.aws_ssoadmin_instances.this.arns)[0]
  identity_store_id = tolist(data.aws_ssoadmin_instances.this.identity_store_ids)[0]
}

resource "aws_ssoadmin_permission_set" "probe" {
  name             = "TwinProbe"
  description      = "entra-idc twin probe"
  instance_arn     = local.instance_arn
  session_duration = "PT1H"
  tags = {
    "entraidc:owner" = "twin-test"
  }
}

resource "aws_identitystore_user" "probe" {
  identity_store_id = local.identity_store_id
  user_name         = "twin-probe"
  display_name      = "Twin Probe"

  name {
    given_name  = "Twin"
    family_name = "Probe"
  }

  emails {
    value   = "twin-probe@example.com"
    primary = true
  }
}

output "account_id" {
  value = data.aws_caller_identity.current.account_id
}

output "partition" {
  value = data.aws_partition.current.partition
}

output "permission_set_arn" {
  value = aws_ssoadmin_permission_set.probe.arn
}

output "user_id" {
  value = aws_identitystore_user.probe.user_id
}
