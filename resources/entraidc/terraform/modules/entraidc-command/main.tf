locals {
  # Destroy-time provisioners may refer only to self and each.key, so the instance key carries
  # the command name: "<command>/<key>".
  runs = { for key, environment in var.instances : "${var.command}/${key}" => environment }
}

# NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc <command> create|destroy — each call's not_pure_terraform names the tutorial step and why no allowed provider can do it (entra.tf).
resource "terraform_data" "run" {
  for_each = local.runs

  # Any change of the environment runs destroy, then create again.
  triggers_replace = each.value
  input = merge(
    {
      working_dir = coalesce(var.working_dir, "${path.root}/../python")
      environment = each.value
    },
    # Read back through `output`, which is unknown until this instance has been (re)created:
    # that defers reading its result to after the provisioner ran (data source below).
    var.result == null ? {} : { key_vault_id = var.result.key_vault_id },
  )

  # The command line is constant; the command name reaches the shell as ENTRAIDC_COMMAND.
  # This one runs at create (the default of `when`), the next one at destroy.
  provisioner "local-exec" {
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc \"$ENTRAIDC_COMMAND\" create"
    working_dir = self.input.working_dir
    environment = merge(self.input.environment, { ENTRAIDC_COMMAND = split("/", each.key)[0] })
  }

  provisioner "local-exec" {
    when        = destroy
    interpreter = ["/bin/sh", "-c"]
    command     = "exec \"$${ENTRAIDC_PYTHON:-python3}\" -m entraidc \"$ENTRAIDC_COMMAND\" destroy"
    working_dir = self.input.working_dir
    environment = merge(self.input.environment, { ENTRAIDC_COMMAND = split("/", each.key)[0] })
  }
}

# What create handed back, one read per instance keyed by its `output`: the read waits for that
# instance's provisioner, and only for it (depends_on would defer every read whenever any
# instance changes). The list data source returns names and tags only, never a secret's value.
data "azurerm_key_vault_secrets" "result" {
  for_each     = { for key, run in terraform_data.run : key => run.output.key_vault_id if var.result != null }
  key_vault_id = each.value

  lifecycle {
    postcondition {
      condition     = alltrue([for tag in var.result.tags : can({ for secret in self.secrets : secret.name => secret.tags }[local.runs[each.key].ENTRAIDC_RESULT_SECRET_NAME][tag])])
      error_message = "Key Vault secret ${local.runs[each.key].ENTRAIDC_RESULT_SECRET_NAME} is missing or lacks the tags ${join(" and ", var.result.tags)} that python -m entraidc ${each.key} create must write (README: Interface with the Python automation)."
    }
  }
}
