"""Evaluates the template's attribute mappings for one Entra user into a SCIM User resource."""

from twin.azure.provisioning.template import ENTERPRISE

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
# Entra source attribute names that differ from the Graph user property names.
SOURCE_ALIASES = {
    "telephoneNumber": lambda u: (u.get("businessPhones") or [None])[0],
    "mobile": lambda u: u.get("mobilePhone"),
    "objectId": lambda u: u.get("id"),
    "IsSoftDeleted": lambda u: not u.get("accountEnabled", True),
}


def evaluate(source: dict, user: dict):
    kind = source["type"]
    if kind == "Constant":
        return source["name"]
    if kind == "Attribute":
        alias = SOURCE_ALIASES.get(source["name"])
        return alias(user) if alias else user.get(source["name"])
    params = {p["key"]: evaluate(p["value"], user) for p in source.get("parameters", [])}
    if source["name"] == "Join":
        parts = [str(v) for k, v in sorted(params.items()) if k != "separator" and v not in (None, "")]
        return params.get("separator", "").join(parts) or None
    if source["name"] == "Switch":
        return not params.get("source")  # True -> active false; the Switch maps IsSoftDeleted to active
    raise ValueError(f"the twin cannot evaluate function {source['name']}")


def _set(resource: dict, target: str, value) -> None:
    if target.startswith(ENTERPRISE + ":"):
        resource.setdefault(ENTERPRISE, {})[target[len(ENTERPRISE) + 1 :]] = value
        if ENTERPRISE not in resource["schemas"]:
            resource["schemas"].append(ENTERPRISE)
        return
    if "[type eq " in target:
        collection, rest = target.split("[type eq ", 1)
        kind, _, sub = rest.partition("].")
        kind = kind.strip('"')
        items = resource.setdefault(collection, [])
        entry = next((i for i in items if i.get("type") == kind), None)
        if entry is None:
            entry = {"type": kind, "primary": not items}
            items.append(entry)
        entry[sub] = value
        return
    head, _, sub = target.partition(".")
    if sub:
        resource.setdefault(head, {})[sub] = value
    else:
        resource[head] = value


def scim_user(mappings: list[dict], user: dict) -> dict:
    resource = {"schemas": [CORE]}
    for mapping in mappings:
        value = evaluate(mapping["source"], user)
        if value in (None, "", []):
            continue
        _set(resource, mapping["targetAttributeName"], value)
    return resource


def matching(mappings: list[dict], resource: dict) -> tuple[str, str]:
    """(target attribute, value) used to find the user in the target (highest matching priority)."""
    best = min((m for m in mappings if m["matchingPriority"]), key=lambda m: m["matchingPriority"])
    return best["targetAttributeName"], resource[best["targetAttributeName"]]
