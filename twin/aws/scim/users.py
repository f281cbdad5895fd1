"""SCIM Users, stored as moto identity-store users (so identitystore calls see them) plus the
SCIM-only attributes (externalId as the user's ExternalIds, active, enterprise extension, meta).

Limits from the IAM Identity Center SCIM developer guide (CreateUser, PutUser, PatchUser):
givenName, familyName, userName and displayName are required; one value per multi-valued
attribute; the email must be primary; ``groups`` cannot be set on a user.
"""

from typing import Any

from moto.identitystore.models import Name, User

from twin.aws.external_ids import get_external_id, set_external_id
from twin.aws.scim import patch as scim_patch
from twin.aws.scim.common import ENTERPRISE_SCHEMA, USER_SCHEMA, non_empty_string, now, require_schema
from twin.aws.scim.errors import ScimError, invalid, not_found
from twin.aws.scim.filters import USER_COMBINATIONS
from twin.aws.scim.filters import parse as parse_filter
from twin.aws.state import AwsState, Directory, identity_store, identity_store_backend

NAME_FIELDS = ("formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix")
SINGLE_VALUED = (
    "displayName",
    "nickName",
    "profileUrl",
    "userType",
    "title",
    "preferredLanguage",
    "locale",
    "timezone",
)
MULTI = {
    "emails": ("value", "type", "primary"),
    "phoneNumbers": ("value", "type", "primary"),
    "addresses": (
        "formatted",
        "streetAddress",
        "locality",
        "region",
        "postalCode",
        "country",
        "type",
        "primary",
    ),
}
ENTERPRISE_FIELDS = ("employeeNumber", "costCenter", "organization", "division", "department", "manager")


def _pascal(name: str) -> str:
    return name[0].upper() + name[1:]


def _camel(name: str) -> str:
    return name[0].lower() + name[1:]


def _boolean(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid(f"{name} must be a boolean")


def validate(resource: Any) -> dict:
    user = require_schema(resource, USER_SCHEMA)
    if "groups" in user:
        raise invalid("The groups attribute cannot be set on a user", "mutability")
    for name in ("userName", "displayName"):
        if not non_empty_string(user.get(name)):
            raise invalid(f"{name} is a required attribute")
    name = user.get("name")
    if (
        not isinstance(name, dict)
        or not non_empty_string(name.get("givenName"))
        or not non_empty_string(name.get("familyName"))
    ):
        raise invalid("name.givenName and name.familyName are required attributes")
    for attr in MULTI:
        values = user.get(attr)
        if values is None:
            continue
        if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
            raise invalid(f"{attr} must be a list of objects")
        if len(values) > 1:
            # Worded as the CloudTrail SCIM examples record it for emails (user guide, "Logging IAM
            # Identity Center SCIM API calls with AWS CloudTrail"); the same words for phoneNumbers and
            # addresses are *inferred*. AWS's Entra tutorial quotes an older "Currently list attributes
            # only allow single item".
            raise invalid(f"List attribute {attr} exceeds allowed limit of 1")
    emails = user.get("emails") or []
    if emails and emails[0].get("primary") not in (True, "true", "True"):
        raise invalid("The emails attribute value must be marked as primary")
    if "active" in user:
        user["active"] = _boolean(user["active"], "active")
    return user


def _moto_user(user_id: str, store_id: str, user: dict) -> User:
    name = {_pascal(k): user["name"][k] for k in NAME_FIELDS if user["name"].get(k) is not None}
    multi = {
        attr: [{_pascal(k): v[k] for k in keys if v.get(k) is not None} for v in user.get(attr) or []]
        for attr, keys in MULTI.items()
    }
    single = {k: user.get(k) for k in SINGLE_VALUED}
    return User(
        user_id,
        store_id,
        user["userName"],
        Name.from_dict(name),
        single["displayName"],
        single["nickName"],
        single["profileUrl"],
        multi["emails"],
        multi["addresses"],
        multi["phoneNumbers"],
        single["userType"],
        single["title"],
        single["preferredLanguage"],
        single["locale"],
        single["timezone"],
    )


def render(state: AwsState, directory: Directory, user: User, base_url: str) -> dict:
    store_id = directory.identity_store_id
    extras = state.scim_extras.get((store_id, user.UserId), {})
    data: dict[str, Any] = {"schemas": [USER_SCHEMA], "id": user.UserId}
    external_id = get_external_id(state, store_id, user.UserId)
    if external_id:
        data["externalId"] = external_id
    data["userName"] = user.UserName
    if user.Name:
        data["name"] = {_camel(k): v for k, v in user.Name._asdict().items() if v is not None}
    for key in SINGLE_VALUED:
        value = getattr(user, _pascal(key))
        if value is not None:
            data[key] = value
    data["active"] = extras.get("active", True)
    for attr, raw in (
        ("emails", user.Emails),
        ("addresses", user.Addresses),
        ("phoneNumbers", user.PhoneNumbers),
    ):
        if raw:
            data[attr] = [{_camel(k): v for k, v in item.items()} for item in raw]
    if extras.get("enterprise"):
        data["schemas"].append(ENTERPRISE_SCHEMA)
        data[ENTERPRISE_SCHEMA] = extras["enterprise"]
    data["meta"] = {
        "resourceType": "User",
        "created": extras.get("created"),
        "lastModified": extras.get("lastModified"),
        "location": f"{base_url}Users/{user.UserId}",
    }
    return data


def _unique(directory: Directory, user_name: str, except_id: str | None = None) -> None:
    for other in identity_store(directory).users.values():
        if other.UserName.lower() == user_name.lower() and other.UserId != except_id:
            raise ScimError(409, "User already exists", "uniqueness")


def _save(state: AwsState, directory: Directory, user_id: str, user: dict, created: str | None) -> User:
    store_id = directory.identity_store_id
    moto_user = _moto_user(user_id, store_id, user)
    identity_store(directory).users[user_id] = moto_user
    set_external_id(state, store_id, user_id, user.get("externalId"))
    enterprise = {k: v for k, v in (user.get(ENTERPRISE_SCHEMA) or {}).items() if k in ENTERPRISE_FIELDS}
    stamp = now()
    state.scim_extras[(store_id, user_id)] = {
        "active": user.get("active", True),
        "enterprise": enterprise,
        "created": created or stamp,
        "lastModified": stamp,
    }
    return moto_user


def create(state: AwsState, directory: Directory, resource: Any) -> User:
    user = validate(resource)
    _unique(directory, user["userName"])
    # moto assigns the ID and applies its own identitystore validation.
    user_id, _ = identity_store_backend(directory).create_user(
        directory.identity_store_id,
        user["userName"],
        {"GivenName": user["name"]["givenName"], "FamilyName": user["name"]["familyName"]},
        user["displayName"],
        None,
        None,
        [],
        [],
        [],
        None,
        None,
        None,
        None,
        None,
    )
    return _save(state, directory, user_id, user, None)


def get(directory: Directory, user_id: str) -> User:
    user = identity_store(directory).users.get(user_id)
    if user is None:
        raise not_found("User", user_id)
    return user


def replace(state: AwsState, directory: Directory, user_id: str, resource: Any) -> User:
    get(directory, user_id)
    user = validate(resource)
    _unique(directory, user["userName"], except_id=user_id)
    created = state.scim_extras.get((directory.identity_store_id, user_id), {}).get("created")
    return _save(state, directory, user_id, user, created)


def patch(state: AwsState, directory: Directory, user_id: str, request: Any, base_url: str) -> User:
    current = render(state, directory, get(directory, user_id), base_url)
    if not isinstance(request, dict):
        raise ScimError(400, "The request body must be a JSON object", "invalidSyntax")
    for operation in request.get("Operations") or []:
        path = str(operation.get("path") or "")
        if operation.get("op", "").lower() == "remove" and path in ("userName", "active"):
            raise invalid(f"The remove operation is not supported for {path}", "mutability")
    updated = scim_patch.apply(current, request)
    updated.pop("meta", None)
    return replace(state, directory, user_id, updated)


def delete(state: AwsState, directory: Directory, user_id: str) -> None:
    get(directory, user_id)
    store = identity_store(directory)
    del store.users[user_id]
    for membership_id in [
        m for m, v in store.group_memberships.items() if v["MemberId"]["UserId"] == user_id
    ]:
        del store.group_memberships[membership_id]
    set_external_id(state, directory.identity_store_id, user_id, None)
    state.scim_extras.pop((directory.identity_store_id, user_id), None)


def search(state: AwsState, directory: Directory, filter_text: str | None) -> list[User]:
    terms = parse_filter(filter_text, USER_COMBINATIONS)
    store_id, store = directory.identity_store_id, identity_store(directory)
    users = list(store.users.values())
    if "userName" in terms:
        users = [u for u in users if u.UserName.lower() == terms["userName"].lower()]
    if "externalId" in terms:
        users = [u for u in users if get_external_id(state, store_id, u.UserId) == terms["externalId"]]
    if "id" in terms:
        users = [u for u in users if u.UserId == terms["id"]]
    if "groups.value" in terms:
        group_id = terms["groups.value"]
        memberships = store.group_memberships.values()
        members = {m["MemberId"]["UserId"] for m in memberships if m["GroupId"] == group_id}
        users = [u for u in users if u.UserId in members]
    if "manager" in terms:
        users = [u for u in users if _manager_id(state, store_id, u.UserId) == terms["manager"]]
    return users


def _manager_id(state: AwsState, store_id: str, user_id: str) -> str | None:
    enterprise = state.scim_extras.get((store_id, user_id), {}).get("enterprise") or {}
    return (enterprise.get("manager") or {}).get("value")
