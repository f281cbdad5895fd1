# modules/entraidc-command on its own (mock providers: tests/mocks/providers.hcl, added by
# run.sh; ENTRAIDC_PYTHON=true, so the provisioners run `true -m entraidc ...`).

variables {
  command            = "entra-app"
  not_pure_terraform = "the gallery application (Step 1.1) is instantiated from a Microsoft Graph application template."
  instances = {
    aws-govcloud = { ENTRAIDC_ACCOUNT_NICKNAME = "aws-govcloud", ENTRAIDC_RESULT_SECRET_NAME = "entraidc-app-aws-govcloud" }
  }
  result = {
    key_vault_id = "/subscriptions/00000000-0000-4000-8000-000000000002/resourceGroups/rg-entraidc/providers/Microsoft.KeyVault/vaults/entraidc-test"
    tags         = ["appId", "servicePrincipalId"]
  }
  # path.root is the module's own directory here; the provisioners run where run.sh made python/.
  working_dir = "./../python"
}

run "an_unknown_command_is_refused" {
  command = plan
  module {
    source = "./modules/entraidc-command"
  }
  variables {
    command = "entra-user"
  }

  expect_failures = [var.command]
}

run "a_label_without_the_tutorial_step_is_refused" {
  command = plan
  module {
    source = "./modules/entraidc-command"
  }
  variables {
    not_pure_terraform = "Microsoft Graph objects cannot be managed by the allowed providers."
  }

  expect_failures = [var.not_pure_terraform]
}

run "the_label_names_command_step_and_reason" {
  command = plan
  module {
    source = "./modules/entraidc-command"
  }

  assert {
    condition     = output.label == "NOT PURE TERRAFORM: terraform_data + local-exec -> python -m entraidc entra-app create|destroy — the gallery application (Step 1.1) is instantiated from a Microsoft Graph application template."
    error_message = "The label must name the command, the tutorial step and the reason."
  }

  assert {
    condition     = keys(terraform_data.run) == ["entra-app/aws-govcloud"] && keys(output.instances) == ["aws-govcloud"]
    error_message = "Instance keys carry the command name (the destroy-time provisioner can read only self and each.key); the output keeps the caller's keys."
  }
}

run "the_result_is_read_from_the_tags_of_the_result_secret" {
  module {
    source = "./modules/entraidc-command"
  }

  assert {
    condition     = keys(output.results) == ["aws-govcloud"] && output.results["aws-govcloud"] == tomap({ appId = "00000000-0000-4000-8000-0000000000c2", servicePrincipalId = "00000000-0000-4000-8000-0000000000d2", managedBy = "entra-idc" })
    error_message = "results must be the tags of the secret named by ENTRAIDC_RESULT_SECRET_NAME."
  }
}

run "a_command_without_result_reads_nothing" {
  module {
    source = "./modules/entraidc-command"
  }
  variables {
    command = "entra-assign"
    result  = null
  }

  assert {
    condition     = output.results == {} && length(data.azurerm_key_vault_secrets.result) == 0 && !contains(keys(terraform_data.run["entra-assign/aws-govcloud"].input), "key_vault_id")
    error_message = "Without result, nothing is read back and the input holds no vault."
  }
}

run "missing_result_tags_from_the_python_automation_are_reported" {
  module {
    source = "./modules/entraidc-command"
  }

  override_data {
    target = data.azurerm_key_vault_secrets.result
    values = {
      secrets = [
        { name = "entraidc-app-aws-govcloud", id = "https://entraidc-test.vault.azure.net/secrets/entraidc-app-aws-govcloud", enabled = true, tags = { appId = "00000000-0000-4000-8000-0000000000c2" } },
      ]
    }
  }

  expect_failures = [output.results]
}
