# Step 2.1: RegionalAdmin, a custom permission set with the tutorial's inline policy, and
# ("Assign access to AWS accounts") the predefined AdministratorAccess.
resource "aws_ssoadmin_permission_set" "this" {
  for_each = { for set in [var.account.regional_admin, var.account.administrator_access] : set.name => set }

  instance_arn     = local.instance_arn
  name             = each.key
  description      = each.value.description
  session_duration = each.value.session_duration
  tags             = var.account.tags
}

resource "aws_ssoadmin_permission_set_inline_policy" "regional_admin" {
  #checkov:skip=CKV_AWS_290:The tutorial's RegionalAdmin policy (Step 2.1) is reproduced exactly: enabling and disabling Regions of the account is the purpose of the permission set.
  #checkov:skip=CKV_AWS_355:The tutorial's policy uses Resource "*" (console: All Resources); the account:*Region actions act on the account the permission set is assigned to.
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[var.account.regional_admin.name].arn
  inline_policy      = jsonencode(var.account.regional_admin.inline_policy)
}

resource "aws_ssoadmin_managed_policy_attachment" "administrator_access" {
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[var.account.administrator_access.name].arn
  managed_policy_arn = "arn:${local.partition}:iam::aws:policy/${var.account.administrator_access.managed_policy}"
}

# The two permission sets were separate resources before.
moved {
  from = aws_ssoadmin_permission_set.regional_admin
  to   = aws_ssoadmin_permission_set.this["RegionalAdmin"]
}

moved {
  from = aws_ssoadmin_permission_set.administrator_access
  to   = aws_ssoadmin_permission_set.this["AdministratorAccess"]
}
