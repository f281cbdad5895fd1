"""SCIM Groups, stored as moto identity-store groups and group memberships.

Limits from the IAM Identity Center SCIM developer guide (CreateGroup, PatchGroup, ListGroups):
displayName is required; at most 100 members per create and 100 membership changes per PATCH;
PATCH may touch only displayName, members and externalId, and may not replace or remove all
memberships at once; groups are read without their members; there is no PutGroup.
"""

from typing import Any

from moto.identitystore.exceptions import ConflictException
from moto.identitystore.models import Group

from twin.aws.external_ids import get_external_id, set_external_id
from twin.aws.scim import patch as scim_patch
from twin.aws.scim.common import GROUP_SCHEMA, non_empty_string, now, require_schema
from twin.aws.scim.errors import ScimError, invalid, not_found
from twin.aws.scim.filters import GROUP_COMBINATIONS
from twin.aws.scim.filters import parse as parse_filter
from twin.aws.state import AwsState, Directory, identity_store, identity_store_backend

MAX_MEMBER_CHANGES = 100
PATCHABLE = {"displayname", "members", "externalid"}


def get(directory: Directory, group_id: str) -> Group:
    group = identity_store(directory).groups.get(group_id)
    if group is None:
        raise not_found("Group", group_id)
    return group


def render(state: AwsState, directory: Directory, group: Group, base_url: str) -> dict:
    extras = state.scim_extras.get((directory.identity_store_id, group.GroupId), {})
    data: dict[str, Any] = {"schemas": [GROUP_SCHEMA], "id": group.GroupId}
    external_id = get_external_id(state, directory.identity_store_id, group.GroupId)
    if external_id:
        data["externalId"] = external_id
    data["displayName"] = group.DisplayName
    data["meta"] = {
        "resourceType": "Group",
        "created": extras.get("created"),
        "lastModified": extras.get("lastModified"),
        "location": f"{base_url}Groups/{group.GroupId}",
    }
    return data


def _member_ids(members: Any) -> list[str]:
    if members is None:
        return []
    if not isinstance(members, list) or not all(isinstance(m, dict) and m.get("value") for m in members):
        raise invalid("members must be a list of objects with a value")
    return [m["value"] for m in members]


def _current_members(directory: Directory, group_id: str) -> list[str]:
    return [
        m["MemberId"]["UserId"]
        for m in identity_store(directory).group_memberships.values()
        if m["GroupId"] == group_id
    ]


def _set_members(directory: Directory, group_id: str, wanted: list[str]) -> None:
    store = identity_store(directory)
    current = set(_current_members(directory, group_id))
    for user_id in wanted:
        if user_id not in store.users:
            raise invalid(f"Member {user_id} does not exist")
    if len(set(wanted) ^ current) > MAX_MEMBER_CHANGES:
        raise invalid(f"At most {MAX_MEMBER_CHANGES} membership changes are allowed in one request")
    backend = identity_store_backend(directory)
    for user_id in [u for u in dict.fromkeys(wanted) if u not in current]:
        backend.create_group_membership(directory.identity_store_id, group_id, {"UserId": user_id})
    for membership_id, membership in list(store.group_memberships.items()):
        if membership["GroupId"] == group_id and membership["MemberId"]["UserId"] not in wanted:
            del store.group_memberships[membership_id]


def _save(
    state: AwsState,
    directory: Directory,
    group: Group,
    display_name: str,
    external_id: str | None,
    created: str | None,
) -> Group:
    store = identity_store(directory)
    for other in store.groups.values():
        if other.DisplayName == display_name and other.GroupId != group.GroupId:
            raise ScimError(409, "Group already exists", "uniqueness")
    ids = [{"Issuer": "scim", "Id": external_id}] if external_id else []
    updated = group._replace(DisplayName=display_name, ExternalIds=ids)
    store.groups[group.GroupId] = updated
    set_external_id(state, directory.identity_store_id, group.GroupId, external_id)
    state.scim_extras[(directory.identity_store_id, group.GroupId)] = {
        "created": created or now(),
        "lastModified": now(),
    }
    return updated


def create(state: AwsState, directory: Directory, resource: Any) -> Group:
    group = require_schema(resource, GROUP_SCHEMA)
    if not non_empty_string(group.get("displayName")):
        raise invalid("displayName is a required attribute")
    members = _member_ids(group.get("members"))
    if len(members) > MAX_MEMBER_CHANGES:
        raise invalid(f"At most {MAX_MEMBER_CHANGES} members can be added in one request")
    store = identity_store(directory)
    for user_id in members:
        if user_id not in store.users:
            raise invalid(f"Member {user_id} does not exist")
    try:
        group_id, _ = identity_store_backend(directory).create_group(
            directory.identity_store_id, group["displayName"], None
        )
    except ConflictException:
        raise ScimError(409, "Group already exists", "uniqueness") from None
    saved = _save(
        state, directory, store.groups[group_id], group["displayName"], group.get("externalId"), None
    )
    _set_members(directory, group_id, members)
    return saved


def patch(state: AwsState, directory: Directory, group_id: str, request: Any, base_url: str) -> None:
    group = get(directory, group_id)
    if not isinstance(request, dict):
        raise ScimError(400, "The request body must be a JSON object", "invalidSyntax")
    for operation in request.get("Operations") or []:
        path = str(operation.get("path") or "")
        names = [path.split("[")[0].split(".")[0]] if path else list((operation.get("value") or {}).keys())
        unknown = [n for n in names if n.lower() not in PATCHABLE | {"id"}]
        if unknown:
            raise invalid(f"Only displayName, members and externalId can be patched, not {unknown[0]}")
        op = str(operation.get("op", "")).lower()
        if path.lower() == "members" and (op == "replace" or (op == "remove" and "value" not in operation)):
            raise invalid("Replacing or removing all group memberships in one request is not supported")
    current = render(state, directory, group, base_url)
    current["members"] = [{"value": u} for u in _current_members(directory, group_id)]
    updated = scim_patch.apply(current, request)
    if not non_empty_string(updated.get("displayName")):
        raise invalid("displayName is a required attribute")
    wanted = _member_ids(updated.get("members") or [])
    _set_members(directory, group_id, wanted)
    created = state.scim_extras.get((directory.identity_store_id, group_id), {}).get("created")
    _save(state, directory, group, updated["displayName"], updated.get("externalId"), created)


def delete(state: AwsState, directory: Directory, group_id: str) -> None:
    get(directory, group_id)
    store = identity_store(directory)
    del store.groups[group_id]
    for membership_id in [m for m, v in store.group_memberships.items() if v["GroupId"] == group_id]:
        del store.group_memberships[membership_id]
    set_external_id(state, directory.identity_store_id, group_id, None)
    state.scim_extras.pop((directory.identity_store_id, group_id), None)


def search(state: AwsState, directory: Directory, filter_text: str | None) -> list[Group]:
    terms = parse_filter(filter_text, GROUP_COMBINATIONS)
    store_id, store = directory.identity_store_id, identity_store(directory)
    groups = list(store.groups.values())
    if "displayName" in terms:
        groups = [g for g in groups if g.DisplayName == terms["displayName"]]
    if "externalId" in terms:
        groups = [g for g in groups if get_external_id(state, store_id, g.GroupId) == terms["externalId"]]
    if "id" in terms:
        groups = [g for g in groups if g.GroupId == terms["id"]]
    member = terms.get("members.value") or terms.get("members")
    if member is not None:
        # ListGroups, Errors: ResourceNotFoundException 404 "When filter querying with a nonexisting member".
        if member not in store.users:
            raise not_found("User", member)
        groups = [g for g in groups if member in _current_members(directory, g.GroupId)]
    return groups
