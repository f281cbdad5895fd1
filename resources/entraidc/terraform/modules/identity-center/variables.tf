# Internal module: the IAM Identity Center side of the tutorial for one AWS account. The root
# module calls it once per account with that account's aws provider; all values come from the
# root module's locals.

variable "nickname" {
  description = "Account nickname, e.g. aws-commercial."
  type        = string
}

variable "expected_partition" {
  description = "Partition the provider must be in (aws or aws-us-gov); guards against a profile that points at the wrong account."
  type        = string
}

variable "tags" {
  description = "Ownership tags for every taggable resource."
  type        = map(string)
}

variable "nikki" {
  description = "The Step 2.2 user. user_name must equal her Entra user principal name."
  type = object({
    user_name    = string
    display_name = string
    given_name   = string
    family_name  = string
  })
}

variable "regional_admin" {
  description = "Step 2.1 permission set: name, description, session_duration, inline_policy (object, JSON-encoded here)."
  type = object({
    name             = string
    description      = string
    session_duration = string
    inline_policy    = any
  })
}

variable "administrator_access" {
  description = "Predefined permission set: name, description, session_duration, managed_policy (AWS managed policy name)."
  type = object({
    name             = string
    description      = string
    session_duration = string
    managed_policy   = string
  })
}

variable "enable_scim" {
  description = "SCIM phase: token secret, and AdministratorAccess for scim_admin_user once SCIM has created it."
  type        = bool
}

variable "scim_admin_user" {
  description = "Local part of the user principal name of the SCIM-provisioned user that gets AdministratorAccess."
  type        = string
}

variable "scim_token_secret_name" {
  description = "Name of the Secrets Manager secret that will hold this account's SCIM access token."
  type        = string
}

variable "enable_abac" {
  description = "Step 5: instance access-control attributes."
  type        = bool
}

variable "abac_attributes" {
  description = "Access-control attribute key -> value source."
  type        = map(string)
}
