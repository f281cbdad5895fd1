# Step 2.2: NikkiWolf, created by hand in the tutorial because SAML alone cannot create users.
# Once SCIM runs (Step 4), Entra ID matches this user on userName (= her Entra user principal
# name) and from then on owns her attributes: it PATCHes display name, names, emails and the
# other mapped attributes. Terraform creates her once and ignores those attributes afterwards,
# so the two never fight (no drift, no duplicate user). user_name stays managed: it is the key
# Entra matches on.
resource "aws_identitystore_user" "nikki" {
  identity_store_id = local.identity_store_id
  user_name         = var.nikki.user_name
  display_name      = var.nikki.display_name

  name {
    given_name  = var.nikki.given_name
    family_name = var.nikki.family_name
  }

  # The console requires an email address; Entra's default mapping sends the user's mail.
  emails {
    value   = var.nikki.user_name
    type    = "work"
    primary = true
  }

  lifecycle {
    ignore_changes = [
      display_name, name, emails, addresses, phone_numbers, nickname, title, locale,
      preferred_language, profile_url, timezone, user_type,
    ]
  }
}

# The SCIM-provisioned user that gets AdministratorAccess. It exists only after the Python
# command `scim-enable` has run, so it is looked up rather than required: the SCIM phase applies
# once before scim-enable (no match, no assignment) and once after (assignment created). The
# match is on the user-name prefix because the tenant's domain is not known at plan time.
data "aws_identitystore_users" "all" {
  count             = var.account.enable_scim ? 1 : 0
  identity_store_id = local.identity_store_id
}

locals {
  scim_admins = var.account.enable_scim ? {
    for user in data.aws_identitystore_users.all[0].users : user.user_name => user.user_id
    if startswith(lower(user.user_name), "${lower(var.account.scim_admin_user)}@")
  } : {}
}
