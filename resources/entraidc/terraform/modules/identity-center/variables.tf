# Internal module: the IAM Identity Center side of the tutorial for one AWS account. The root
# module calls it once per account with that account's aws provider; all values come from the
# root module's locals (local.identity_center_input).

variable "account" {
  description = <<-EOT
    This account's part of the tutorial:
    nickname (e.g. aws-commercial); expected_partition (aws or aws-us-gov: guards against a
    profile that points at the wrong account); tags (ownership tags of every taggable
    resource); regional_admin (Step 2.1 permission set; inline_policy is an object, JSON-encoded here);
    administrator_access (the predefined permission set; managed_policy is an AWS managed
    policy name); enable_scim (SCIM phase: token secret, and AdministratorAccess for
    scim_admin_user, the local part of the UPN of the SCIM-provisioned user, once SCIM has
    created it); scim_token_secret_name (the Secrets Manager secret for the SCIM access token);
    enable_abac and abac_attributes (Step 5: attribute key -> value source).
  EOT
  type = object({
    nickname           = string
    expected_partition = string
    tags               = map(string)
    regional_admin = object({
      name             = string
      description      = string
      session_duration = string
      inline_policy    = any
    })
    administrator_access = object({
      name             = string
      description      = string
      session_duration = string
      managed_policy   = string
    })
    enable_scim            = bool
    scim_admin_user        = string
    scim_token_secret_name = string
    enable_abac            = bool
    abac_attributes        = map(string)
  })
}

# Apart from account: her user name is known only once entra-users create has reported it, and
# an unknown attribute must not make the whole account unknown (the data sources would wait).
variable "nikki" {
  description = "The Step 2.2 user. user_name must equal her Entra user principal name."
  type = object({
    user_name    = string
    display_name = string
    given_name   = string
    family_name  = string
  })
}
