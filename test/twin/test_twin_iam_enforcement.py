"""The twin's two profiles are IAM users holding exactly docs/permissions.md's policies, and every public
and console operation is authorized against them (twin/aws/iam_enforcement.py): an action outside the
policy answers AccessDenied as IAM words it (IAM user guide, "Troubleshoot access denied error
messages"), in the protocol's error shape."""

import json

import boto3
import botocore.exceptions
import pytest
from twin_client import control_call, directory_call, instance

from twin.aws.iam_principals import documented_policies

COMMERCIAL_USER = "arn:aws:iam::111122223333:user/entraidc-automation"


def denial(action: str, user: str = COMMERCIAL_USER, resource: str = "*") -> str:
    return (f"User: {user} is not authorized to perform: {action} on resource: {resource} "
            f"because no identity-based policy allows the {action} action")


def test_each_profile_holds_exactly_the_documented_policies(twin_reset, twin_admin):
    status, held = twin_admin("GET", "/aws/iam")
    assert status == 200, held
    documented = documented_policies()
    assert set(documented) == {"EntraIdcPrepare", "EntraIdcSaml", "EntraIdcScim", "EntraIdcTeardown"}
    assert held["aws-commercial"] == {"user": COMMERCIAL_USER, "policies": documented}
    assert held["aws-govcloud"] == {"user": "arn:aws-us-gov:iam::444455556666:user/entraidc-automation",
                                    "policies": documented}


def test_the_caller_is_that_user(twin_environ):
    identity = boto3.Session(profile_name="aws-govcloud").client("sts").get_caller_identity()
    assert identity["Arn"] == "arn:aws-us-gov:iam::444455556666:user/entraidc-automation"


def test_a_public_action_outside_the_policy_is_refused_in_json(twin_environ, twin_reset, twin_aws_policy):
    sso = boto3.Session(profile_name="aws-commercial").client("sso-admin")
    assert sso.list_instances()["Instances"]
    twin_aws_policy("aws-commercial", without=["sso:ListInstances"])
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        sso.list_instances()
    error = refused.value.response
    assert error["Error"] == {"Code": "AccessDeniedException", "Message": denial("sso:ListInstances")}
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    # The other profile keeps the documented policy.
    assert boto3.Session(profile_name="aws-govcloud").client("sso-admin").list_instances()["Instances"]


def test_operations_the_twin_answers_itself_are_enforced_too(twin_environ, twin_reset, twin_aws_policy):
    """sso-admin DescribeInstance is answered by moto_gaps, not moto: still authorized first."""
    arn = instance("aws-commercial")["InstanceArn"]
    twin_aws_policy("aws-commercial", without=["sso:DescribeInstance"])
    sso = boto3.Session(profile_name="aws-commercial").client("sso-admin")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        sso.describe_instance(InstanceArn=arn)
    assert refused.value.response["Error"]["Message"] == denial("sso:DescribeInstance", resource=arn)


def test_a_query_protocol_action_outside_the_policy_is_refused_in_xml(twin_environ, twin_reset):
    iam = boto3.Session(profile_name="aws-commercial").client("iam")
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        iam.list_users()
    error = refused.value.response
    assert error["Error"]["Code"] == "AccessDenied"
    assert error["Error"]["Message"] == denial("iam:ListUsers")
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_get_caller_identity_needs_no_permission(twin_environ, twin_reset, twin_aws_policy):
    twin_aws_policy("aws-commercial", without=["sts:GetCallerIdentity"])
    sts = boto3.Session(profile_name="aws-commercial").client("sts")
    assert sts.get_caller_identity()["Account"] == "111122223333"


def test_console_directory_operations_check_their_sso_directory_action(twin_environ, twin_reset,
                                                                        twin_aws_policy):
    store = instance("aws-commercial")["IdentityStoreId"]
    assert directory_call("aws-commercial", "ListProvisioningTenants", {"IdentityStoreId": store}).ok
    twin_aws_policy("aws-commercial", without=["sso-directory:ListProvisioningTenants"])
    refused = directory_call("aws-commercial", "ListProvisioningTenants", {"IdentityStoreId": store})
    assert refused.status_code == 400
    assert refused.headers["x-amzn-ErrorType"] == "AccessDeniedException"
    assert refused.json() == {"__type": "AccessDeniedException",
                              "message": denial("sso-directory:ListProvisioningTenants")}


def test_console_control_operations_check_their_sso_action(twin_environ, twin_reset, twin_aws_policy):
    """The library never calls SWBService.*, so the documented policy does not allow it."""
    body = {"instanceArn": instance("aws-commercial")["InstanceArn"]}
    refused = control_call("aws-commercial", "ListDirectoryAssociations", body)
    assert refused.status_code == 400
    assert refused.json()["message"] == denial("sso:ListDirectoryAssociations")
    twin_aws_policy("aws-commercial", with_=["sso:ListDirectoryAssociations"])
    assert control_call("aws-commercial", "ListDirectoryAssociations", body).ok


def test_reset_restores_the_documented_policies(twin_environ, twin_admin):
    status, body = twin_admin("PUT", "/aws/iam/aws-commercial", {"without": ["sso:ListInstances"],
                                                                 "with": ["iam:ListUsers"]})
    assert status == 200, body
    assert "EntraIdcTwinTestExtra" in body["aws-commercial"]["policies"]
    assert twin_admin("POST", "/reset")[0] == 200
    assert twin_admin("GET", "/aws/iam")[1]["aws-commercial"]["policies"] == documented_policies()
    assert boto3.Session(profile_name="aws-commercial").client("sso-admin").list_instances()["Instances"]


def test_bad_variants_are_refused_with_the_fix(twin, twin_admin):
    status, body = twin_admin("PUT", "/aws/iam/aws-elsewhere", {"without": []})
    assert status == 404 and "aws-commercial" in body["error"]
    status, body = twin_admin("PUT", "/aws/iam/aws-commercial", {"without": "sso:ListInstances"})
    assert status == 400 and "list of IAM actions" in body["error"]


def test_every_documented_policy_fits_a_managed_policy():
    """IAM user guide, "IAM and AWS STS quotas": a managed policy holds at most 6,144 characters,
    white space not counted."""
    for name, document in documented_policies().items():
        assert len("".join(json.dumps(document).split())) <= 6144, name
