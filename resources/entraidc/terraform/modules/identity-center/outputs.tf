output "account" {
  description = "This account's Identity Center facts and what the module set up in it (for the pipeline's verify step and the README's lifecycle). Nothing secret."
  value = {
    nickname                        = var.account.nickname
    account_id                      = local.account_id
    partition                       = local.partition
    region                          = data.aws_region.current.region
    instance_arn                    = local.instance_arn
    identity_store_id               = local.identity_store_id
    access_portal_url               = local.access_portal_url
    regional_admin_inline_policy    = aws_ssoadmin_permission_set_inline_policy.regional_admin.inline_policy
    administrator_access_policy_arn = aws_ssoadmin_managed_policy_attachment.administrator_access.managed_policy_arn
    permission_set_arns             = { for name, set in aws_ssoadmin_permission_set.this : name => set.arn }
    nikki_user_name                 = aws_identitystore_user.nikki.user_name
    nikki_user_id                   = aws_identitystore_user.nikki.user_id
    # user name -> permission set, for every account assignment the module made.
    account_assignments = merge(
      { (aws_identitystore_user.nikki.user_name) = var.account.regional_admin.name },
      { for user_name in keys(aws_ssoadmin_account_assignment.scim_admin_administrator_access) : user_name => var.account.administrator_access.name },
    )
    scim_token_secret_name = one(aws_secretsmanager_secret.scim_token[*].name)
    scim_token_secret_arn  = one(aws_secretsmanager_secret.scim_token[*].arn)
    abac_attributes        = var.account.enable_abac ? var.account.abac_attributes : {}
  }
}
