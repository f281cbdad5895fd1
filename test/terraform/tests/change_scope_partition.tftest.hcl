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

run "apply_aws_commercial_only" {
  variables {
    aws_accounts = ["aws-commercial"]
  }
}

run "adding_aws_govcloud_leaves_aws_commercial_alone" {
  command = plan
  variables {
    aws_accounts = ["aws-commercial", "aws-govcloud"]
  }

  assert {
    condition     = output.aws_accounts["aws-commercial"].nikki_user_id == "91111111-1111-4111-8111-111111111111"
    error_message = "NikkiWolf's Identity Center user in aws-commercial must be kept (a deferred result read would replace her)."
  }

  assert {
    condition     = module.saml_federate.instances["aws-commercial"].input.environment.ENTRAIDC_APP_ID == "00000000-0000-4000-8000-0000000000c1" && module.saml_federate.instances["aws-commercial"].input.environment.ENTRAIDC_SERVICE_PRINCIPAL_ID == "00000000-0000-4000-8000-0000000000d1"
    error_message = "aws-commercial's saml-federate run must keep its environment: re-running it switches the identity source back and again."
  }

  assert {
    condition     = module.entra_assign.instances["aws-commercial/NikkiWolf"].input.environment.ENTRAIDC_USER_OBJECT_ID == "00000000-0000-4000-8000-0000000000a1" && module.entra_assign.instances["aws-commercial/NikkiWolf"].input.environment.ENTRAIDC_APP_ID == "00000000-0000-4000-8000-0000000000c1"
    error_message = "aws-commercial's app assignment of NikkiWolf must keep its environment."
  }

  assert {
    condition     = output.entra_application_ids["aws-commercial"] == "00000000-0000-4000-8000-0000000000c1"
    error_message = "aws-commercial's Entra app result must be read at plan time, not deferred by aws-govcloud's new app."
  }
}
