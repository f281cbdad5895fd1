output "label" {
  description = "The NOT PURE TERRAFORM label of this call."
  value       = "NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc ${var.command} create|destroy — ${var.not_pure_terraform}"
}

output "instances" {
  description = "Instance key (as in var.instances) -> its terraform_data resource (input: working_dir, environment)."
  value       = { for key in keys(var.instances) : key => terraform_data.run["${var.command}/${key}"] }
}

locals {
  result_tag_names = var.result == null ? [] : var.result.tags
  # Instance key -> the tags of its result secret ({} while the secret is missing), read without
  # indexing so that a secret removed by hand or by a partial destroy is reported by the
  # precondition below (a warning during destroy's refresh, which then goes on) instead of
  # failing every plan and destroy on an index error.
  result_tags = {
    for key, read in data.azurerm_key_vault_secrets.result :
    key => lookup({ for secret in read.secrets : secret.name => secret.tags }, local.runs[key].ENTRAIDC_RESULT_SECRET_NAME, {})
  }
  incomplete_results = [
    for key, tags in local.result_tags : local.runs[key].ENTRAIDC_RESULT_SECRET_NAME
    if !alltrue([for tag in local.result_tag_names : contains(keys(tags), tag)])
  ]
}

output "results" {
  description = "Instance key -> the tags of the result secret its create wrote ({} without var.result); a tag that is missing is null, and the precondition reports it."
  value = {
    for key, tags in local.result_tags :
    trimprefix(key, "${var.command}/") => tomap(merge({ for tag in local.result_tag_names : tag => null }, tags))
  }

  precondition {
    condition     = length(local.incomplete_results) == 0
    error_message = "Key Vault secret(s) ${join(", ", local.incomplete_results)} missing or lacking the tags ${join(" and ", local.result_tag_names)} that python -m entraidc ${var.command} create must write (README: Interface with the Python automation)."
  }
}
