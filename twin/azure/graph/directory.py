"""/organization and /users (Graph v1.0 "organization resource type", "user resource type").

Create-user rules follow "Create user": accountEnabled, displayName, mailNickname,
passwordProfile and userPrincipalName are required; the UPN's domain must be a verified
domain of the tenant; a UPN already in use is a 400.

"Update user", property passwordProfile: "In application-only access, the calling app must be
assigned the User.ReadWrite.All application permission and at least the User Administrator Microsoft
Entra role"; without it Graph answers 403 Authorization_RequestDenied. Creating a user with a
passwordProfile needs no role ("Create user").
"""

import uuid

from flask import request

from twin.azure import ids
from twin.azure.graph import common as g
from twin.azure.graph.permissions import PASSWORD_RESET_APP_ROLES
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


def directory_roles_of(store, object_id: str) -> list[dict]:
    """The activated directory roles a user or service principal is a member of ("directoryRole
    resource type": id, displayName, roleTemplateId)."""
    return [
        {
            "@odata.type": "#microsoft.graph.directoryRole",
            "id": ids.stable_id(f"directoryRole/{name}"),
            "displayName": name,
            "description": None,
            "roleTemplateId": ids.ROLE_TEMPLATE_IDS[name],
        }
        for name in sorted(store.directory_roles.get(object_id, ()))
    ]


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
            claims = request.environ["twin.claims"]
            app_only_roles = store.directory_roles.get(claims["oid"], set())
            if (
                "passwordProfile" in body
                and claims.get("idtyp") == "app"
                and not (app_only_roles & set(PASSWORD_RESET_APP_ROLES))
            ):
                return graph_error(
                    403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
                )
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

    @app.get(f"{g.V1}/users/<user_id>/memberOf/graph.directoryRole")
    def listUserDirectoryRoles(user_id):
        with store.lock:
            found = store.find_user(user_id)
            object_id = (
                found["id"] if found else ids.ADMIN_OBJECT_ID if user_id == ids.ADMIN_OBJECT_ID else None
            )
            if object_id is None:
                return g.not_found(user_id)
            roles = directory_roles_of(store, object_id)
        return g.listing(
            roles, f"users('{object_id}')/memberOf/microsoft.graph.directoryRole", "directoryRole"
        )

    @app.get(f"{g.V1}/users/<user_id>/appRoleAssignments")
    def listUserAppRoleAssignments(user_id):
        with store.lock:
            user = store.find_user(user_id)
            if user is None:
                return g.not_found(user_id)
            items = [a for a in store.app_role_assignments.values() if a["principalId"] == user["id"]]
        return g.listing(items, f"users('{user['id']}')/appRoleAssignments", "appRoleAssignment")

    def deleted_of(odata_type: str, entity_set: str, type_name: str):
        with store.lock:
            items = [i for i in store.deleted_items.values() if i["@odata.type"] == odata_type]
        return g.listing(items, entity_set, type_name)

    # "List deletedItems (directory objects)": GET /directory/deletedItems/microsoft.graph.<type>, with
    # $filter (e.g. appId eq '…'); the SDK's builders spell the cast graph.<type>, Graph accepts both.
    @app.get(f"{g.V1}/directory/deletedItems/graph.application")
    def listDeletedApplications():
        return deleted_of("#microsoft.graph.application", "directory/deletedItems", "application")

    @app.get(f"{g.V1}/directory/deletedItems/graph.servicePrincipal")
    def listDeletedServicePrincipals():
        return deleted_of("#microsoft.graph.servicePrincipal", "directory/deletedItems", "servicePrincipal")

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
            if (
                item["@odata.type"] == "#microsoft.graph.user"
                and claims.get("idtyp") == "app"
                and "User.DeleteRestore.All" not in (claims.get("roles") or [])
            ):
                # "Permanently delete an item (directory object)": users app-only need
                # User.DeleteRestore.All (Graph "What's new", December 2024), not User.ReadWrite.All.
                return graph_error(
                    403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
                )
            del store.deleted_items[object_id]
        return g.no_content()
