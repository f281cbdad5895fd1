"""Ownership markers on Entra objects, and the check made before deleting one.

- applications and service principals: the marker in `tags` and a sentence in `notes`
  (https://learn.microsoft.com/graph/api/resources/application, .../serviceprincipal);
- users: `onPremisesExtensionAttributes.extensionAttribute15`, writable for cloud-only users
  (https://learn.microsoft.com/graph/api/resources/onpremisesextensionattributes);
- claims-mapping policies: the marker as the prefix of `displayName`.
"""

USER_MARKER_ATTRIBUTE = "extensionAttribute15"


def notes(marker: str, purpose: str) -> str:
    return f"Managed by {marker}: {purpose}. Deleted by its teardown; do not edit by hand."


def tags_with(existing: list[str] | None, marker: str) -> list[str]:
    tags = list(existing or [])
    return tags if marker in tags else tags + [marker]


def app_is_marked(obj: dict | None, marker: str) -> bool:
    return bool(obj) and marker in (obj.get("tags") or [])


def user_fields(marker: str) -> dict:
    return {"onPremisesExtensionAttributes": {USER_MARKER_ATTRIBUTE: marker}}


def user_is_marked(user: dict | None, marker: str) -> bool:
    attributes = (user or {}).get("onPremisesExtensionAttributes") or {}
    return attributes.get(USER_MARKER_ATTRIBUTE) == marker


def policy_name(marker: str, purpose: str) -> str:
    return f"{marker}: {purpose}"


def policy_is_marked(policy: dict | None, marker: str) -> bool:
    return bool(policy) and str(policy.get("displayName", "")).startswith(f"{marker}: ")
