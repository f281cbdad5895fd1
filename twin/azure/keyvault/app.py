"""<vault>.vault.azure.net: the secrets data plane, with soft delete, recover and purge.

References: Key Vault REST API 7.x "Set Secret", "Get Secret", "Get Secrets", "Get Secret
Versions", "Update Secret", "Delete Secret" (DeletedSecretBundle with recoveryId,
deletedDate, scheduledPurgeDate), "Get Deleted Secret(s)", "Purge Deleted Secret" (204),
"Recover Deleted Secret"; "Authentication, requests and responses" (a request without a
token gets 401 with WWW-Authenticate: Bearer authorization=<authority>/<tenant>,
resource=https://vault.azure.net — the challenge the SDKs follow); "Azure RBAC for Key Vault
data plane" (Key Vault Secrets Officer / User) and access policies when RBAC is off; error
codes SecretNotFound, Conflict/ObjectIsDeletedButRecoverable, Forbidden/ForbiddenByRbac.

A purge completes after its 204: until then the name answers 404 as a deleted secret and a Set Secret
answers 409 Conflict, innererror ObjectIsBeingDeleted, "currently being deleted and cannot be
re-created; retry later" (the body quoted in Azure/azure-sdk-for-net issue 34322; Key Vault has no API
to poll a purge, Azure/azure-sdk-for-python issue 19263 and azure-sdk-for-net issue 26027, "1 to 5
seconds"). A keyvault delay rule on purgeDeletedSecret sets how long a purge takes (apart from the
setSecret rules that model RBAC propagation); without one it is instant.
"""

import datetime
import re
import time
import uuid

from flask import Response, request

from twin.azure import catalogue, ids
from twin.azure.arm.authorization import RBAC_PROPAGATION, roles_of
from twin.azure.tokens import TokenError, bearer
from twin.azure.web import json_response, make_app, request_json

NAME = re.compile(r"^[0-9a-zA-Z-]{1,127}$")
WRITE_OPS = {"set", "delete", "recover", "purge"}
OPERATIONS = {  # route -> the secrets permission it needs ("Azure RBAC for Key Vault data plane")
    "setSecret": "set",
    "getSecret": "get",
    "updateSecret": "set",
    "getSecrets": "list",
    "getSecretVersions": "list",
    "deleteSecret": "delete",
    "getDeletedSecret": "list",
    "getDeletedSecrets": "list",
    "purgeDeletedSecret": "purge",
    "recoverDeletedSecret": "recover",
    "getCertificateContacts": "get",
}


def _error(status: int, code: str, message: str, inner: str | None = None) -> Response:
    error = {"code": code, "message": message}
    if inner:
        error["innererror"] = {"code": inner}
    return json_response({"error": error}, status)


def _vault_name() -> str:
    return request.host.split(":")[0].split(".")[0].lower()


def _base() -> str:
    return f"https://{_vault_name()}.{ids.KEYVAULT_SUFFIX}"


def _attributes(version: dict, days: int) -> dict:
    return {**version["attributes"], "recoveryLevel": "Recoverable+Purgeable", "recoverableDays": days}


def _item(name: str, version: dict, days: int, versioned: bool = False) -> dict:
    """SecretItem (list answers): id without the version unless ``versioned``, no value."""
    suffix = f"/{version['version']}" if versioned else ""
    body = {
        "id": f"{_base()}/secrets/{name}{suffix}",
        "attributes": _attributes(version, days),
        "tags": version.get("tags") or {},
    }
    if version.get("contentType") is not None:
        body["contentType"] = version["contentType"]
    return body


def _bundle(name: str, version: dict, days: int, with_value: bool = True) -> dict:
    """SecretBundle: the versioned id, and the value unless left out."""
    body = _item(name, version, days, versioned=True)
    if with_value:
        body["value"] = version["value"]
    return body


def make_keyvault_app(store, context):
    app = make_app("azure-keyvault", "keyvault", context)

    def vault():
        return store.vaults.get(_vault_name())

    def in_effect(assignment: dict) -> bool:
        """Azure RBAC for Key Vault: "it can take up to 10 minutes (600 seconds) after role
        assignments are changed for the role to be applied" (a keyvault delay fault, from creation)."""
        key = assignment["id"].lower()
        return context.faults.hidden(RBAC_PROPAGATION, request.endpoint or "*", [key]) is None

    def authorize(operation: str):
        """None when the caller may perform operation on the secrets of this vault, else the error."""
        token = bearer(request.environ)
        if token is None:
            response = _error(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.")
            response.headers["WWW-Authenticate"] = (
                f'Bearer authorization="{ids.AUTHORITY}/{ids.TENANT_ID}", resource="{ids.KEYVAULT_AUDIENCE}"'
            )
            return response
        try:
            claims = store.issuer.verify(token, {ids.KEYVAULT_AUDIENCE})
        except TokenError as e:
            return _error(401, "Unauthorized", f"AKV10022: Invalid audience or token: {e}")
        with store.lock:
            found = vault()
            if found is None:
                return _error(404, "VaultNotFound", f"The vault '{_vault_name()}' does not exist.")
            principal = claims["oid"]
            if found["properties"]["enableRbacAuthorization"]:
                roles = roles_of(store, principal, found["id"], in_effect)
                allowed = (
                    catalogue.SECRET_WRITER_ROLES if operation in WRITE_OPS else catalogue.SECRET_READER_ROLES
                )
                if roles & allowed:
                    return None
                return _error(
                    403,
                    "Forbidden",
                    f"Caller is not authorized to perform action on resource.\r\nIf role assignments, "
                    f"deny assignments or role definitions were changed recently, please observe "
                    f"propagation time.\r\nCaller: appid={claims.get('appid')};oid={principal}\r\n"
                    f"Action: 'Microsoft.KeyVault/vaults/secrets/{operation}Secret/action'\r\n"
                    f"Resource: '{found['id'].lower()}'\r\nAssignment: (not found)\r\n",
                    "ForbiddenByRbac",
                )
            for policy in found["properties"].get("accessPolicies") or []:
                if policy.get("objectId") == principal and operation in {
                    p.lower() for p in (policy.get("permissions") or {}).get("secrets") or []
                }:
                    return None
            return _error(
                403,
                "Forbidden",
                f"The user, group or application 'appid={claims.get('appid')};"
                f"oid={principal}' does not have secrets {operation} permission on key "
                f"vault '{found['name']}'.",
                "AccessDenied",
            )

    def days() -> int:
        return vault()["properties"]["softDeleteRetentionInDays"]

    def secrets_of() -> dict[str, list[dict]]:
        return store.secrets.setdefault(_vault_name(), {})

    def deleted_of() -> dict[str, dict]:
        return store.deleted_secrets.setdefault(_vault_name(), {})

    def purge_key(name: str) -> str:
        return f"purged:{_vault_name()}/{name.lower()}"

    def not_found(name: str):
        return _error(
            404,
            "SecretNotFound",
            f"A secret with (name/id) {name} was not found in this key vault. If "
            "you recently deleted this secret you may be able to recover it using "
            "the correct recovery command.",
        )

    @app.before_request
    def require_api_version_and_permission():
        if not request.args.get("api-version"):
            return _error(400, "BadParameter", "The api-version parameter is required.")
        operation = OPERATIONS.get(request.endpoint or "")
        return authorize(operation) if operation else None

    @app.put("/secrets/<name>")
    def setSecret(name):
        body = request_json()
        if not NAME.match(name):
            return _error(400, "BadParameter", "The request URI contains an invalid name: " + name)
        if not isinstance(body.get("value"), str):
            return _error(400, "BadParameter", "Property 'value' is required.")
        now = int(time.time())
        with store.lock:
            if name.lower() in {n.lower() for n in deleted_of()}:
                return _error(
                    409,
                    "Conflict",
                    f"Secret {name} is currently in a deleted but recoverable state, "
                    "and its name cannot be reused; in this state, the secret can only "
                    "be recovered or purged.",
                    "ObjectIsDeletedButRecoverable",
                )
            if context.faults.hidden("keyvault", "purgeDeletedSecret", [purge_key(name)]):
                return _error(
                    409,
                    "Conflict",
                    f"Secret {name} is currently being deleted and cannot be re-created; retry later.",
                    "ObjectIsBeingDeleted",
                )
            attributes = {"enabled": True, "created": now, "updated": now, **(body.get("attributes") or {})}
            version = {
                "version": uuid.uuid4().hex,
                "value": body["value"],
                "contentType": body.get("contentType"),
                "tags": body.get("tags") or {},
                "attributes": attributes,
            }
            existing_name = next((n for n in secrets_of() if n.lower() == name.lower()), name)
            secrets_of().setdefault(existing_name, []).append(version)
            return json_response(_bundle(existing_name, version, days()))

    def lookup(name: str, version_id: str | None):
        stored_name = next((n for n in secrets_of() if n.lower() == name.lower()), None)
        if stored_name is None:
            return None, None
        versions = secrets_of()[stored_name]
        if not version_id:
            return stored_name, versions[-1]
        return stored_name, next((v for v in versions if v["version"] == version_id), None)

    @app.get("/secrets/<name>", defaults={"version_id": None})
    @app.get("/secrets/<name>/<version_id>")
    def getSecret(name, version_id):
        with store.lock:
            stored_name, version = lookup(name, version_id)
            if version is None:
                return not_found(name)
            if not version["attributes"].get("enabled", True):
                return _error(
                    403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled"
                )
            return json_response(_bundle(stored_name, version, days()))

    @app.patch("/secrets/<name>", defaults={"version_id": None})
    @app.patch("/secrets/<name>/<version_id>")
    def updateSecret(name, version_id):
        body = request_json()
        with store.lock:
            stored_name, version = lookup(name, version_id)
            if version is None:
                return not_found(name)
            if "contentType" in body:
                version["contentType"] = body["contentType"]
            if "tags" in body:
                version["tags"] = body["tags"] or {}
            version["attributes"].update(body.get("attributes") or {})
            version["attributes"]["updated"] = int(time.time())
            return json_response(_bundle(stored_name, version, days(), with_value=False))

    @app.get("/secrets")
    def getSecrets():
        with store.lock:
            items = [_item(n, versions[-1], days()) for n, versions in secrets_of().items()]
        return json_response({"value": items, "nextLink": None})

    @app.get("/secrets/<name>/versions")
    def getSecretVersions(name):
        with store.lock:
            stored_name, _ = lookup(name, None)
            if stored_name is None:
                return not_found(name)
            items = [_item(stored_name, v, days(), versioned=True) for v in secrets_of()[stored_name]]
        return json_response({"value": items, "nextLink": None})

    def deleted_bundle(name: str, entry: dict) -> dict:
        return {
            **_bundle(name, entry["versions"][-1], days(), with_value=False),
            "recoveryId": f"{_base()}/deletedsecrets/{name}",
            "deletedDate": entry["deletedDate"],
            "scheduledPurgeDate": entry["scheduledPurgeDate"],
        }

    @app.delete("/secrets/<name>")
    def deleteSecret(name):
        with store.lock:
            stored_name, _ = lookup(name, None)
            if stored_name is None:
                return not_found(name)
            now = int(time.time())
            purge = now + int(datetime.timedelta(days=days()).total_seconds())
            entry = {
                "versions": secrets_of().pop(stored_name),
                "deletedDate": now,
                "scheduledPurgeDate": purge,
            }
            deleted_of()[stored_name] = entry
            return json_response(deleted_bundle(stored_name, entry))

    def deleted_not_found(name: str):
        return _error(404, "SecretNotFound", f"Deleted Secret not found: {name}")

    def deleted_lookup(name: str):
        return next((n for n in deleted_of() if n.lower() == name.lower()), None)

    @app.get("/deletedsecrets/<name>")
    def getDeletedSecret(name):
        with store.lock:
            stored_name = deleted_lookup(name)
            if stored_name is None:
                return deleted_not_found(name)
            return json_response(deleted_bundle(stored_name, deleted_of()[stored_name]))

    @app.get("/deletedsecrets")
    def getDeletedSecrets():
        with store.lock:
            items = [
                {k: v for k, v in deleted_bundle(n, e).items() if k != "value"}
                for n, e in deleted_of().items()
            ]
        return json_response({"value": items, "nextLink": None})

    @app.delete("/deletedsecrets/<name>")
    def purgeDeletedSecret(name):
        with store.lock:
            stored_name = deleted_lookup(name)
            if stored_name is None:
                return deleted_not_found(name)
            del deleted_of()[stored_name]
        context.faults.record_created("keyvault", [purge_key(stored_name)])
        return json_response(None, 204)

    @app.post("/deletedsecrets/<name>/recover")
    def recoverDeletedSecret(name):
        with store.lock:
            stored_name = deleted_lookup(name)
            if stored_name is None:
                return deleted_not_found(name)
            entry = deleted_of().pop(stored_name)
            secrets_of()[stored_name] = entry["versions"]
            return json_response(_bundle(stored_name, entry["versions"][-1], days(), with_value=False))

    @app.get("/certificates/contacts")
    def getCertificateContacts():
        return _error(404, "ContactsNotFound", "Contacts not found")

    return app
