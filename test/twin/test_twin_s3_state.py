"""S3 in the twin, as Terraform's S3 state backend uses it (twin/aws/s3.py), with the real boto3:
a bucket in aws-commercial, path-style and virtual-hosted addressing through the profile's
endpoint_url, the lock file's conditional write (PutObject If-None-Match: * answers 412
PreconditionFailed while the lock exists; Amazon S3 user guide, "Add preconditions to S3
operations with conditional requests"), aws-chunked uploads, and SigV4 still enforced."""

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

BUCKET = "entra-idc-lab-state"
LOCK = "entra-idc/terraform.tfstate.tflock"


def _s3(addressing: str = "auto", **kwargs):
    return boto3.Session(profile_name="aws-commercial").client(
        "s3", config=Config(s3={"addressing_style": addressing}), **kwargs)


@pytest.mark.usefixtures("twin_environ", "twin_reset")
@pytest.mark.parametrize("addressing", ["path", "virtual"])
def test_state_and_lock_file_round_trip(addressing):
    _s3("path").create_bucket(Bucket=BUCKET)
    s3 = _s3(addressing)
    s3.put_object(Bucket=BUCKET, Key="entra-idc/terraform.tfstate", Body=b'{"version": 4}')
    assert s3.get_object(Bucket=BUCKET, Key="entra-idc/terraform.tfstate")["Body"].read() == b'{"version": 4}'

    s3.put_object(Bucket=BUCKET, Key=LOCK, Body=b'{"ID": "first"}', IfNoneMatch="*")
    with pytest.raises(ClientError) as second:
        s3.put_object(Bucket=BUCKET, Key=LOCK, Body=b'{"ID": "second"}', IfNoneMatch="*")
    assert second.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    assert second.value.response["Error"]["Code"] == "PreconditionFailed"
    assert s3.get_object(Bucket=BUCKET, Key=LOCK)["Body"].read() == b'{"ID": "first"}'

    s3.delete_object(Bucket=BUCKET, Key=LOCK)
    s3.put_object(Bucket=BUCKET, Key=LOCK, Body=b'{"ID": "third"}', IfNoneMatch="*")


@pytest.mark.usefixtures("twin_environ", "twin_reset")
def test_a_wrong_secret_key_is_refused():
    _s3("path").create_bucket(Bucket=BUCKET)
    credentials = boto3.Session(profile_name="aws-commercial").get_credentials()
    forged = _s3("path", aws_access_key_id=credentials.access_key, aws_secret_access_key="not-the-secret")
    with pytest.raises(ClientError) as refused:
        forged.put_object(Bucket=BUCKET, Key="entra-idc/terraform.tfstate", Body=b"{}")
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


@pytest.mark.usefixtures("twin_environ", "twin_reset")
def test_buckets_are_per_account():
    _s3("path").create_bucket(Bucket=BUCKET)
    govcloud = boto3.Session(profile_name="aws-govcloud").client(
        "s3", config=Config(s3={"addressing_style": "path"}))
    assert BUCKET not in [b["Name"] for b in govcloud.list_buckets()["Buckets"]]


@pytest.mark.usefixtures("twin_environ", "twin_reset")
def test_listing_with_a_prefix_that_needs_encoding():
    """Terraform's S3 backend lists workspaces with prefix=env:/; the signature covers the encoded form."""
    s3 = _s3("virtual")
    _s3("path").create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="env:/staging/entra-idc/terraform.tfstate", Body=b"{}")
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="env:/", MaxKeys=1000)
    assert [o["Key"] for o in listed["Contents"]] == ["env:/staging/entra-idc/terraform.tfstate"]
