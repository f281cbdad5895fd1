output "account" {
  description = "This account's Identity Center facts and the ARNs of what the module created. Nothing secret."
  value = {
    nickname              = var.nickname
    account_id            = local.account_id
    partition             = local.partition
    region                = data.aws_region.current.region
    instance_arn          = local.instance_arn
    identity_store_id     = local.identity_store_id
    access_portal_url     = local.access_portal_url
    nikki_user_id         = aws_identitystore_user.nikki.user_id
    scim_token_secret_arn = one(aws_secretsmanager_secret.scim_token[*].arn)
    abac_attributes       = var.enable_abac ? keys(var.abac_attributes) : []
    permission_set_arns = {
      (var.regional_admin.name)       = aws_ssoadmin_permission_set.regional_admin.arn
      (var.administrator_access.name) = aws_ssoadmin_permission_set.administrator_access.arn
    }
    administrator_access_users = keys(local.scim_admins)
  }
}
