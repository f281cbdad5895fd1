"""SCIM error responses (RFC 7644 section 3.12), with the HTTP statuses the IAM Identity Center
SCIM developer guide lists per operation (ValidationException 400, UnauthorizedException 401,
ResourceNotFoundException 404, ConflictException 409, ThrottlingException 429)."""
import json
import uuid

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimError(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type


def invalid(detail: str, scim_type: str = "invalidValue") -> ScimError:
    return ScimError(400, detail, scim_type)


def not_found(kind: str, resource_id: str) -> ScimError:
    return ScimError(404, f"{kind} not found: {resource_id}")


def body(error: ScimError) -> dict:
    data = {"schemas": [ERROR_SCHEMA], "status": str(error.status), "detail": error.detail}
    if error.scim_type:
        data["scimType"] = error.scim_type
    return data


def request_id() -> str:
    return str(uuid.uuid4())


def dumps(data: dict) -> bytes:
    return json.dumps(data).encode()
