"""Finding 3 of issue 11: preflight stops early, naming the console step, on an Identity Center
instance that cannot do the tutorial (sso-admin DescribeInstance: Status, PermissionSetsEnabled).
botocore's Stubber checks every request and answer against the sso-admin and sts models."""

import boto3
import pytest
from botocore.stub import Stubber
from entraidc.aws import ACCOUNTS, identity_center_instance
from entraidc.errors import InputError

ARN = "arn:aws:sso:::instance/ssoins-1111222233334444"


class StubbedSession:
    def __init__(self, described: dict):
        plain = boto3.Session(
            aws_access_key_id="AKIAEXAMPLE", aws_secret_access_key="x", region_name="us-east-1"
        )
        self.clients = {"sts": plain.client("sts"), "sso-admin": plain.client("sso-admin")}
        self.stubs = {name: Stubber(client) for name, client in self.clients.items()}
        self.stubs["sts"].add_response(
            "get_caller_identity",
            {"Account": "111122223333", "Arn": "arn:aws:iam::111122223333:user/a", "UserId": "A"},
        )
        self.stubs["sso-admin"].add_response(
            "list_instances", {"Instances": [{"InstanceArn": ARN, "IdentityStoreId": "d-1234567890"}]}
        )
        self.stubs["sso-admin"].add_response(
            "describe_instance", {"InstanceArn": ARN, **described}, {"InstanceArn": ARN}
        )
        for stub in self.stubs.values():
            stub.activate()

    def client(self, name):
        return self.clients[name]


@pytest.mark.parametrize(
    "described, words",
    [
        (
            {"Status": "ACTIVE", "PermissionSetsEnabled": False},
            ["has no permission sets", "Enable with AWS Organizations"],
        ),
        ({"Status": "CREATE_IN_PROGRESS"}, ["is CREATE_IN_PROGRESS", "wait until it is ACTIVE"]),
    ],
)
def test_an_instance_that_cannot_hold_permission_sets_is_refused(described, words):
    with pytest.raises(InputError) as refused:
        identity_center_instance(ACCOUNTS["aws-commercial"], StubbedSession(described))
    for word in words:
        assert word in str(refused.value)


def test_an_active_organization_instance_passes():
    session = StubbedSession({"Status": "ACTIVE", "PermissionSetsEnabled": True})
    found = identity_center_instance(ACCOUNTS["aws-commercial"], session)
    session.stubs["sso-admin"].assert_no_pending_responses()  # DescribeInstance was asked
    assert found.instance_arn == ARN and found.account_id == "111122223333"
