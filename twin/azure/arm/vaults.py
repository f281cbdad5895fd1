"""Microsoft.KeyVault/vaults management plane, with soft delete, recovery and purge.

References: Azure REST API Key Vault "Vaults - Create Or Update / Get / Update / Delete /
List By Resource Group / List By Subscription / Get Deleted / List Deleted / Purge Deleted /
Check Name Availability"; "Azure Key Vault soft-delete overview" (a deleted vault keeps its
name reserved until purged or until softDeleteRetentionInDays pass; createMode "recover"
brings it back); vault names are 3-24 characters, letters, digits and hyphens, globally unique.
"""

import datetime
import re
import uuid

from flask import request

from twin.azure import catalogue, ids
from twin.azure.web import arm_error, json_response, request_json

SUB = catalogue.SUBSCRIPTION_SCOPE
NAME = re.compile(r"^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
PROPERTY_DEFAULTS = {
    "accessPolicies": [],
    "enabledForDeployment": False,
    "enabledForDiskEncryption": False,
    "enabledForTemplateDeployment": False,
    "enableSoftDelete": True,
    "softDeleteRetentionInDays": 90,
    "enableRbacAuthorization": False,
    "publicNetworkAccess": "Enabled",
}


def public(vault: dict) -> dict:
    return {k: v for k, v in vault.items() if not k.startswith("_")}


def generic(vault: dict) -> dict:
    return {
        "id": vault["id"],
        "name": vault["name"],
        "type": vault["type"],
        "location": vault["location"],
        "tags": vault["tags"],
    }


def soft_delete(store, vault: dict) -> None:
    name = vault["name"].lower()
    del store.vaults[name]
    now = datetime.datetime.now(datetime.UTC)
    days = vault["properties"]["softDeleteRetentionInDays"]
    store.deleted_vaults[name] = {
        "id": f"{SUB}/providers/Microsoft.KeyVault/locations/{vault['location']}/deletedVaults/"
        f"{vault['name']}",
        "name": vault["name"],
        "type": "Microsoft.KeyVault/deletedVaults",
        "properties": {
            "vaultId": vault["id"],
            "location": vault["location"],
            "deletionDate": now.isoformat().replace("+00:00", "Z"),
            "scheduledPurgeDate": (now + datetime.timedelta(days=days)).isoformat().replace("+00:00", "Z"),
            "tags": vault["tags"],
            "purgeProtectionEnabled": bool(vault["properties"].get("enablePurgeProtection")),
        },
        "_vault": vault,
    }


def register(app, store, context) -> None:
    base = "/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults"

    def not_found(name: str):
        return arm_error(
            404,
            "ResourceNotFound",
            f"The Resource 'Microsoft.KeyVault/vaults/{name}' under resource group was not found.",
        )

    @app.put(f"{base}/<name>")
    def createVault(sub, rg, name):
        body = request_json()
        props = body.get("properties") or {}
        if not NAME.match(name) or "--" in name:
            return arm_error(
                400,
                "VaultNameNotValid",
                f"The vault name '{name}' is invalid. A vault's name must be "
                "between 3-24 alphanumeric characters.",
            )
        with store.lock:
            if "microsoft.keyvault" not in store.registered_providers:
                # "Resolve errors for resource provider registration" (Azure Resource Manager).
                return arm_error(
                    409,
                    "MissingSubscriptionRegistration",
                    "The subscription is not registered to use namespace 'Microsoft.KeyVault'. See "
                    "https://aka.ms/rps-not-found for how to register subscriptions.",
                )
            group = store.resource_groups.get(rg.lower())
            if group is None:
                return arm_error(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")
            key = name.lower()
            if props.get("createMode") == "recover":
                deleted = store.deleted_vaults.pop(key, None)
                if deleted is None:
                    return arm_error(404, "DeletedVaultNotFound", f"Deleted vault '{name}' was not found.")
                store.vaults[key] = deleted["_vault"]
                context.add_hostname(f"{key}.{ids.KEYVAULT_SUFFIX}")
                return json_response(public(deleted["_vault"]), 200)
            if key in store.deleted_vaults:
                return arm_error(
                    409,
                    "ConflictError",
                    f"A vault with the same name already exists in deleted state. "
                    f"You need to either recover or purge existing deleted vault "
                    f"'{name}'.",
                )
            existing = store.vaults.get(key)
            if existing and existing["_resourceGroup"].lower() != rg.lower():
                return arm_error(409, "VaultAlreadyExists", f"The vault name '{name}' is already in use.")
            if not props.get("tenantId") or not (props.get("sku") or {}).get("name"):
                return arm_error(400, "BadRequest", "The properties tenantId and sku are required.")
            if props["tenantId"] != ids.TENANT_ID:
                return arm_error(
                    400,
                    "BadRequest",
                    f"The tenant '{props['tenantId']}' is not the tenant of the subscription.",
                )
            properties = {
                **PROPERTY_DEFAULTS,
                **(existing or {}).get("properties", {}),
                **{k: v for k, v in props.items() if k != "createMode"},
            }
            properties.update(
                {
                    "vaultUri": f"https://{key}.{ids.KEYVAULT_SUFFIX}/",
                    "provisioningState": "Succeeded",
                    "enableSoftDelete": True,
                }
            )
            vault = {
                "id": f"{SUB}/resourceGroups/{group['name']}/providers/Microsoft.KeyVault/vaults/{name}",
                "name": name,
                "type": "Microsoft.KeyVault/vaults",
                "location": str(body.get("location", group["location"])).replace(" ", "").lower(),
                "tags": body.get("tags") or {},
                "properties": properties,
                "systemData": {"createdBy": ids.AUTOMATION_CLIENT_ID, "createdByType": "Application"},
                "_resourceGroup": group["name"],
            }
            store.vaults[key] = vault
            store.secrets.setdefault(key, {})
            store.deleted_secrets.setdefault(key, {})
        context.add_hostname(f"{key}.{ids.KEYVAULT_SUFFIX}")
        return json_response(public(vault), 200 if existing else 201)

    @app.get(f"{base}/<name>")
    def getVault(sub, rg, name):
        with store.lock:
            vault = store.vaults.get(name.lower())
            if vault is None or vault["_resourceGroup"].lower() != rg.lower():
                return not_found(name)
            return json_response(public(vault))

    @app.patch(f"{base}/<name>")
    def updateVault(sub, rg, name):
        body = request_json()
        with store.lock:
            vault = store.vaults.get(name.lower())
            if vault is None or vault["_resourceGroup"].lower() != rg.lower():
                return not_found(name)
            if "tags" in body:
                vault["tags"] = body["tags"] or {}
            vault["properties"].update(body.get("properties") or {})
            return json_response(public(vault))

    @app.delete(f"{base}/<name>")
    def deleteVault(sub, rg, name):
        with store.lock:
            vault = store.vaults.get(name.lower())
            if vault is None or vault["_resourceGroup"].lower() != rg.lower():
                return json_response(None, 204)
            soft_delete(store, vault)
        return json_response(None, 200)

    @app.get(base)
    def listVaultsByResourceGroup(sub, rg):
        with store.lock:
            return json_response(
                {
                    "value": [
                        public(v) for v in store.vaults.values() if v["_resourceGroup"].lower() == rg.lower()
                    ]
                }
            )

    @app.get("/subscriptions/<sub>/providers/Microsoft.KeyVault/vaults")
    def listVaultsBySubscription(sub):
        with store.lock:
            return json_response({"value": [public(v) for v in store.vaults.values()]})

    @app.get("/subscriptions/<sub>/providers/Microsoft.KeyVault/deletedVaults")
    def listDeletedVaults(sub):
        with store.lock:
            return json_response({"value": [public(v) for v in store.deleted_vaults.values()]})

    def deleted(location: str, name: str):
        found = store.deleted_vaults.get(name.lower())
        if found is None or found["properties"]["location"] != location.replace(" ", "").lower():
            return None
        return found

    @app.get("/subscriptions/<sub>/providers/Microsoft.KeyVault/locations/<location>/deletedVaults/<name>")
    def getDeletedVault(sub, location, name):
        with store.lock:
            found = deleted(location, name)
            if found is None:
                return arm_error(404, "DeletedVaultNotFound", f"Deleted vault '{name}' was not found.")
            return json_response(public(found))

    @app.post(
        "/subscriptions/<sub>/providers/Microsoft.KeyVault/locations/<location>/deletedVaults/<name>/purge"
    )
    def purgeDeletedVault(sub, location, name):
        with store.lock:
            found = deleted(location, name)
            if found is None:
                return arm_error(404, "DeletedVaultNotFound", f"Deleted vault '{name}' was not found.")
            if found["properties"]["purgeProtectionEnabled"]:
                return arm_error(409, "PurgeProtected", f"Vault '{name}' has purge protection enabled.")
            del store.deleted_vaults[name.lower()]
            store.secrets.pop(name.lower(), None)
            store.deleted_secrets.pop(name.lower(), None)
        # Purge is a long-running operation: 202 and a Location to poll (done at once in the twin).
        operation = f"{SUB}/providers/Microsoft.KeyVault/locations/{location}/operationResults/{uuid.uuid4()}"
        return json_response(
            None,
            202,
            {
                "Location": f"{ids.ARM_URL.rstrip('/')}{operation}?api-version="
                f"{request.args.get('api-version')}"
            },
        )

    @app.get("/subscriptions/<sub>/providers/Microsoft.KeyVault/locations/<location>/operationResults/<op>")
    def getVaultOperationResult(sub, location, op):
        return json_response(None, 200)

    @app.post("/subscriptions/<sub>/providers/Microsoft.KeyVault/checkNameAvailability")
    def checkVaultNameAvailability(sub):
        name = str(request_json().get("name", ""))
        with store.lock:
            taken = name.lower() in store.vaults or name.lower() in store.deleted_vaults
        if not NAME.match(name):
            return json_response(
                {
                    "nameAvailable": False,
                    "reason": "AccountNameInvalid",
                    "message": f"Vault name '{name}' is invalid.",
                }
            )
        if taken:
            return json_response(
                {
                    "nameAvailable": False,
                    "reason": "AlreadyExists",
                    "message": f"The vault name '{name}' is already in use.",
                }
            )
        return json_response({"nameAvailable": True})
