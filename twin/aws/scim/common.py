"""Shared pieces of the SCIM resources: schemas URNs, timestamps, list responses."""
import base64
import datetime
from typing import Any

from twin.aws.scim.errors import ScimError

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
MAX_PAGE = 100  # ListUsers/ListGroups: "count ... Maximum value of 100. Default: 100"


def now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def require_schema(resource: Any, schema: str) -> dict:
    if not isinstance(resource, dict):
        raise ScimError(400, "The request body must be a JSON object", "invalidSyntax")
    if schema not in (resource.get("schemas") or []):
        raise ScimError(400, f"The request must list the schema {schema}", "invalidSyntax")
    return resource


def non_empty_string(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def page(items: list[dict], args: dict[str, str]) -> dict:
    """ListResponse (RFC 7644 section 3.4.2.4) with IAM Identity Center's count and cursor rules."""
    count = MAX_PAGE
    if "count" in args:
        try:
            count = int(args["count"])
        except ValueError:
            raise ScimError(400, f"count {args['count']!r} is not a number", "invalidValue") from None
        if not 1 <= count <= MAX_PAGE:
            raise ScimError(400, f"count must be between 1 and {MAX_PAGE}", "invalidValue")
    if "cursor" in args:
        offset = _decode_cursor(args["cursor"]) if args["cursor"] else 0
        chunk = items[offset:offset + count]
        answer = {"schemas": [LIST_SCHEMA], "itemsPerPage": len(chunk), "Resources": chunk}
        if offset + count < len(items):
            answer["nextCursor"] = base64.urlsafe_b64encode(str(offset + count).encode()).decode()
        return answer
    chunk = items[:count]
    return {"schemas": [LIST_SCHEMA], "totalResults": len(items), "itemsPerPage": len(chunk), "startIndex": 1,
            "Resources": chunk}


def _decode_cursor(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except ValueError:
        raise ScimError(400, f"cursor {cursor!r} is not valid", "invalidValue") from None
