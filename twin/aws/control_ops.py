"""Console operations at https://sso.<region>.amazonaws.com/control/ (X-Amz-Target
``SWBService.<Op>``, SigV4 service ``sso``, JSON with camelCase members as in public scripts).
"""
from collections.abc import Callable

from twin.aws.errors import AwsError
from twin.aws.sp_config import portal_url
from twin.aws.state import AwsState, Directory


def _directory(state: AwsState, account_id: str, body: dict) -> Directory:
    directory = state.directory(account_id)
    arn = body.get("instanceArn")
    if arn is not None and arn != directory.instance_arn:
        raise AwsError("ResourceNotFoundException", f"Instance {arn} not found")
    return directory


def list_directory_associations(state: AwsState, account_id: str, body: dict) -> dict:
    """Which identity source the instance uses (the console's Settings > Identity source)."""
    directory = _directory(state, account_id, body)
    enabled = [i for i in directory.external_idps.values() if i.status == "ENABLED"]
    association = {"directoryId": directory.identity_store_id, "directoryType": directory.identity_source}
    if enabled:
        association["externalIdPId"] = enabled[0].idp_id
    return {"directoryAssociations": [association]}


def get_sso_configuration(state: AwsState, account_id: str, body: dict) -> dict:
    directory = _directory(state, account_id, body)
    return {"ssoConfiguration": {"instanceArn": directory.instance_arn,
                                 "identityStoreId": directory.identity_store_id,
                                 "identitySource": directory.identity_source,
                                 "accessPortalUrl": portal_url(directory)}}


def describe_registered_regions(state: AwsState, account_id: str, body: dict) -> dict:
    return {"regions": [state.directory(account_id).account.region]}


OPERATIONS: dict[str, Callable[[AwsState, str, dict], dict]] = {
    "ListDirectoryAssociations": list_directory_associations,
    "GetSsoConfiguration": get_sso_configuration,
    "DescribeRegisteredRegions": describe_registered_regions,
}
