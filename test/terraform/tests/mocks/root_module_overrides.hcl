# The root module's GovCloud instance: what differs from the commercial partition, by address.
# run.sh appends this file to the test files of the root module (not to those of a child module,
# where these addresses do not exist). At a test file's top level rather than inside the
# mock_provider: OpenTofu 1.8, the oldest the module supports, accepts override blocks only in test
# files and runs.
override_data {
  target = module.aws_govcloud.data.aws_partition.current
  values = { partition = "aws-us-gov", dns_suffix = "amazonaws.com" }
}
override_data {
  target = module.aws_govcloud.data.aws_caller_identity.current
  values = { account_id = "222222222222" }
}
override_data {
  target = module.aws_govcloud.data.aws_region.current
  values = { region = "us-gov-west-1" }
}
override_data {
  target = module.aws_govcloud.data.aws_ssoadmin_instances.current
  values = {
    arns               = ["arn:aws-us-gov:sso:::instance/ssoins-2222222222222222"]
    identity_store_ids = ["d-2222222222"]
  }
}
override_resource {
  target = module.aws_govcloud.aws_ssoadmin_permission_set.this
  values = { arn = "arn:aws-us-gov:sso:::permissionSet/ssoins-2222222222222222/ps-2222222222222222" }
}
override_resource {
  target = module.aws_govcloud.aws_identitystore_user.nikki
  values = { user_id = "92222222-2222-4222-8222-222222222222" }
}
