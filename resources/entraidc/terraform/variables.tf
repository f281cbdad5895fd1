# Only the phase switches are inputs; everything else is hardcoded in locals.tf.

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
