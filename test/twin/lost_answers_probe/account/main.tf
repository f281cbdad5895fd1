terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "prefix" {
  type = string
}

variable "n" {
  type = number
}

data "aws_caller_identity" "current" {}

data "aws_ssoadmin_instances" "this" {}

locals {
  instance_arn      = tolist(data.aws_ssoadmin_instances.this.arns)[0]
  identity_store_id = tolist(data.aws_ssoadmin_instances.this.identity_store_ids)[0]
  ids               = toset([for i in range(var.n) : format("%02d", i)])
}

resource "aws_identitystore_user" "user" {
  for_each          = local.ids
  identity_store_id = local.identity_store_id
  user_name         = "${var.prefix}-${each.key}@example.com"
  display_name      = "Probe ${each.key}"

  name {
    given_name  = "Probe"
    family_name = each.key
  }

  emails {
    value   = "${var.prefix}-${each.key}@example.com"
    type    = "work"
    primary = true
  }
}

resource "aws_ssoadmin_permission_set" "set" {
  for_each         = local.ids
  name             = "${var.prefix}-${each.key}"
  description      = "lost-answer probe"
  instance_arn     = local.instance_arn
  session_duration = "PT1H"
  tags = {
    ManagedBy = "lost-answer-probe"
  }
}

resource "aws_ssoadmin_permission_set_inline_policy" "policy" {
  for_each           = local.ids
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.set[each.key].arn
  inline_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:ListAllMyBuckets"], Resource = "*" }]
  })
}

resource "aws_ssoadmin_account_assignment" "assignment" {
  for_each           = local.ids
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.set[each.key].arn
  principal_type     = "USER"
  principal_id       = aws_identitystore_user.user[each.key].user_id
  target_type        = "AWS_ACCOUNT"
  target_id          = data.aws_caller_identity.current.account_id

  depends_on = [aws_ssoadmin_permission_set_inline_policy.policy]
}

resource "aws_secretsmanager_secret" "secret" {
  for_each                = local.ids
  name                    = "${var.prefix}/${each.key}"
  recovery_window_in_days = 0
}
