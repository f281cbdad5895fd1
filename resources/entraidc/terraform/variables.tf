# Only the phase switches and the choice of AWS accounts are inputs; everything else is
# hardcoded in locals.tf.

variable "enable_scim" {
  description = "SCIM phase (tutorial Step 4 and \"Assign access to AWS accounts\"): Entra test user RichRoe and its app assignments, the Secrets Manager secret for each account's SCIM token, and RichRoe -> AdministratorAccess once SCIM has created RichRoe in Identity Center. false = SAML phase only (Steps 1-3)."
  type        = bool
  default     = false
  nullable    = false
}

variable "enable_abac" {
  description = "ABAC (tutorial Step 5, optional): access-control attributes on both Identity Center instances."
  type        = bool
  default     = false
  nullable    = false
}

variable "aws_accounts" {
  description = "The AWS accounts (nicknames) to federate: aws-commercial, aws-govcloud or both. An account left out is not touched; leaving out one that was applied before removes its objects."
  type        = set(string)
  default     = ["aws-commercial", "aws-govcloud"]
  nullable    = false

  validation {
    condition     = length(var.aws_accounts) > 0 && alltrue([for nickname in var.aws_accounts : contains(["aws-commercial", "aws-govcloud"], nickname)])
    error_message = "aws_accounts must name aws-commercial, aws-govcloud or both."
  }
}
