"""The two AWS accounts, hardcoded like the Terraform module (resources/entraidc/terraform/locals.tf)."""

from dataclasses import dataclass

import boto3
import botocore.exceptions

from .errors import InputError, permission_hint


@dataclass(frozen=True)
class AwsAccount:
    nickname: str
    profile: str
    region: str
    partition: str

    @property
    def dns_suffix(self) -> str:
        # Both partitions serve their service endpoints under amazonaws.com
        # (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-endpoints.html).
        return "amazonaws.com"


    def default_access_portal_url(self, identity_store_id: str) -> str:
        """The access-portal URL built from the identity store ID, as the module's
        modules/identity-center/main.tf builds it (the fallback when the service answers none)."""
        if self.partition == "aws-us-gov":
            return f"https://start.us-gov-home.awsapps.com/directory/{identity_store_id}"
        return f"https://{identity_store_id}.awsapps.com/start"


ACCOUNTS = {
    "aws-commercial": AwsAccount("aws-commercial", "aws-commercial", "us-east-1", "aws"),
    "aws-govcloud": AwsAccount("aws-govcloud", "aws-govcloud", "us-gov-west-1", "aws-us-gov"),
}


def account(nickname: str) -> AwsAccount:
    try:
        return ACCOUNTS[nickname]
    except KeyError:
        raise InputError(
            f"unknown AWS account nickname {nickname!r}: use one of {', '.join(ACCOUNTS)}"
        ) from None


def session(acct: AwsAccount) -> boto3.Session:
    try:
        return boto3.Session(profile_name=acct.profile, region_name=acct.region)
    except botocore.exceptions.ProfileNotFound:
        raise InputError(
            f"AWS profile {acct.profile!r} is not configured on this agent: add it to the AWS shared "
            "config (~/.aws/config or AWS_CONFIG_FILE).",
            account=acct.nickname,
        ) from None


@dataclass(frozen=True)
class Instance:
    instance_arn: str
    identity_store_id: str
    account_id: str


def identity_center_instance(acct: AwsAccount, sess: boto3.Session | None = None) -> Instance:
    """The account's single IAM Identity Center instance, or a clear error."""
    sess = sess or session(acct)
    try:
        account_id = sess.client("sts").get_caller_identity()["Account"]
        instances = sess.client("sso-admin").list_instances()["Instances"]
    except (
        botocore.exceptions.NoCredentialsError,
        botocore.exceptions.ClientError,
        botocore.exceptions.EndpointConnectionError,
    ) as exc:
        code = exc.response["Error"].get("Code") if isinstance(exc, botocore.exceptions.ClientError) else None
        raise InputError(
            f"profile {acct.profile!r} does not answer: {exc}{permission_hint(code)}", account=acct.nickname
        ) from None
    if len(instances) != 1:
        raise InputError(
            f"expected one IAM Identity Center instance in {acct.region}, found {len(instances)}: "
            "enable IAM Identity Center in that Region (console: IAM Identity Center > Enable).",
            account=acct.nickname,
        )
    found = instances[0]
    if not found["InstanceArn"].startswith(f"arn:{acct.partition}:"):
        raise InputError(
            f"profile {acct.profile!r} reaches {found['InstanceArn']}, not partition {acct.partition}: "
            "point the profile at the right account.",
            account=acct.nickname,
        )
    check_instance_kind(acct, sess.client("sso-admin").describe_instance(InstanceArn=found["InstanceArn"]))
    return Instance(found["InstanceArn"], found["IdentityStoreId"], account_id)


def check_instance_kind(acct: AwsAccount, described: dict) -> None:
    """The tutorial needs an ACTIVE organization instance with permission sets (sso-admin
    DescribeInstance: Status, PermissionSetsEnabled). Account instances cannot hold permission sets or
    AWS account assignments (IAM Identity Center user guide, "Account instances of IAM Identity
    Center"); an absent PermissionSetsEnabled (older service answers) is not held against it."""
    arn = described.get("InstanceArn", "")
    if described.get("Status") != "ACTIVE":
        raise InputError(
            f"IAM Identity Center instance {arn} is {described.get('Status')}"
            f"{': ' + described['StatusReason'] if described.get('StatusReason') else ''}; wait until it "
            "is ACTIVE (console: IAM Identity Center > Settings > Details > Status).",
            account=acct.nickname,
        )
    if described.get("PermissionSetsEnabled") is False:
        raise InputError(
            f"IAM Identity Center instance {arn} has no permission sets (an account instance, or permission "
            "sets not enabled), so it cannot hold RegionalAdmin, AdministratorAccess or account "
            "assignments: use an organization instance (console, in the organization's management "
            "account: IAM Identity Center > Enable > Enable with AWS Organizations) and point profile "
            f"{acct.profile!r} at it.",
            account=acct.nickname,
        )
