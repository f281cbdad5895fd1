"""Collection responses: $filter, $select, $top and server-driven paging (@odata.nextLink).

References: Microsoft Graph "Paging Microsoft Graph data in your app" (opaque $skiptoken in
an absolute @odata.nextLink), "Use query parameters" ($select, $top, $filter).
"""

import base64
from urllib.parse import urlencode

from flask import request

from twin.azure import ids
from twin.azure.graph.odata_filter import DIRECTORY_FUNCTIONS, FilterError, compile_filter

DEFAULT_PAGE = 100
MAX_PAGE = 999


class QueryError(ValueError):
    pass


def select(item: dict, fields: list[str] | None, type_name: str) -> dict:
    if not fields:
        return item
    unknown = [f for f in fields if f not in item]
    if unknown:
        raise QueryError(
            f"Could not find a property named '{unknown[0]}' on type 'microsoft.graph.{type_name}'."
        )
    return {f: item[f] for f in fields}


def selected_fields() -> list[str] | None:
    raw = request.args.get("$select")
    return [f.strip() for f in raw.split(",") if f.strip()] if raw else None


def context_url(entity_set: str) -> str:
    return f"{ids.GRAPH_URL}/v1.0/$metadata#{entity_set}"


def collection(
    items: list[dict],
    entity_set: str,
    type_name: str,
    view=None,
    default_page: int = DEFAULT_PAGE,
    functions: frozenset[str] = DIRECTORY_FUNCTIONS,
) -> dict:
    """One page of items after $filter (on whole objects), view, $select and $top, with @odata.nextLink."""
    raw_filter = request.args.get("$filter")
    if raw_filter:
        try:
            predicate = compile_filter(raw_filter, functions)
        except FilterError as e:
            raise QueryError(str(e)) from e
        items = [i for i in items if predicate(i)]
    try:
        top = int(request.args.get("$top", default_page))
        offset = int(base64.urlsafe_b64decode(request.args.get("$skiptoken", "MA==")).decode())
    except ValueError as e:
        raise QueryError("Invalid $top or $skiptoken value.") from e
    if not 1 <= top <= MAX_PAGE:
        raise QueryError(f"Invalid page size specified: '{top}'. Must be between 1 and {MAX_PAGE} inclusive.")
    fields = selected_fields()
    view = view or (lambda item: item)
    page = [select(view(i), fields, type_name) for i in items[offset : offset + top]]
    body = {"@odata.context": context_url(entity_set), "value": page}
    if offset + top < len(items):
        args = {k: v for k, v in request.args.items() if k != "$skiptoken"}
        args["$skiptoken"] = base64.urlsafe_b64encode(str(offset + top).encode()).decode()
        body["@odata.nextLink"] = f"{ids.GRAPH_URL}{request.path}?{urlencode(args, safe='$')}"
    return body
