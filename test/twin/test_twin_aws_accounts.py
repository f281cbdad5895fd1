"""Unmodified boto3 with the two profiles lands in two accounts and two partitions.

References: botocore models sso-admin 2020-07-20 (ListInstances: InstanceArn, IdentityStoreId,
OwnerAccountId) and sts 2011-06-15 (GetCallerIdentity); ARN partition ``aws-us-gov`` for
GovCloud (AWS General Reference, "Amazon Resource Names").
"""

import boto3


def test_govcloud_profile_sees_an_identity_center_instance_in_the_aws_us_gov_partition(twin_environ):
    instances = boto3.Session(profile_name="aws-govcloud").client("sso-admin").list_instances()["Instances"]
    assert len(instances) == 1
    assert instances[0]["InstanceArn"].startswith("arn:aws-us-gov:sso:::instance/ssoins-")
    assert instances[0]["IdentityStoreId"].startswith("d-")
    assert instances[0]["OwnerAccountId"] == "444455556666"


def test_commercial_profile_is_in_the_aws_partition(twin_environ):
    session = boto3.Session(profile_name="aws-commercial")
    assert session.region_name == "us-east-1"
    arn = session.client("sso-admin").list_instances()["Instances"][0]["InstanceArn"]
    assert arn.startswith("arn:aws:sso:::instance/ssoins-")


def test_profiles_land_in_different_accounts(twin_environ):
    accounts = {
        p: boto3.Session(profile_name=p).client("sts").get_caller_identity()
        for p in ("aws-commercial", "aws-govcloud")
    }
    assert accounts["aws-commercial"]["Account"] == "111122223333"
    assert accounts["aws-govcloud"]["Account"] == "444455556666"
    assert accounts["aws-govcloud"]["Arn"].startswith("arn:aws-us-gov:")


def test_objects_made_in_one_account_are_not_seen_in_the_other(twin_environ, twin_reset):
    commercial = boto3.Session(profile_name="aws-commercial").client("secretsmanager")
    govcloud = boto3.Session(profile_name="aws-govcloud").client("secretsmanager")
    arn = commercial.create_secret(Name="entraidc/scim-token", SecretString="x")["ARN"]
    assert arn.startswith("arn:aws:secretsmanager:us-east-1:111122223333:secret:entraidc/scim-token-")
    assert [s["Name"] for s in commercial.list_secrets()["SecretList"]] == ["entraidc/scim-token"]
    assert govcloud.list_secrets()["SecretList"] == []


def test_the_instance_survives_reset_with_the_same_arn(twin_environ, twin_admin):
    client = boto3.Session(profile_name="aws-govcloud").client("sso-admin")
    before = client.list_instances()["Instances"][0]
    assert twin_admin("POST", "/reset")[0] == 200
    after = client.list_instances()["Instances"][0]
    assert (after["InstanceArn"], after["IdentityStoreId"]) == (
        before["InstanceArn"],
        before["IdentityStoreId"],
    )
