"""The SCIM access token of one AWS account, kept only in that account's Secrets Manager secret
(the container is created by Terraform: entraidc/<nickname>/scim-access-token, tagged
ManagedBy=<marker> as every AWS resource of the module, resources/entraidc/terraform/locals.tf)."""

import json

import botocore.exceptions

from . import output
from .errors import InputError

TAG = "ManagedBy"


def secret_name(nickname: str) -> str:
    return f"entraidc/{nickname}/scim-access-token"


def read(client, nickname: str) -> dict | None:
    try:
        raw = client.get_secret_value(SecretId=secret_name(nickname))["SecretString"]
    except client.exceptions.ResourceNotFoundException:
        _require_container(client, nickname)
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    output.secret(value.get("Token", ""))
    return value


def write(client, nickname: str, value: dict) -> None:
    _require_container(client, nickname)
    client.put_secret_value(SecretId=secret_name(nickname), SecretString=json.dumps(value))


def describe(client, nickname: str) -> dict | None:
    """DescribeSecret of the container (its Tags among others), or None when there is none."""
    try:
        return client.describe_secret(SecretId=secret_name(nickname))
    except client.exceptions.ResourceNotFoundException:
        return None


def is_ours(described: dict, marker: str) -> bool:
    return {t["Key"]: t.get("Value") for t in described.get("Tags") or []}.get(TAG) == marker


def clear(client, nickname: str, marker: str) -> bool:
    """Replaces the value by an empty marker (the container itself belongs to Terraform). A secret of
    that name without our tag is someone else's: neither read nor changed."""
    described = describe(client, nickname)
    if described is None or not is_ours(described, marker):
        return False
    try:
        if read(client, nickname) is None:
            return False
    except InputError:
        return False
    client.put_secret_value(SecretId=secret_name(nickname), SecretString=json.dumps({}))
    return True


def _require_container(client, nickname: str) -> None:
    try:
        client.describe_secret(SecretId=secret_name(nickname))
    except botocore.exceptions.ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            raise InputError(
                f"Secrets Manager secret {secret_name(nickname)} does not exist: apply the "
                "Terraform module with enable_scim=true first.",
                account=nickname,
            ) from None
        raise
