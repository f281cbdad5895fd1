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

# What create handed back, one read per instance. The read takes its vault ID from a local, not
# from terraform_data.run itself: a data source that references a managed resource waits for
# every planned change of that whole resource and of everything upstream of it (OpenTofu 1.12
# internal/tofu/transform_reference.go nodeDependencies; Terraform 1.5 dataDependsOn), which
# would defer aws-commercial's read when aws-govcloud's run is added, or every read when the
# vault's role assignment changes, and replace the runs that use the results. Through the local,
# a read waits only while its own run's output is unknown (created or replaced in this plan). For
# the same reason the read has no custom condition (a data source with one waits for every
# upstream change: node_resource_abstract_instance.go dependenciesHavePendingChanges): the check
# is the results output's precondition (outputs.tf). The list data source returns names and tags
# only, never a secret's value.
locals {
  result_vault_ids = var.result == null ? {} : { for key, run in terraform_data.run : key => run.output.key_vault_id }
}

data "azurerm_key_vault_secrets" "result" {
  for_each     = local.result_vault_ids
  key_vault_id = each.value
}
