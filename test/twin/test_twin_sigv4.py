"""SigV4 is checked on the public API and on the additions, refusing as AWS does.

References: AWS General Reference "Signature Version 4 signing process"; botocore's
``SigV4Auth`` (the signer used here to sign and, in the twin, to verify); the error codes
botocore surfaces for these refusals (``InvalidSignatureException``,
``UnrecognizedClientException``, IAM's ``SignatureDoesNotMatch`` / ``InvalidClientTokenId``).
"""

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from twin_client import directory_call, directory_url, instance

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


def wrong_secret_session(profile: str) -> boto3.Session:
    good = boto3.Session(profile_name=profile)
    key = good.get_credentials().access_key
    return boto3.Session(
        aws_access_key_id=key,
        aws_secret_access_key="wrong" * 8,
        region_name=good.region_name,
        profile_name=None,
    )


def test_public_json_api_rejects_a_bad_signature(twin_environ, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://aws.twin.internal")
    client = wrong_secret_session("aws-govcloud").client("sso-admin", config=NO_RETRY)
    with pytest.raises(ClientError) as error:
        client.list_instances()
    assert error.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_public_query_api_rejects_an_unknown_key_with_403(twin_environ, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://aws.twin.internal")
    session = boto3.Session(
        aws_access_key_id="AKIAUNKNOWNKEY000000", aws_secret_access_key="x" * 40, region_name="us-east-1"
    )
    with pytest.raises(ClientError) as error:
        session.client("iam", config=NO_RETRY).list_roles()
    assert error.value.response["Error"]["Code"] == "InvalidClientTokenId"
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_addition_rejects_a_bad_signature(twin_environ):
    good = boto3.Session(profile_name="aws-commercial").get_credentials()
    answer = directory_call(
        "aws-commercial",
        "ListProvisioningTenants",
        {"IdentityStoreId": instance("aws-commercial")["IdentityStoreId"]},
        credentials=Credentials(good.access_key, "not-the-secret"),
    )
    assert answer.status_code == 400
    assert answer.json()["__type"] == "InvalidSignatureException"
    assert answer.json()["message"].startswith("The request signature we calculated does not match")


def test_addition_rejects_an_unsigned_request(twin_environ):
    answer = requests.post(
        directory_url("us-east-1"),
        data="{}",
        timeout=10,
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSIdentityStoreService.ListProvisioningTenants",
        },
    )
    assert answer.status_code == 403
    assert answer.json()["__type"] == "MissingAuthenticationTokenException"


def test_addition_rejects_a_signature_for_another_service(twin_environ):
    from twin_client import signed_post

    answer = signed_post(
        "aws-commercial",
        directory_url("us-east-1"),
        "sso",
        "AWSIdentityStoreService.ListProvisioningTenants",
        {"IdentityStoreId": "d-1"},
    )
    assert answer.json()["__type"] == "InvalidSignatureException"
    assert "scoped to correct service: 'identitystore'" in answer.json()["message"]


def test_a_tampered_body_breaks_the_signature(twin_environ):
    import json

    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    session = boto3.Session(profile_name="aws-commercial")
    store = instance("aws-commercial")["IdentityStoreId"]
    request = AWSRequest(
        method="POST",
        url=directory_url("us-east-1"),
        data=json.dumps({"IdentityStoreId": store}),
        headers={
            "Content-Type": "application/x-amz-json-1.1",
            "X-Amz-Target": "AWSIdentityStoreService.ListProvisioningTenants",
        },
    )
    SigV4Auth(session.get_credentials(), "identitystore", "us-east-1").add_auth(request)
    prepared = request.prepare()
    genuine = requests.post(prepared.url, data=prepared.body, headers=dict(prepared.headers), timeout=10)
    assert genuine.status_code == 200
    tampered = requests.post(
        prepared.url,
        data=json.dumps({"IdentityStoreId": store + " "}),
        headers=dict(prepared.headers),
        timeout=10,
    )
    assert tampered.json()["__type"] == "InvalidSignatureException"
