# Lifecycle of the root module with mock providers (tests/mocks/providers.hcl, added by
# run.sh): apply the SAML phase, then the SCIM phase before and after SCIM created RichRoe,
# then ABAC, as the pipeline steps do; the plans after an apply see what the provisioners
# reported through the vault (mocked). run.sh sets ENTRAIDC_PYTHON=true, so the provisioners
# run `true -m entraidc ...`: no Python command runs and nothing is reached.

run "saml_phase_apply" {
  command = apply

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.nikki_user_name == "NikkiWolf@contoso.onmicrosoft.com"])
    error_message = "NikkiWolf's Identity Center user name must be her Entra user principal name in both accounts."
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.account_assignments == { "NikkiWolf@contoso.onmicrosoft.com" = "RegionalAdmin" }])
    error_message = "The SAML phase assigns NikkiWolf RegionalAdmin, and nothing else, in both accounts."
  }

  assert {
    condition     = keys(module.entra_users["saml"].instances) == ["NikkiWolf"] && length(module.entra_assign.instances) == 2 && length(module.entra_app.instances) == 2 && length(module.saml_federate.instances) == 2
    error_message = "The SAML phase must create NikkiWolf only, one app and one assignment per account, and SAML for both."
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.scim_token_secret_name == null && length(account.abac_attributes) == 0])
    error_message = "The SAML phase must not create the SCIM token secret or ABAC attributes."
  }

  assert {
    condition     = output.entra_application_ids == { "aws-commercial" = "00000000-0000-4000-8000-0000000000c1", "aws-govcloud" = "00000000-0000-4000-8000-0000000000c2" }
    error_message = "entra_application_ids must come from the app result secrets' tags."
  }

  assert {
    condition = { for nickname, account in output.aws_accounts : nickname => account.access_portal_url } == {
      aws-commercial = "https://mycorp.awsapps.com/start"
      aws-govcloud   = "https://start.us-gov-home.awsapps.com/directory/d-2222222222"
    }
    error_message = "access_portal_url must be the sign-in URL the service answered (saml-federate's result secret), not one built from the identity store ID."
  }

  assert {
    condition     = output.phases == { saml = true, scim = false, abac = false }
    error_message = "The default is the SAML phase only."
  }
}

run "second_saml_plan_feeds_the_reported_ids_to_the_provisioners" {
  command = plan

  assert {
    condition = alltrue([for resource in flatten([for call in concat(values(module.entra_users), [module.entra_app, module.entra_assign, module.saml_federate]) : values(call.instances)]) :
      resource.input.working_dir == "./../python" && resource.triggers_replace == resource.input.environment
    ])
    error_message = "Each provisioner resource must run in ../python and be replaced whenever its environment changes."
  }

  assert {
    condition = sort(keys(module.entra_assign.instances["aws-govcloud/NikkiWolf"].input.environment)) == sort([
      "ENTRAIDC_ACCOUNT_NICKNAME", "ENTRAIDC_APP_ID", "ENTRAIDC_KEY_VAULT_URI", "ENTRAIDC_OWNER_MARKER",
      "ENTRAIDC_SERVICE_PRINCIPAL_ID", "ENTRAIDC_TENANT_ID", "ENTRAIDC_USER_NAME", "ENTRAIDC_USER_OBJECT_ID",
      "ENTRAIDC_USER_PRINCIPAL_NAME",
    ])
    error_message = "entra-assign must get exactly the documented environment."
  }

  assert {
    condition     = module.entra_assign.instances["aws-govcloud/NikkiWolf"].input.environment.ENTRAIDC_APP_ID == "00000000-0000-4000-8000-0000000000c2" && module.entra_assign.instances["aws-govcloud/NikkiWolf"].input.environment.ENTRAIDC_USER_PRINCIPAL_NAME == "NikkiWolf@contoso.onmicrosoft.com"
    error_message = "entra-assign must get the app and NikkiWolf's UPN reported through the vault."
  }

  assert {
    condition = {
      for name in ["ENTRAIDC_INSTANCE_ARN", "ENTRAIDC_IDENTITY_STORE_ID"] : name => module.saml_federate.instances["aws-commercial"].input.environment[name]
    } == { ENTRAIDC_INSTANCE_ARN = "arn:aws:sso:::instance/ssoins-1111111111111111", ENTRAIDC_IDENTITY_STORE_ID = "d-1111111111" }
    error_message = "saml-federate must get its account's Identity Center instance."
  }
}

run "planning_the_scim_phase_leaves_nikki_and_the_saml_pieces_alone" {
  command = plan
  variables {
    enable_scim = true
  }

  # Adding RichRoe must not defer NikkiWolf's result: an unknown user name would replace her
  # Identity Center user, and unknown environments would re-run her provisioners.
  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : account.nikki_user_name == "NikkiWolf@contoso.onmicrosoft.com"])
    error_message = "NikkiWolf's user name must stay known while the SCIM phase is planned."
  }

  assert {
    condition     = module.entra_assign.instances["aws-commercial/NikkiWolf"].input.environment.ENTRAIDC_USER_PRINCIPAL_NAME == "NikkiWolf@contoso.onmicrosoft.com" && module.saml_federate.instances["aws-govcloud"].input.environment.ENTRAIDC_APP_ID == "00000000-0000-4000-8000-0000000000c2"
    error_message = "The SAML-phase provisioners' inputs must stay known (and unchanged) while the SCIM phase is planned."
  }
}

run "scim_phase_apply_before_scim_has_run" {
  command = apply
  variables {
    enable_scim = true
  }

  assert {
    condition     = alltrue([for account in values(output.aws_accounts) : !contains(values(account.account_assignments), "AdministratorAccess")])
    error_message = "No AdministratorAccess assignment before SCIM has created RichRoe."
  }

  assert {
    condition     = output.azure_id.entra_test_users == { NikkiWolf = "NikkiWolf@contoso.onmicrosoft.com", RichRoe = "RichRoe@contoso.onmicrosoft.com" }
    error_message = "Both Entra test users are reported with their own UPNs."
  }
}

run "scim_phase_apply_after_scim_created_richroe" {
  command = apply
  variables {
    enable_scim = true
  }

  override_data {
    target = module.aws_govcloud.data.aws_identitystore_users.all
    values = {
      users = [
        { user_name = "NikkiWolf@contoso.onmicrosoft.com", user_id = "92222222-2222-4222-8222-0000000000a1", display_name = "NikkiWolf", identity_store_id = "d-2222222222",
          addresses = [], emails = [], external_ids = [], name = [], phone_numbers = [], locale = "", nickname = "",
        preferred_language = "", profile_url = "", timezone = "", title = "", user_status = "ENABLED", user_type = "" },
        { user_name = "RichRoe@contoso.onmicrosoft.com", user_id = "92222222-2222-4222-8222-0000000000a2", display_name = "RichRoe", identity_store_id = "d-2222222222",
          addresses = [], emails = [], external_ids = [], name = [], phone_numbers = [], locale = "", nickname = "",
        preferred_language = "", profile_url = "", timezone = "", title = "", user_status = "ENABLED", user_type = "" },
        { user_name = "RichRoeSenior@contoso.onmicrosoft.com", user_id = "92222222-2222-4222-8222-0000000000a3", display_name = "RichRoeSenior", identity_store_id = "d-2222222222",
          addresses = [], emails = [], external_ids = [], name = [], phone_numbers = [], locale = "", nickname = "",
        preferred_language = "", profile_url = "", timezone = "", title = "", user_status = "ENABLED", user_type = "" },
      ]
    }
  }

  assert {
    condition = output.aws_accounts["aws-govcloud"].account_assignments == {
      "NikkiWolf@contoso.onmicrosoft.com" = "RegionalAdmin"
      "RichRoe@contoso.onmicrosoft.com"   = "AdministratorAccess"
    }
    error_message = "Exactly RichRoe (not a user whose name only starts alike) must get AdministratorAccess in GovCloud."
  }

  assert {
    condition     = output.aws_accounts["aws-commercial"].account_assignments == { "NikkiWolf@contoso.onmicrosoft.com" = "RegionalAdmin" }
    error_message = "aws-commercial has no RichRoe yet in this run, so no assignment there."
  }
}

run "abac_apply" {
  command = apply
  variables {
    enable_scim = true
    enable_abac = true
  }

  assert {
    condition     = output.phases == { saml = true, scim = true, abac = true }
    error_message = "All phases are on."
  }
}
