"""The SCIM 2.0 client side of Entra's provisioning service (RFC 7644 requests over HTTPS).

Entra's documented behaviour ("Tutorial: Develop and plan provisioning for a SCIM endpoint"):
match with GET /Users?filter=userName eq "<value>", create with POST /Users, update with
PATCH /Users/{id} (PatchOp, one operation per attribute), disable with active=false; Test
Connection queries a user name that does not exist and expects 200 with no resources.
"""

import uuid
from dataclasses import dataclass

import requests

PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class ScimError(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(f"SCIM {status}: {detail}")
        self.status, self.detail = status, detail


@dataclass
class ScimClient:
    base_address: str
    token: str
    ca_bundle: str | bool
    timeout: float = 15.0

    def _call(self, method: str, path: str, body: dict | None = None, params: dict | None = None) -> dict:
        url = self.base_address.rstrip("/") + path
        try:
            response = requests.request(
                method,
                url,
                json=body,
                params=params,
                timeout=self.timeout,
                verify=self.ca_bundle,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Accept": "application/scim+json",
                    "Content-Type": "application/scim+json",
                },
            )
        except requests.RequestException as e:
            raise ScimError(0, f"the SCIM endpoint {self.base_address} could not be reached: {e}") from e
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail") or response.text
            except ValueError:
                detail = response.text
            raise ScimError(response.status_code, str(detail)[:500])
        return response.json() if response.content else {}

    def find_user(self, attribute: str, value: str) -> dict | None:
        escaped = str(value).replace('"', '\\"')
        found = self._call("GET", "/Users", params={"filter": f'{attribute} eq "{escaped}"'})
        resources = found.get("Resources") or []
        return resources[0] if resources else None

    def create_user(self, resource: dict) -> dict:
        return self._call("POST", "/Users", resource)

    def update_user(self, scim_id: str, resource: dict) -> dict:
        return self._call(
            "PATCH",
            f"/Users/{scim_id}",
            {"schemas": [PATCH_SCHEMA], "Operations": patch_operations(resource)},
        )

    def disable_user(self, scim_id: str) -> dict:
        return self._call(
            "PATCH",
            f"/Users/{scim_id}",
            {"schemas": [PATCH_SCHEMA], "Operations": [{"op": "replace", "path": "active", "value": False}]},
        )

    def test_connection(self) -> None:
        self.find_user("userName", f"entra-test-connection-{uuid.uuid4()}")


def patch_operations(resource: dict) -> list[dict]:
    operations = []
    for key, value in resource.items():
        if key in ("schemas", "userName"):
            continue
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                path = f"{key}:{sub}" if key.startswith("urn:") else f"{key}.{sub}"
                operations.append({"op": "replace", "path": path, "value": sub_value})
        elif isinstance(value, list):
            for item in value:
                for sub, sub_value in item.items():
                    if sub not in ("type", "primary"):
                        operations.append(
                            {
                                "op": "replace",
                                "path": f'{key}[type eq "{item["type"]}"].{sub}',
                                "value": sub_value,
                            }
                        )
        else:
            operations.append({"op": "replace", "path": key, "value": value})
    return operations
