"""SCIM PATCH (RFC 7644 section 3.5.2) applied to a resource's JSON: add, replace, remove with
paths ``attr``, ``attr.sub``, ``attr[sub eq "v"]``, ``attr[sub eq "v"].sub`` and URN-prefixed
extension attributes. Operation names are case-insensitive (Entra ID sends ``Replace``)."""
import copy
import json
import re
from typing import Any

from twin.aws.scim.errors import ScimError

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
EXTENSION_URNS = {"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"}
PATH = re.compile(r"^(?P<urn>urn:[^\s\[]*:)?(?P<attr>[A-Za-z$][\w$-]*)(?:\[(?P<filter>[^\]]+)\])?"
                  r"(?:\.(?P<sub>[A-Za-z$][\w$-]*))?$")


def _find_key(data: dict, name: str) -> str:
    return next((k for k in data if k.lower() == name.lower()), name)


def _container(resource: dict, urn: str | None) -> dict:
    if not urn:
        return resource
    key = urn.rstrip(":")
    return resource.setdefault(key, {})


def _split_urn_path(path: str) -> tuple[str | None, str]:
    match = re.match(r"^(urn:.+):([^:]+)$", path)
    if match and match.group(2) and not match.group(2).startswith("urn"):
        return match.group(1) + ":", match.group(2)
    return None, path


VALUE_TERM = re.compile(r'^\s*(?P<attr>[A-Za-z][\w.:$-]*)\s+eq\s+'
                        r'(?P<value>"(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)\s*$', re.IGNORECASE)
SPLIT_AND = re.compile(r'\s+and\s+(?=(?:[^"]*"[^"]*")*[^"]*$)', re.IGNORECASE)


def _value_filter(text: str, allowed: dict[str, str]) -> list[tuple[str, Any]]:
    """[(attribute, value)] of a PATCH value-path filter such as emails[type eq "work"] (RFC 7644 3.5.2;
    the ListUsers/ListGroups filters are twin.aws.scim.filters)."""
    terms = []
    for part in SPLIT_AND.split(text.strip()):
        match = VALUE_TERM.match(part)
        attr = allowed.get(match["attr"].lower()) if match else None
        if attr is None:
            raise ScimError(400, f"PATCH value filter {text!r} is not supported", "invalidFilter")
        terms.append((attr, json.loads(match["value"])))
    return terms


def _matches(item: Any, terms: list[tuple[str, Any]]) -> bool:
    if not isinstance(item, dict):
        return False
    for attr, value in terms:
        actual = item.get(_find_key(item, attr))
        if isinstance(actual, str) and isinstance(value, str):
            if actual.lower() != value.lower():
                return False
        elif actual != value:
            return False
    return True


def _set(target: dict, key: str, value: Any, op: str) -> None:
    existing = target.get(key)
    if op == "add" and isinstance(existing, list):
        additions = value if isinstance(value, list) else [value]
        target[key] = existing + [v for v in additions if v not in existing]
    elif op == "add" and isinstance(existing, dict) and isinstance(value, dict):
        existing.update(value)
    else:
        target[key] = value


def apply(resource: dict, request: dict, allowed_filter_attrs: dict[str, str] | None = None) -> dict:
    if PATCH_SCHEMA not in (request.get("schemas") or []):
        raise ScimError(400, f"PATCH requests must use the schema {PATCH_SCHEMA}", "invalidSyntax")
    operations = request.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "PATCH requests must have a non-empty Operations list", "invalidSyntax")
    result = copy.deepcopy(resource)
    for operation in operations:
        _apply_one(result, operation, allowed_filter_attrs or {})
    return result


def _apply_one(resource: dict, operation: dict, filter_attrs: dict[str, str]) -> None:
    op = str(operation.get("op", "")).lower()
    if op not in ("add", "replace", "remove"):
        raise ScimError(400, f"PATCH op {operation.get('op')!r} is not add, replace or remove",
                        "invalidSyntax")
    path, value = operation.get("path"), operation.get("value")
    if op != "remove" and "value" not in operation:
        raise ScimError(400, f"PATCH {op} needs a value", "invalidValue")
    if not path:
        if op == "remove":
            raise ScimError(400, "PATCH remove needs a path", "noTarget")
        if not isinstance(value, dict):
            raise ScimError(400, "PATCH without path needs an object value", "invalidValue")
        for key, item in value.items():
            urn, name = _split_urn_path(key) if key.startswith("urn:") and "." not in key else (None, key)
            if key.startswith("urn:") and isinstance(item, dict):
                _container(resource, key + ":").update(item)
            elif "." in key and not key.startswith("urn:"):
                _apply_one(resource, {"op": op, "path": key, "value": item}, filter_attrs)
            else:
                target = _container(resource, urn)
                _set(target, _find_key(target, name), item, op)
        return
    if path in EXTENSION_URNS or (path in resource and path.startswith("urn:")):
        if op == "remove":
            del resource[path]
        else:
            _set(resource, path, value, op)
        return
    urn, rest = _split_urn_path(path) if path.startswith("urn:") else (None, path)
    match = PATH.match(rest)
    if not match:
        raise ScimError(400, f"PATCH path {path!r} is not supported", "invalidPath")
    target = _container(resource, urn)
    key = _find_key(target, match["attr"])
    if match["filter"]:
        terms = _value_filter(match["filter"], {**filter_attrs, "value": "value", "type": "type",
                                                 "primary": "primary"})
        items = target.get(key) or []
        selected = [i for i in items if _matches(i, terms)]
        if not selected and op != "add":
            raise ScimError(400, f"PATCH path {path!r} matches nothing", "noTarget")
        if op == "remove":
            target[key] = [i for i in items if i not in selected] if not match["sub"] else items
            for item in selected if match["sub"] else []:
                item.pop(_find_key(item, match["sub"]), None)
        elif match["sub"]:
            if not selected:
                new = {t[0]: t[1] for t in terms}
                items.append(new)
                selected = [new]
                target[key] = items
            for item in selected:
                item[_find_key(item, match["sub"])] = value
        else:
            for item in selected:
                if isinstance(value, dict):
                    item.update(value)
        return
    if match["sub"]:
        parent = target.setdefault(key, {})
        if not isinstance(parent, dict):
            raise ScimError(400, f"PATCH path {path!r} is not a complex attribute", "invalidPath")
        sub = _find_key(parent, match["sub"])
        if op == "remove":
            parent.pop(sub, None)
        else:
            _set(parent, sub, value, op)
        return
    if op == "remove":
        if isinstance(value, list) and isinstance(target.get(key), list):
            drop = {v.get("value") for v in value if isinstance(v, dict)}
            target[key] = [i for i in target[key] if not (isinstance(i, dict) and i.get("value") in drop)]
        else:
            target.pop(key, None)
        return
    _set(target, key, value, op)
