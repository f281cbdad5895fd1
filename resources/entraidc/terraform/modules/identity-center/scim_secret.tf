# Step 4.2: the container for this account's SCIM access token. Terraform never writes a
# value: the Python command `scim-enable` stores the token and `teardown` deletes it.
resource "aws_secretsmanager_secret" "scim_token" {
  #checkov:skip=CKV_AWS_149:The AWS managed key aws/secretsmanager is enough for a lab token; a customer managed key would add a key policy and a 7-30 day deletion window to every nightly teardown.
  #checkov:skip=CKV2_AWS_57:Identity Center has no rotation API for SCIM tokens that a rotation Lambda could call; scim-enable replaces the token (valid one year) on every rebuild.
  count       = var.account.enable_scim ? 1 : 0
  name        = var.account.scim_token_secret_name
  description = "IAM Identity Center SCIM access token for Entra ID automatic provisioning (${var.account.nickname}); value written by python -m entraidc scim-enable"
  # Delete without a recovery window so a nightly rebuild can reuse the name at once.
  recovery_window_in_days = 0
  tags                    = var.account.tags
}
