# State of the layout before modules/entraidc-command (one terraform_data per command in
# entra.tf) moves to the module's instances, whose keys carry the command name. Nothing is
# replaced and no provisioner runs (test/terraform/twin/test_state_move.py).

moved {
  from = terraform_data.entra_user["NikkiWolf"]
  to   = module.entra_users["saml"].terraform_data.run["entra-users/NikkiWolf"]
}

moved {
  from = terraform_data.entra_scim_user["RichRoe"]
  to   = module.entra_users["scim"].terraform_data.run["entra-users/RichRoe"]
}

moved {
  from = terraform_data.entra_app["aws-commercial"]
  to   = module.entra_app.terraform_data.run["entra-app/aws-commercial"]
}

moved {
  from = terraform_data.entra_app["aws-govcloud"]
  to   = module.entra_app.terraform_data.run["entra-app/aws-govcloud"]
}

moved {
  from = terraform_data.entra_assign["aws-commercial/NikkiWolf"]
  to   = module.entra_assign.terraform_data.run["entra-assign/aws-commercial/NikkiWolf"]
}

moved {
  from = terraform_data.entra_assign["aws-commercial/RichRoe"]
  to   = module.entra_assign.terraform_data.run["entra-assign/aws-commercial/RichRoe"]
}

moved {
  from = terraform_data.entra_assign["aws-govcloud/NikkiWolf"]
  to   = module.entra_assign.terraform_data.run["entra-assign/aws-govcloud/NikkiWolf"]
}

moved {
  from = terraform_data.entra_assign["aws-govcloud/RichRoe"]
  to   = module.entra_assign.terraform_data.run["entra-assign/aws-govcloud/RichRoe"]
}

moved {
  from = terraform_data.saml_federate["aws-commercial"]
  to   = module.saml_federate.terraform_data.run["saml-federate/aws-commercial"]
}

moved {
  from = terraform_data.saml_federate["aws-govcloud"]
  to   = module.saml_federate.terraform_data.run["saml-federate/aws-govcloud"]
}
