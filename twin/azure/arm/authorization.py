"""Microsoft.Authorization role assignments and (built-in) role definitions at any scope.

References: Azure REST API "Role Assignments - Create / Get / Delete / List For Scope"
(PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{guid}; 409
RoleAssignmentExists for a duplicate principal+role+scope), "Role Definitions - List"
($filter=roleName eq '...'), "Role Definitions - Get".
"""

import re
import uuid

from flask import request

from twin.azure import catalogue, ids
from twin.azure.web import arm_error, json_response, now_iso, request_json

PROVIDER = "providers/Microsoft.Authorization"
RBAC_PROPAGATION = "keyvault"  # the fault service whose delay rules model RBAC propagation


def drop_under(store, scope: str) -> None:
    """Role assignments go with the resource (group) they are scoped to."""
    prefix = scope.lower().rstrip("/")
    for key in [
        k
        for k, a in store.role_assignments.items()
        if a["properties"]["scope"].lower() == prefix
        or a["properties"]["scope"].lower().startswith(prefix + "/")
    ]:
        del store.role_assignments[key]


def roles_of(store, principal_id: str, resource_id: str, in_effect=None) -> set[str]:
    """Names of the roles principal_id holds at resource_id or any scope above it; ``in_effect``
    (assignment -> bool) leaves out assignments that have not propagated yet."""
    target = resource_id.lower().rstrip("/")
    names = set()
    for assignment in store.role_assignments.values():
        props = assignment["properties"]
        scope = props["scope"].lower().rstrip("/")
        if in_effect is not None and not in_effect(assignment):
            continue
        if props["principalId"] == principal_id and (target == scope or target.startswith(scope + "/")):
            name = catalogue.role_name_of(props["roleDefinitionId"])
            if name:
                names.add(name)
    return names


def _scope_exists(store, scope: str) -> bool:
    parts = scope.strip("/").split("/")
    if parts[:2] != ["subscriptions", ids.SUBSCRIPTION_ID] and scope != "/":
        return False
    if (
        len(parts) >= 4
        and parts[2].lower() == "resourcegroups"
        and parts[3].lower() not in store.resource_groups
    ):
        return False
    if len(parts) >= 8 and parts[6].lower() == "vaults" and parts[7].lower() not in store.vaults:
        return False
    return True


def register(app, store, context) -> None:
    @app.put(f"/<path:scope>/{PROVIDER}/roleAssignments/<name>")
    def createRoleAssignment(scope, name):
        scope = "/" + scope
        props = request_json().get("properties") or {}
        try:
            uuid.UUID(name)
        except ValueError:
            return arm_error(
                400,
                "InvalidRoleAssignmentId",
                f"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.",
            )
        role_name = catalogue.role_name_of(str(props.get("roleDefinitionId", "")))
        if role_name is None:
            return arm_error(
                400,
                "RoleDefinitionDoesNotExist",
                f"The specified role definition with ID '{props.get('roleDefinitionId')}' does not exist.",
            )
        if not props.get("principalId"):
            return arm_error(
                400, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment."
            )
        with store.lock:
            if not _scope_exists(store, scope):
                return arm_error(404, "ResourceNotFound", f"The scope '{scope}' does not exist.")
            key = f"{scope}/{PROVIDER}/roleAssignments/{name}".lower()
            duplicate = next(
                (
                    a
                    for k, a in store.role_assignments.items()
                    if k != key
                    and a["properties"]["scope"].lower() == scope.lower()
                    and a["properties"]["principalId"] == props["principalId"]
                    and catalogue.role_name_of(a["properties"]["roleDefinitionId"]) == role_name
                ),
                None,
            )
            if duplicate:
                return arm_error(
                    409,
                    "RoleAssignmentExists",
                    "The role assignment already exists. The ID of the "
                    f"existing role assignment is {duplicate['name']}.",
                )
            existing = store.role_assignments.get(key)
            assignment = {
                "id": f"{scope}/{PROVIDER}/roleAssignments/{name}",
                "name": name,
                "type": "Microsoft.Authorization/roleAssignments",
                "properties": {
                    "roleDefinitionId": catalogue.role_definition(role_name, scope)["id"],
                    "principalId": props["principalId"],
                    "principalType": props.get("principalType") or "ServicePrincipal",
                    "scope": scope,
                    "description": props.get("description"),
                    "condition": props.get("condition"),
                    "conditionVersion": props.get("conditionVersion"),
                    "createdOn": now_iso(),
                    "updatedOn": now_iso(),
                    "createdBy": ids.AUTOMATION_SP_OBJECT_ID,
                    "updatedBy": ids.AUTOMATION_SP_OBJECT_ID,
                    "delegatedManagedIdentityResourceId": None,
                },
            }
            store.role_assignments[key] = assignment
        # Key Vault's data plane honours a new assignment only after it propagated (a "keyvault"
        # delay fault sets how long; twin/azure/README.md).
        context.faults.record_created(RBAC_PROPAGATION, [key])
        return json_response(assignment, 200 if existing else 201)

    @app.get(f"/<path:scope>/{PROVIDER}/roleAssignments/<name>")
    def getRoleAssignment(scope, name):
        with store.lock:
            assignment = store.role_assignments.get(f"/{scope}/{PROVIDER}/roleAssignments/{name}".lower())
        if assignment is None:
            return arm_error(404, "RoleAssignmentNotFound", f"The role assignment '{name}' is not found.")
        return json_response(assignment)

    @app.delete(f"/<path:scope>/{PROVIDER}/roleAssignments/<name>")
    def deleteRoleAssignment(scope, name):
        with store.lock:
            assignment = store.role_assignments.pop(
                f"/{scope}/{PROVIDER}/roleAssignments/{name}".lower(), None
            )
        return json_response(assignment, 200) if assignment else json_response(None, 204)

    @app.get(f"/<path:scope>/{PROVIDER}/roleAssignments")
    def listRoleAssignmentsForScope(scope):
        target = "/" + scope.lower().rstrip("/")
        wanted = re.search(r"principalId eq '([^']+)'", request.args.get("$filter", ""))
        with store.lock:
            items = [
                a
                for a in store.role_assignments.values()
                if (wanted is None or a["properties"]["principalId"] == wanted.group(1))
                and (
                    target.startswith(a["properties"]["scope"].lower().rstrip("/"))
                    or a["properties"]["scope"].lower().startswith(target)
                )
            ]
        return json_response({"value": items})

    @app.get(f"/<path:scope>/{PROVIDER}/roleDefinitions")
    def listRoleDefinitions(scope):
        wanted = re.search(r"roleName eq '([^']+)'", request.args.get("$filter", ""))
        names = [
            n for n in catalogue.ROLE_DEFINITIONS if wanted is None or n.lower() == wanted.group(1).lower()
        ]
        return json_response({"value": [catalogue.role_definition(n, "/" + scope) for n in names]})

    @app.get(f"/<path:scope>/{PROVIDER}/roleDefinitions/<role_id>")
    def getRoleDefinition(scope, role_id):
        name = catalogue.role_name_of(role_id)
        if name is None:
            return arm_error(
                404, "RoleDefinitionDoesNotExist", f"The role definition '{role_id}' does not exist."
            )
        return json_response(catalogue.role_definition(name, "/" + scope))
