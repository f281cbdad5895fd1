data "aws_partition" "current" {
  lifecycle {
    postcondition {
      condition     = self.partition == var.account.expected_partition
      error_message = "The AWS profile for ${var.account.nickname} reaches partition ${self.partition}, not ${var.account.expected_partition}: point the profile ${var.account.nickname} at the right account."
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_ssoadmin_instances" "current" {
  lifecycle {
    postcondition {
      condition     = length(self.arns) == 1
      error_message = "${var.account.nickname}: expected exactly one IAM Identity Center instance in ${data.aws_region.current.region}, found ${length(self.arns)}. Enable IAM Identity Center in that Region (console: IAM Identity Center > Enable)."
    }
  }
}

locals {
  partition         = data.aws_partition.current.partition
  account_id        = data.aws_caller_identity.current.account_id
  instance_arn      = one(data.aws_ssoadmin_instances.current.arns)
  identity_store_id = one(data.aws_ssoadmin_instances.current.identity_store_ids)
  # Default AWS access portal URL (a customised portal subdomain is not visible to Terraform).
  access_portal_url = (local.partition == "aws-us-gov"
    ? "https://start.us-gov-home.awsapps.com/directory/${local.identity_store_id}"
    : "https://${local.identity_store_id}.awsapps.com/start"
  )
}
