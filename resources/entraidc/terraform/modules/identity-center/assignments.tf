# Step 2.3: NikkiWolf -> RegionalAdmin on this account.
resource "aws_ssoadmin_account_assignment" "nikki_regional_admin" {
  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[var.account.regional_admin.name].arn
  principal_type     = "USER"
  principal_id       = aws_identitystore_user.nikki.user_id
  target_type        = "AWS_ACCOUNT"
  target_id          = local.account_id

  # Assign only once the policy is attached, so the provisioned role has it from the start.
  depends_on = [aws_ssoadmin_permission_set_inline_policy.regional_admin]
}

# "Assign access to AWS accounts": RichRoe (created by SCIM) -> AdministratorAccess.
resource "aws_ssoadmin_account_assignment" "scim_admin_administrator_access" {
  for_each = local.scim_admins

  instance_arn       = local.instance_arn
  permission_set_arn = aws_ssoadmin_permission_set.this[var.account.administrator_access.name].arn
  principal_type     = "USER"
  principal_id       = each.value
  target_type        = "AWS_ACCOUNT"
  target_id          = local.account_id

  depends_on = [aws_ssoadmin_managed_policy_attachment.administrator_access]
}
