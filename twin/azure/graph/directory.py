"""/organization and /users (Graph v1.0 "organization resource type", "user resource type").

Create-user rules follow "Create user": accountEnabled, displayName, mailNickname,
passwordProfile and userPrincipalName are required; the UPN's domain must be a verified
domain of the tenant; a UPN already in use is a 400.
"""

import uuid

from flask import request

from twin.azure import ids
from twin.azure.graph import common as g
from twin.azure.web import graph_error, now_iso

DEFAULT_USER_PROPERTIES = (
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
)
WRITABLE_USER = {
    "accountEnabled",
    "displayName",
    "mailNickname",
    "passwordProfile",
    "userPrincipalName",
    "givenName",
    "surname",
    "jobTitle",
    "mail",
    "mobilePhone",
    "businessPhones",
    "department",
    "employeeId",
    "officeLocation",
    "preferredLanguage",
    "city",
    "country",
    "state",
    "streetAddress",
    "postalCode",
    "companyName",
    "usageLocation",
    "otherMails",
    "employeeType",
    "onPremisesImmutableId",
    "onPremisesExtensionAttributes",
    "faxNumber",
}
EXTENSION_ATTRIBUTES = {f"extensionAttribute{i}": None for i in range(1, 16)}
REQUIRED_USER = ("accountEnabled", "displayName", "mailNickname", "passwordProfile", "userPrincipalName")


def organization() -> dict:
    return {
        "id": ids.TENANT_ID,
        "displayName": ids.TENANT_DISPLAY_NAME,
        "tenantType": "AAD",
        "countryLetterCode": "US",
        "createdDateTime": "2026-01-01T00:00:00Z",
        "verifiedDomains": [
            {
                "capabilities": "Email, OfficeCommunicationsOnline",
                "isDefault": name == ids.TENANT_DOMAIN,
                "isInitial": name == ids.TENANT_DOMAIN,
                "name": name,
                "type": "Managed",
            }
            for name in ids.VERIFIED_DOMAINS
        ],
    }


def user_view(user: dict) -> dict:
    """The default property set unless $select asks for more (Graph returns a subset by default)."""
    if request.args.get("$select"):
        return {k: v for k, v in user.items() if k != "passwordProfile"}
    return {k: user.get(k) for k in DEFAULT_USER_PROPERTIES}


def _new_user(body: dict) -> dict:
    user = {key: None for key in WRITABLE_USER if key != "passwordProfile"}
    user.update(
        {"businessPhones": [], "otherMails": [], "onPremisesExtensionAttributes": dict(EXTENSION_ATTRIBUTES)}
    )
    g.merge(user, {k: v for k, v in body.items() if k != "passwordProfile"})
    user.update(
        {
            "id": str(uuid.uuid4()),
            "createdDateTime": now_iso(),
            "userType": "Member",
            "creationType": None,
            "deletedDateTime": None,
        }
    )
    return user


def register(app, store, context) -> None:
    @app.get(f"{g.V1}/organization")
    def listOrganization():
        return g.listing([organization()], "organization", "organization")

    @app.get(f"{g.V1}/organization/<org_id>")
    def getOrganization(org_id):
        if org_id != ids.TENANT_ID:
            return g.not_found(org_id)
        return g.entity(organization(), "organization", "organization")

    @app.get(f"{g.V1}/users")
    def listUsers():
        with store.lock:
            users = list(store.users.values())
        return g.listing(users, "users", "user", user_view)

    @app.post(f"{g.V1}/users")
    @g.with_body(WRITABLE_USER, "user")
    def createUser(body):
        missing = [k for k in REQUIRED_USER if body.get(k) in (None, "")]
        if missing:
            return g.bad_request(f"Invalid value specified for property '{missing[0]}' of resource 'User'.")
        upn = str(body["userPrincipalName"])
        domain = upn.rpartition("@")[2].lower()
        if "@" not in upn or domain not in ids.VERIFIED_DOMAINS:
            return g.bad_request(
                "The domain portion of the userPrincipalName property is invalid. You must use "
                "one of the verified domain names in your organization."
            )
        password = (body.get("passwordProfile") or {}).get("password")
        if not password or len(password) < 8:
            return g.bad_request(
                "The specified password does not comply with password complexity requirements. "
                "Please provide a different password."
            )
        with store.lock:
            if store.find_user(upn):
                return g.bad_request(
                    "Another object with the same value for property userPrincipalName already exists.",
                    "Request_BadRequest",
                )
            user = _new_user(body)
            store.users[user["id"]] = user
            store.user_passwords[user["id"]] = password
        g.created(context, user["id"])
        return g.entity(user_view(user), "users", "user", 201)

    @app.get(f"{g.V1}/users/<user_id>")
    def getUser(user_id):
        with store.lock:
            user = store.find_user(user_id)
        if user is None or g.hidden(context, user["id"]):
            return g.not_found(user_id)
        return g.entity(user_view(user), "users", "user")

    @app.patch(f"{g.V1}/users/<user_id>")
    @g.with_body(WRITABLE_USER, "user")
    def updateUser(body, user_id):
        with store.lock:
            user = store.find_user(user_id)
            if user is None or g.hidden(context, user["id"]):
                return g.not_found(user_id)
            if "passwordProfile" in body:
                store.user_passwords[user["id"]] = (body.pop("passwordProfile") or {}).get("password", "")
            g.merge(user, body)
        return g.no_content()

    @app.delete(f"{g.V1}/users/<user_id>")
    def deleteUser(user_id):
        with store.lock:
            user = store.find_user(user_id)
            if user is None or g.hidden(context, user["id"]):
                return g.not_found(user_id)
            del store.users[user["id"]]
            store.deleted_items[user["id"]] = {
                "@odata.type": "#microsoft.graph.user",
                **user,
                "deletedDateTime": now_iso(),
            }
            store.user_passwords.pop(user["id"], None)
            for key in [k for k, a in store.app_role_assignments.items() if a["principalId"] == user["id"]]:
                del store.app_role_assignments[key]
        return g.no_content()

    @app.get(f"{g.V1}/users/<user_id>/appRoleAssignments")
    def listUserAppRoleAssignments(user_id):
        with store.lock:
            user = store.find_user(user_id)
            if user is None:
                return g.not_found(user_id)
            items = [a for a in store.app_role_assignments.values() if a["principalId"] == user["id"]]
        return g.listing(items, f"users('{user['id']}')/appRoleAssignments", "appRoleAssignment")

    @app.get(f"{g.V1}/directory/deletedItems/<object_id>")
    def getDeletedItem(object_id):
        with store.lock:
            item = store.deleted_items.get(object_id)
        return g.entity(item, "directory/deletedItems", "directoryObject") if item else g.not_found(object_id)

    @app.delete(f"{g.V1}/directory/deletedItems/<object_id>")
    def deleteDeletedItem(object_id):
        claims = request.environ.get("twin.claims") or {}
        with store.lock:
            item = store.deleted_items.get(object_id)
            if item is None:
                return g.not_found(object_id)
            if item["@odata.type"] == "#microsoft.graph.user" and claims.get("idtyp") == "app":
                # "Permanently delete an item (directory object)": users — Application: Not supported.
                return graph_error(
                    403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
                )
            del store.deleted_items[object_id]
        return g.no_content()
