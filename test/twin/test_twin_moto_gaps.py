"""Public operations moto lacks, answered by the twin with the botocore models' shapes
(sso-admin 2020-07-20: TagResource/ListTagsForResource, DescribePermissionSetProvisioningStatus,
*InstanceAccessControlAttributeConfiguration; identitystore 2020-06-15: UpdateUser), and a
clear non-retried 501 for anything else moto does not implement."""

import re

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def sso(twin_environ, twin_reset):
    client = boto3.Session(profile_name="aws-govcloud").client("sso-admin", config=NO_RETRY)
    return client, client.list_instances()["Instances"][0]


def test_permission_set_tags_given_at_creation_and_later(sso):
    client, instance = sso
    arn = client.create_permission_set(
        Name="RegionalAdmin",
        InstanceArn=instance["InstanceArn"],
        Tags=[{"Key": "entraidc:owner", "Value": "lab"}],
    )["PermissionSet"]["PermissionSetArn"]
    client.tag_resource(
        InstanceArn=instance["InstanceArn"], ResourceArn=arn, Tags=[{"Key": "b", "Value": "2"}]
    )
    client.untag_resource(InstanceArn=instance["InstanceArn"], ResourceArn=arn, TagKeys=["b"])
    tags = client.list_tags_for_resource(InstanceArn=instance["InstanceArn"], ResourceArn=arn)["Tags"]
    assert tags == [{"Key": "entraidc:owner", "Value": "lab"}]


def test_provisioning_status_of_a_provision_request(sso):
    client, instance = sso
    arn = client.create_permission_set(Name="P", InstanceArn=instance["InstanceArn"])["PermissionSet"][
        "PermissionSetArn"
    ]
    request = client.provision_permission_set(
        InstanceArn=instance["InstanceArn"], PermissionSetArn=arn, TargetType="ALL_PROVISIONED_ACCOUNTS"
    )
    request_id = request["PermissionSetProvisioningStatus"]["RequestId"]
    status = client.describe_permission_set_provisioning_status(
        InstanceArn=instance["InstanceArn"], ProvisionPermissionSetRequestId=request_id
    )
    assert status["PermissionSetProvisioningStatus"]["Status"] == "SUCCEEDED"


def _matches_model(operation: str, member: str, value) -> bool:
    """Whether ``value`` fits the botocore sso-admin 2020-07-20 shape of PermissionSet.<member>
    in ``operation``'s output (type and pattern), which is what the Go SDK decodes against."""
    model = boto3.session.Session().client("sso-admin", region_name="us-east-1").meta.service_model
    shape = model.operation_model(operation).output_shape.members["PermissionSet"].members[member]
    pattern = shape.metadata.get("pattern")
    if shape.type_name != "string" or not isinstance(value, str):
        return False
    return not pattern or re.fullmatch(pattern, value) is not None


def test_update_without_session_duration_leaves_one_the_model_can_decode(sso):
    """DescribePermissionSet's SessionDuration is a botocore ``Duration``: a string, ISO-8601 (pattern in
    the model). moto 5.2.5 stores the number 3600 when UpdatePermissionSet has no SessionDuration, which
    the Go SDK (Terraform) cannot decode."""
    client, instance = sso
    arn = client.create_permission_set(
        Name="Short", InstanceArn=instance["InstanceArn"], SessionDuration="PT2H", RelayState="https://x/"
    )["PermissionSet"]["PermissionSetArn"]
    client.update_permission_set(InstanceArn=instance["InstanceArn"], PermissionSetArn=arn, Description="new")
    described = client.describe_permission_set(InstanceArn=instance["InstanceArn"], PermissionSetArn=arn)
    duration = described["PermissionSet"]["SessionDuration"]
    assert _matches_model("DescribePermissionSet", "SessionDuration", duration), repr(duration)
    assert duration == "PT1H"
    assert described["PermissionSet"]["Description"] == "new"


def test_create_without_session_duration_describes_one_the_model_can_decode(sso):
    client, instance = sso
    arn = client.create_permission_set(Name="Default", InstanceArn=instance["InstanceArn"])["PermissionSet"][
        "PermissionSetArn"
    ]
    described = client.describe_permission_set(InstanceArn=instance["InstanceArn"], PermissionSetArn=arn)
    duration = described["PermissionSet"]["SessionDuration"]
    assert _matches_model("DescribePermissionSet", "SessionDuration", duration), repr(duration)


def test_abac_configuration_lifecycle(sso):
    client, instance = sso
    arn = instance["InstanceArn"]
    with pytest.raises(ClientError) as missing:
        client.describe_instance_access_control_attribute_configuration(InstanceArn=arn)
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    attributes = [{"Key": "CostCenter", "Value": {"Source": ["${path:enterprise.costCenter}"]}}]
    client.create_instance_access_control_attribute_configuration(
        InstanceArn=arn, InstanceAccessControlAttributeConfiguration={"AccessControlAttributes": attributes}
    )
    described = client.describe_instance_access_control_attribute_configuration(InstanceArn=arn)
    assert described["Status"] == "ENABLED"
    assert described["InstanceAccessControlAttributeConfiguration"]["AccessControlAttributes"] == attributes
    client.delete_instance_access_control_attribute_configuration(InstanceArn=arn)


def test_update_user(sso):
    session = boto3.Session(profile_name="aws-govcloud")
    store = sso[1]["IdentityStoreId"]
    client = session.client("identitystore")
    user_id = client.create_user(
        IdentityStoreId=store,
        UserName="NikkiWolf",
        DisplayName="Nikki Wolf",
        Name={"GivenName": "Nikki", "FamilyName": "Wolf"},
    )["UserId"]
    client.update_user(
        IdentityStoreId=store,
        UserId=user_id,
        Operations=[
            {"AttributePath": "displayName", "AttributeValue": "Nikki W."},
            {"AttributePath": "name.givenName", "AttributeValue": "Nicole"},
        ],
    )
    user = client.describe_user(IdentityStoreId=store, UserId=user_id)
    assert (user["DisplayName"], user["Name"]["GivenName"], user["Name"]["FamilyName"]) == (
        "Nikki W.",
        "Nicole",
        "Wolf",
    )


def test_an_operation_moto_lacks_fails_at_once_with_501(sso, twin_aws_policy):
    client, instance = sso
    twin_aws_policy("aws-govcloud", with_=["sso:ListApplications"])  # not in the documented policy
    with pytest.raises(ClientError) as error:
        client.list_applications(InstanceArn=instance["InstanceArn"])
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert "not implemented by the twin" in error.value.response["Error"]["Message"]


def test_describe_instance_answers_the_model_shape(sso):
    client, instance = sso
    described = client.describe_instance(InstanceArn=instance["InstanceArn"])
    assert described["Status"] == "ACTIVE" and described["PermissionSetsEnabled"] is True
    assert described["IdentityStoreId"] == instance["IdentityStoreId"]
    assert described["OwnerAccountId"] == "444455556666" and described["PrimaryRegion"] == "us-gov-west-1"
    store_arn = "arn:aws-us-gov:identitystore::444455556666:identitystore/"
    assert described["IdentityStoreArn"] == store_arn + instance["IdentityStoreId"]
