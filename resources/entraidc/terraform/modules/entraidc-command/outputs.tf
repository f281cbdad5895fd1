output "label" {
  description = "The NOT PURE TERRAFORM label of this call."
  value       = "NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc ${var.command} create|destroy — ${var.not_pure_terraform}"
}

output "instances" {
  description = "Instance key (as in var.instances) -> its terraform_data resource (input: working_dir, environment)."
  value       = { for key in keys(var.instances) : key => terraform_data.run["${var.command}/${key}"] }
}

output "results" {
  description = "Instance key -> the tags of the result secret its create wrote ({} without var.result)."
  value = {
    for key, read in data.azurerm_key_vault_secrets.result :
    trimprefix(key, "${var.command}/") => { for secret in read.secrets : secret.name => secret.tags }[local.runs[key].ENTRAIDC_RESULT_SECRET_NAME]
  }
}
