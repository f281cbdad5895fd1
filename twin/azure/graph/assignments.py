"""/servicePrincipals/{id}/appRoleAssignedTo: assigning users to an enterprise application.

Reference: Graph v1.0 "Grant an appRoleAssignment for a service principal" (body principalId,
resourceId, appRoleId; 201 appRoleAssignment; appRoleId must be one of the resource's app
roles, the default-access GUID only when it defines none; a second identical grant is a 400).

A principal that has not replicated yet (a delay fault) is a 400 Request_BadRequest "Not a valid
reference update.", not a 404: the object in the request body is a reference, and Microsoft's
"Set up Microsoft Entra ID for client authentication" (Service Fabric, troubleshooting
Request_BadRequest) shows that answer to POST appRoleAssignedTo for a just-created user, "Configuration
changes haven't propagated", retried by its scripts; so do the azuread provider
(app_role_assignment_resource.go) and msgraph-bicep-types issue 193. The service principal in the URL
still answers 404 while it replicates.
"""

import base64
import os

from twin.azure import catalogue
from twin.azure.graph import common as g
from twin.azure.web import now_iso, request_json


def _assignment_id() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")[:43]


def register(app, store, context) -> None:
    def resource(sp_id: str):
        sp = store.service_principals.get(sp_id)
        return None if sp is None or g.hidden(context, sp["id"]) else sp

    @app.get(f"{g.V1}/servicePrincipals/<sp_id>/appRoleAssignedTo")
    def listAppRoleAssignedTo(sp_id):
        with store.lock:
            if resource(sp_id) is None:
                return g.not_found(sp_id)
            items = [a for a in store.app_role_assignments.values() if a["resourceId"] == sp_id]
        return g.listing(items, f"servicePrincipals('{sp_id}')/appRoleAssignedTo", "appRoleAssignment")

    @app.post(f"{g.V1}/servicePrincipals/<sp_id>/appRoleAssignedTo")
    def grantAppRoleAssignedTo(sp_id):
        body = request_json()
        with store.lock:
            sp = resource(sp_id)
            if sp is None:
                return g.not_found(sp_id)
            if body.get("resourceId") != sp_id:
                return g.bad_request(
                    "The resourceId of the appRoleAssignment must be the service principal in the "
                    "request URL."
                )
            principal_id = str(body.get("principalId", ""))
            # Users get an app's user roles; service principals its application roles (for Microsoft
            # Graph: application permissions, "Grant or revoke API permissions programmatically").
            principal, member_type = store.users.get(principal_id), "User"
            if principal is None:
                principal, member_type = store.service_principals.get(principal_id), "Application"
            if principal is None:
                return g.not_found(principal_id)
            if g.hidden(context, principal_id):
                return g.not_a_valid_reference_update()
            role_ids = {r["id"] for r in sp["appRoles"] if member_type in r.get("allowedMemberTypes", [])}
            role_id = body.get("appRoleId")
            if role_id not in role_ids and not (
                role_id == catalogue.DEFAULT_ACCESS_ROLE_ID and not sp["appRoles"]
            ):
                return g.bad_request("Permission being assigned was not found on application")
            if any(
                a["resourceId"] == sp_id and a["principalId"] == principal_id and a["appRoleId"] == role_id
                for a in store.app_role_assignments.values()
            ):
                return g.bad_request("Permission being assigned already exists on the object")
            assignment = {
                "id": _assignment_id(),
                "appRoleId": role_id,
                "createdDateTime": now_iso(),
                "deletedDateTime": None,
                "principalDisplayName": principal["displayName"],
                "principalId": principal_id,
                "principalType": "User" if member_type == "User" else "ServicePrincipal",
                "resourceDisplayName": sp["displayName"],
                "resourceId": sp_id,
            }
            store.app_role_assignments[assignment["id"]] = assignment
        g.created(context, assignment["id"])
        return g.entity(
            assignment, f"servicePrincipals('{sp_id}')/appRoleAssignedTo", "appRoleAssignment", 201
        )

    @app.get(f"{g.V1}/servicePrincipals/<sp_id>/appRoleAssignedTo/<assignment_id>")
    def getAppRoleAssignedTo(sp_id, assignment_id):
        with store.lock:
            assignment = store.app_role_assignments.get(assignment_id)
            if resource(sp_id) is None or assignment is None or assignment["resourceId"] != sp_id:
                return g.not_found(assignment_id)
        return g.entity(assignment, f"servicePrincipals('{sp_id}')/appRoleAssignedTo", "appRoleAssignment")

    @app.delete(f"{g.V1}/servicePrincipals/<sp_id>/appRoleAssignedTo/<assignment_id>")
    def deleteAppRoleAssignedTo(sp_id, assignment_id):
        with store.lock:
            assignment = store.app_role_assignments.get(assignment_id)
            if resource(sp_id) is None or assignment is None or assignment["resourceId"] != sp_id:
                return g.not_found(assignment_id)
            del store.app_role_assignments[assignment_id]
        return g.no_content()
