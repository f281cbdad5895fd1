# A change touches only what changed (issue 21). Terraform and OpenTofu defer a data source's
# read to the apply whenever a managed resource it depends on has a planned change: the managed
# resources it references, those behind a module call's depends_on, and, for a data source with
# a custom condition, every managed resource upstream of it (OpenTofu 1.12
# internal/tofu/node_resource_abstract_instance.go dependenciesHavePendingChanges,
# internal/tofu/transform_reference.go nodeDependencies and parentModuleDependsOn; Terraform 1.5
# has the same logic). A deferred result read makes the provisioner environments that use it
# unknown, which replaces those runs (triggers_replace) and NikkiWolf's Identity Center user
# (an unknown user_name forces a new one). Each plan below must leave the pieces that did not
# change known and equal to what the apply before it made (the mock providers' values): an unknown
# value fails the assertion ("could not be evaluated"). OpenTofu 1.12 cannot read run.<name> in an
# assertion, hence the literal values.

run "apply_both" {
  variables {
    aws_accounts = ["aws-commercial", "aws-govcloud"]
  }
}

# A new identity running the pipeline replaces the Key Vault role assignment (principal_id
# forces a new one): the Entra users, apps, assignments and federations do not depend on who
# may write the vault, so none of them may be planned again.
run "an_upstream_change_leaves_every_provisioned_piece_alone" {
  command = plan

  override_data {
    target = data.azurerm_client_config.current
    values = {
      tenant_id       = "00000000-0000-4000-8000-000000000001"
      subscription_id = "00000000-0000-4000-8000-000000000002"
      object_id       = "00000000-0000-4000-8000-0000000000ff"
      client_id       = "00000000-0000-4000-8000-000000000004"
    }
  }

  assert {
    condition     = output.aws_accounts["aws-commercial"].nikki_user_id == "91111111-1111-4111-8111-111111111111" && output.aws_accounts["aws-govcloud"].nikki_user_id == "92222222-2222-4222-8222-222222222222"
    error_message = "NikkiWolf's Identity Center users must be kept when only the vault's role assignment changes."
  }

  assert {
    condition     = output.entra_application_ids == { "aws-commercial" = "00000000-0000-4000-8000-0000000000c1", "aws-govcloud" = "00000000-0000-4000-8000-0000000000c2" } && output.azure_id.entra_test_users == { NikkiWolf = "NikkiWolf@contoso.onmicrosoft.com" }
    error_message = "The Entra app and user results must be read at plan time when only the vault's role assignment changes."
  }

  assert {
    condition     = module.saml_federate.instances["aws-commercial"].input.environment.ENTRAIDC_APP_ID == "00000000-0000-4000-8000-0000000000c1" && module.saml_federate.instances["aws-govcloud"].input.environment.ENTRAIDC_APP_ID == "00000000-0000-4000-8000-0000000000c2"
    error_message = "The saml-federate runs must keep their environments when only the vault's role assignment changes."
  }
}
