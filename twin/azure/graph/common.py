"""Helpers shared by the Graph route modules: entity bodies, errors, replication delay."""

import functools

from flask import request

from twin.azure.graph import odata
from twin.azure.web import graph_error, json_response, request_json

V1 = "/v1.0"
SERVICE = "graph"


def entity(item: dict, entity_set: str, type_name: str, status: int = 200):
    try:
        body = odata.select(item, odata.selected_fields(), type_name)
    except odata.QueryError as e:
        return graph_error(400, "BadRequest", str(e))
    return json_response({"@odata.context": f"{odata.context_url(entity_set)}/$entity", **body}, status)


def listing(items: list[dict], entity_set: str, type_name: str, view=None, **options):
    try:
        return json_response(odata.collection(items, entity_set, type_name, view, **options))
    except odata.QueryError as e:
        return graph_error(400, "BadRequest", str(e))


def not_found(object_id: str):
    return graph_error(
        404,
        "Request_ResourceNotFound",
        f"Resource '{object_id}' does not exist or one of its queried reference-property "
        "objects are not present.",
    )


def bad_request(message: str, code: str = "Request_BadRequest"):
    return graph_error(400, code, message)


def not_a_valid_reference_update():
    """A reference (an object named in the body) that has not replicated yet: see assignments.py."""
    return bad_request("Not a valid reference update.")


def no_content():
    return json_response(None, 204)


def hidden(context, *object_ids: str) -> bool:
    """True while a delay fault hides a just-created object (Graph replication delay)."""
    return context.faults.hidden(SERVICE, request.endpoint or "*", object_ids) is not None


def created(context, *object_ids: str) -> None:
    context.faults.record_created(SERVICE, object_ids)


def check_properties(body: dict, allowed: set[str], type_name: str):
    """400 for a property the type does not have or that cannot be written (Graph's wording)."""
    for key in body:
        if key.startswith("@odata."):
            continue
        if key not in allowed:
            return bad_request(
                f"Property '{key}' is read-only or does not exist on type 'microsoft.graph.{type_name}'."
            )
    return None


def with_body(allowed: set[str], type_name: str):
    """Route decorator: the JSON body, checked by check_properties, is the handler's first argument."""

    def wrap(handler):
        @functools.wraps(handler)
        def route(*args, **kwargs):
            body = request_json()
            return check_properties(body, allowed, type_name) or handler(body, *args, **kwargs)

        return route

    return wrap


def merge(target: dict, changes: dict) -> None:
    for key, value in changes.items():
        if key.startswith("@odata."):
            continue
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = {**target[key], **value}
        else:
            target[key] = value


def key_routes(app, collection: str, type_name: str, get, update, delete) -> None:
    """GET, PATCH and DELETE on /<collection>/{id} and on /<collection>(appId='{appId}') (Graph's
    alternate key), as endpoints get<Type>, update<Type>, delete<Type> (+ ByAppId); each handler is
    called with ``key`` and ``by_app_id``."""
    for suffix, by_app_id, tail in (("/<key>", False, ""), ("(appId='<key>')", True, "ByAppId")):
        for method, verb, handler in (
            ("GET", "get", get),
            ("PATCH", "update", update),
            ("DELETE", "delete", delete),
        ):
            app.add_url_rule(
                f"{V1}/{collection}{suffix}",
                f"{verb}{type_name}{tail}",
                handler,
                methods=[method],
                defaults={"by_app_id": by_app_id},
            )
