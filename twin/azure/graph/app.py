"""graph.microsoft.com: the Microsoft Graph v1.0 surface the library's scripts use.

Every request needs a bearer token whose audience is Microsoft Graph (401
InvalidAuthenticationToken otherwise, as Graph answers); faults apply per operation, where
the operation is the route's endpoint name (e.g. createUser, instantiate, provisionOnDemand).
"""

from flask import request

from twin.azure import ids
from twin.azure.graph import (
    applications,
    assignments,
    directory,
    permissions,
    policies,
    service_principals,
    synchronization,
)
from twin.azure.tokens import TokenError, bearer
from twin.azure.web import graph_error, make_app

AUDIENCES = {ids.GRAPH_URL, "00000003-0000-0000-c000-000000000000"}


def make_graph_app(store, context, engine):
    app = make_app("azure-graph", "graph", context)

    @app.before_request
    def authenticate():
        token = bearer(request.environ)
        if token is None:
            return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.")
        try:
            claims = store.issuer.verify(token, AUDIENCES)
        except TokenError as e:
            return graph_error(401, "InvalidAuthenticationToken", str(e))
        request.environ["twin.claims"] = claims
        if request.url_rule is None:
            return None  # unknown path or method: the 400/405 handlers answer
        reason = permissions.denied(request.endpoint, claims, store.directory_roles.get(claims["oid"], set()))
        if reason:
            # Graph's answer for a token without the documented permission (or role).
            return graph_error(
                403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation."
            )
        return None

    @app.errorhandler(404)
    def unknown_segment(_):
        segment = request.path.strip("/").split("/")[-1]
        return graph_error(400, "BadRequest", f"Resource not found for the segment '{segment}'.")

    @app.errorhandler(405)
    def wrong_method(_):
        return graph_error(
            405, "Request_BadRequest", f"The request is not supported: {request.method} on {request.path}."
        )

    for module in (directory, applications, service_principals, assignments, policies):
        module.register(app, store, context)
    synchronization.register(app, store, context, engine)
    return app
