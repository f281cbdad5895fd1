"""ExternalIds of identity-store users (set by SCIM ``externalId``), which moto's identitystore
does not keep: added to DescribeUser/ListUsers answers, and used by GetUserId/GetGroupId with
an ``ExternalId`` alternate identifier (botocore model identitystore 2020-06-15:
``AlternateIdentifier.ExternalId {Issuer, Id}``, ``User.ExternalIds``)."""
import json

from twin.aws.errors import Response, json_error, json_ok
from twin.aws.state import AwsState

SCIM_ISSUER = "scim"  # inferred: the issuer IAM Identity Center records for SCIM externalId


def set_external_id(state: AwsState, store_id: str, object_id: str, external_id: str | None) -> None:
    if external_id:
        state.external_ids[(store_id, object_id)] = [{"Issuer": SCIM_ISSUER, "Id": external_id}]
    else:
        state.external_ids.pop((store_id, object_id), None)


def get_external_id(state: AwsState, store_id: str, object_id: str) -> str | None:
    ids = state.external_ids.get((store_id, object_id))
    return ids[0]["Id"] if ids else None


def answer_lookup(state: AwsState, operation: str, payload: dict) -> Response | None:
    if operation not in ("GetUserId", "GetGroupId"):
        return None
    wanted = (payload.get("AlternateIdentifier") or {}).get("ExternalId")
    if not wanted:
        return None
    store_id = payload.get("IdentityStoreId", "")
    for (store, object_id), ids in state.external_ids.items():
        if store == store_id and wanted in ids:
            key = "UserId" if operation == "GetUserId" else "GroupId"
            if _exists(state, store_id, object_id, key):
                return json_ok({key: object_id, "IdentityStoreId": store_id})
    kind = "USER" if operation == "GetUserId" else "GROUP"
    return json_error("ResourceNotFoundException", f"{kind} not found.")


def _exists(state: AwsState, store_id: str, object_id: str, key: str) -> bool:
    directory = state.directory_for_store(store_id)
    if directory is None:
        return False
    from twin.aws.state import identity_store
    data = identity_store(directory)
    return object_id in (data.users if key == "UserId" else data.groups)


def decorate(state: AwsState, operation: str, payload: dict, data: bytes) -> bytes:
    if operation not in ("DescribeUser", "ListUsers"):
        return data
    answer = json.loads(data)
    store_id = payload.get("IdentityStoreId", "")
    users = answer.get("Users", []) if operation == "ListUsers" else [answer]
    for user in users:
        ids = state.external_ids.get((store_id, user.get("UserId", "")))
        if ids:
            user["ExternalIds"] = ids
        elif "ExternalIds" in user and not user["ExternalIds"]:
            del user["ExternalIds"]
    return json.dumps(answer).encode()
