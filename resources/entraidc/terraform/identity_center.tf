# The IAM Identity Center side, the same configuration in both AWS accounts. (Terraform >= 1.5
# cannot give a for_each'd module a different provider per instance, hence two calls.)

module "aws_commercial" {
  source    = "./modules/identity-center"
  count     = contains(var.aws_accounts, "aws-commercial") ? 1 : 0
  providers = { aws = aws.commercial }
  account   = local.identity_center_input["aws-commercial"]
  nikki     = local.nikki_identity_center
}

module "aws_govcloud" {
  source    = "./modules/identity-center"
  count     = contains(var.aws_accounts, "aws-govcloud") ? 1 : 0
  providers = { aws = aws.govcloud }
  account   = local.identity_center_input["aws-govcloud"]
  nikki     = local.nikki_identity_center
}

locals {
  identity_center = merge(
    { for instance in module.aws_commercial : "aws-commercial" => instance.account },
    { for instance in module.aws_govcloud : "aws-govcloud" => instance.account },
  )

  identity_center_input = {
    for nickname, account in local.aws_accounts : nickname => {
      nickname               = nickname
      expected_partition     = account.partition
      tags                   = local.tags
      regional_admin         = local.regional_admin
      administrator_access   = local.administrator_access
      enable_scim            = var.enable_scim
      scim_admin_user        = local.scim_admin_user
      scim_token_secret_name = local.scim_token_secret_name[nickname]
      enable_abac            = var.enable_abac
      abac_attributes        = local.abac_attributes
    }
  }

  # Step 2.2: her Identity Center user name is her Entra user principal name, which only
  # entra-users create knows (the tenant's default domain); it comes back through the vault.
  nikki_identity_center = {
    user_name    = local.entra_user["NikkiWolf"].upn
    display_name = local.entra_test_users.NikkiWolf.display_name
    given_name   = local.entra_test_users.NikkiWolf.given_name
    family_name  = local.entra_test_users.NikkiWolf.family_name
  }
}

# The modules gained count with the aws_accounts input; existing state moves to instance [0].
moved {
  from = module.aws_commercial
  to   = module.aws_commercial[0]
}

moved {
  from = module.aws_govcloud
  to   = module.aws_govcloud[0]
}
