# Step 2.1: RegionalAdmin, a custom permission set with the tutorial's inline policy.
resource "aws_ssoadmin_permission_set" "regional_admin" {
  instance_arn     = local.instance_arn
  name             = var.regional_admin.name
  description      = var.regional_admin.description
  session_duration = var.regional_admin.session_duration
  tags             = var.tags
}

resource "aws_ssoadmin_permission_set_inline_policy" "regional_admin" {
  #checkov:skip=CKV_AWS_290:The tutorial's RegionalAdmin policy (Step 2.1) is reproduced exactly: enabling and disabling Regions of the account is the purpose of the permission set.
  #checkov:skip=CKV_AWS_355:The tutorial's policy uses Resource "*" (console: All Resources); the account:*Region actions act on the account the permission set is assigned to.
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.regional_admin.arn
  inline_policy      = jsonencode(var.regional_admin.inline_policy)
}

# "Assign access to AWS accounts": the predefined AdministratorAccess permission set.
resource "aws_ssoadmin_permission_set" "administrator_access" {
  instance_arn     = local.instance_arn
  name             = var.administrator_access.name
  description      = var.administrator_access.description
  session_duration = var.administrator_access.session_duration
  tags             = var.tags
}

resource "aws_ssoadmin_managed_policy_attachment" "administrator_access" {
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.administrator_access.arn
  managed_policy_arn = "arn:${local.partition}:iam::aws:policy/${var.administrator_access.managed_policy}"
}
