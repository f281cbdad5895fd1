# Internal module: one piece of the tutorial that the aws and azurerm providers cannot express,
# run by the Python automation from a create- and a destroy-time provisioner (README
# "Interface with the Python automation"). The root module calls it once per command.

variable "command" {
  description = "The entraidc command the provisioners run: python -m entraidc <command> create|destroy."
  type        = string

  validation {
    condition     = contains(["entra-users", "entra-app", "entra-assign", "saml-federate"], var.command)
    error_message = "command must be one of the provisioner commands of python -m entraidc: entra-users, entra-app, entra-assign, saml-federate."
  }
}

variable "not_pure_terraform" {
  description = "Why this piece is not pure Terraform: the tutorial step(s) it does and why no allowed provider can (the NOT PURE TERRAFORM label of this call)."
  type        = string

  validation {
    condition     = can(regex("Steps? [0-9]", var.not_pure_terraform))
    error_message = "not_pure_terraform must name the tutorial step it does (e.g. \"Step 1.2\") and why no allowed provider can do it."
  }
}

variable "instances" {
  description = "Instance key -> the command's environment (ENTRAIDC_* variables, never a secret). Kept as given (type any): it is stored as is in the instances' input."
  type        = any
}

variable "result" {
  description = "null, or how the command reports back: the Key Vault (key_vault_id) in which create writes the secret named by ENTRAIDC_RESULT_SECRET_NAME, and the tags it must carry."
  type = object({
    key_vault_id = string
    tags         = list(string)
  })
  default = null
}

variable "working_dir" {
  description = "Directory of the Python package, where the provisioners run; null = python/ next to the root module's directory."
  type        = string
  default     = null
}
