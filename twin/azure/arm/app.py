"""management.azure.com: metadata endpoints, subscription, resource groups, resources listing.

References: Azure REST API "Subscriptions - Get", "Resource Groups - Create Or Update / Get /
Check Existence / Delete / List", "Resources - List By Resource Group / List" ($filter
resourceType eq '...'); errors {"error": {"code", "message"}} with codes
ResourceGroupNotFound, SubscriptionNotFound, MissingApiVersionParameter,
InvalidAuthenticationToken (Azure Resource Manager "Troubleshoot common Azure deployment errors").
"""

import re

from flask import request

from twin.azure import catalogue, ids
from twin.azure.arm import access, authorization, metadata, vaults
from twin.azure.arm.paths import CanonicalPaths
from twin.azure.tokens import TokenError, bearer
from twin.azure.web import arm_error, json_response, make_app, request_json

AUDIENCES = {ids.ARM_URL, "https://management.core.windows.net/"}
SUB = catalogue.SUBSCRIPTION_SCOPE
RG_NAME = re.compile(r"^[-\w._()]{1,90}$")
PROVIDERS = ("Microsoft.KeyVault", "Microsoft.Authorization", "Microsoft.Resources")


def subscription() -> dict:
    return {
        "id": SUB,
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": ids.SUBSCRIPTION_ID,
        "tenantId": ids.TENANT_ID,
        "displayName": ids.SUBSCRIPTION_NAME,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off",
        },
    }


def make_arm_app(store, context):
    app = make_app("azure-arm", "arm", context)

    @app.before_request
    def authenticate():
        if request.path == "/metadata/endpoints":
            return None
        if not request.args.get("api-version"):
            return arm_error(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        token = bearer(request.environ)
        if token is None:
            return arm_error(
                401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."
            )
        try:
            claims = store.issuer.verify(token, AUDIENCES)
        except TokenError as e:
            return arm_error(401, "InvalidAuthenticationToken", str(e))
        request.environ["twin.claims"] = claims
        parts = request.path.split("/")
        if (
            len(parts) > 2
            and parts[1] == "subscriptions"
            and parts[2]
            and parts[2].lower() != ids.SUBSCRIPTION_ID
        ):
            return arm_error(
                404, "SubscriptionNotFound", f"The subscription '{parts[2]}' could not be found."
            )
        return access.denied(store, claims, request.method, request.path)

    @app.errorhandler(404)
    def no_route(_):
        return arm_error(
            400, "InvalidResourceType", f"The resource type could not be found for the path '{request.path}'."
        )

    @app.errorhandler(405)
    def no_method(_):
        return arm_error(405, "MethodNotAllowed", f"{request.method} is not supported on '{request.path}'.")

    @app.get("/metadata/endpoints")
    def metadataEndpoints():
        return json_response(metadata.endpoints())

    @app.get("/tenants")
    def listTenants():
        """ "Tenants - List": the tenants of the signed-in identity (`az login` reads them)."""
        return json_response(
            {
                "value": [
                    {
                        "id": f"/tenants/{ids.TENANT_ID}",
                        "tenantId": ids.TENANT_ID,
                        "tenantCategory": "Home",
                        "displayName": ids.TENANT_DISPLAY_NAME,
                        "defaultDomain": ids.TENANT_DOMAIN,
                        "domains": list(ids.VERIFIED_DOMAINS),
                        "tenantType": "AAD",
                    }
                ]
            }
        )

    @app.get("/subscriptions")
    def listSubscriptions():
        return json_response({"value": [subscription()], "count": {"type": "Total", "value": 1}})

    @app.get("/subscriptions/<sub>")
    def getSubscription(sub):
        return json_response(subscription())

    def provider(namespace: str) -> dict:
        with store.lock:
            registered = namespace.lower() in store.registered_providers
        return _provider(namespace, "Registered" if registered else "NotRegistered")

    def known(namespace: str):
        return next((ns for ns in PROVIDERS if ns.lower() == namespace.lower()), None)

    @app.get("/subscriptions/<sub>/providers")
    def listProviders(sub):
        return json_response({"value": [provider(ns) for ns in PROVIDERS]})

    @app.get("/subscriptions/<sub>/providers/<namespace>")
    def getProvider(sub, namespace):
        match = known(namespace)
        if match is None:
            return arm_error(
                404, "InvalidResourceNamespace", f"The resource namespace '{namespace}' is invalid."
            )
        return json_response(provider(match))

    @app.post("/subscriptions/<sub>/providers/<namespace>/register")
    def registerProvider(sub, namespace):
        """ "Providers - Register": what the azurerm provider calls for resource_providers_to_register
        (internal/resourceproviders/registration.go). Registration completes at once in the twin
        (*inferred* simplification: Azure answers Registering, then Registered)."""
        match = known(namespace)
        if match is None:
            return arm_error(
                404, "InvalidResourceNamespace", f"The resource namespace '{namespace}' is invalid."
            )
        with store.lock:
            store.registered_providers.add(match.lower())
        return json_response(provider(match))

    @app.get("/subscriptions/<sub>/resourceGroups")
    def listResourceGroups(sub):
        with store.lock:
            return json_response({"value": list(store.resource_groups.values())})

    @app.put("/subscriptions/<sub>/resourceGroups/<name>")
    def createResourceGroup(sub, name):
        body = request_json()
        if not RG_NAME.match(name) or name.endswith("."):
            return arm_error(
                400,
                "InvalidResourceGroup",
                f"The provided resource group name '{name}' has these invalid characters or length.",
            )
        if not body.get("location"):
            return arm_error(
                400, "LocationRequired", "The location property is required for this definition."
            )
        with store.lock:
            existing = store.resource_groups.get(name.lower())
            group = existing or {
                "id": f"{SUB}/resourceGroups/{name}",
                "name": name,
                "type": "Microsoft.Resources/resourceGroups",
                "location": str(body["location"]).replace(" ", "").lower(),
                "properties": {"provisioningState": "Succeeded"},
            }
            group["tags"] = body.get("tags") or {}
            if body.get("managedBy"):
                group["managedBy"] = body["managedBy"]
            store.resource_groups[name.lower()] = group
        return json_response(group, 200 if existing else 201)

    @app.route("/subscriptions/<sub>/resourceGroups/<name>", methods=["GET", "HEAD"])
    def getResourceGroup(sub, name):
        with store.lock:
            group = store.resource_groups.get(name.lower())
        if group is None:
            if request.method == "HEAD":
                return json_response(None, 404)
            return arm_error(404, "ResourceGroupNotFound", f"Resource group '{name}' could not be found.")
        return json_response(None, 204) if request.method == "HEAD" else json_response(group)

    @app.patch("/subscriptions/<sub>/resourceGroups/<name>")
    def updateResourceGroup(sub, name):
        body = request_json()
        with store.lock:
            group = store.resource_groups.get(name.lower())
            if group is None:
                return arm_error(404, "ResourceGroupNotFound", f"Resource group '{name}' could not be found.")
            if "tags" in body:
                group["tags"] = body["tags"] or {}
        return json_response(group)

    @app.delete("/subscriptions/<sub>/resourceGroups/<name>")
    def deleteResourceGroup(sub, name):
        with store.lock:
            group = store.resource_groups.pop(name.lower(), None)
            if group is None:
                return json_response(None, 204)
            for vault in [v for v in store.vaults.values() if v["_resourceGroup"].lower() == name.lower()]:
                vaults.soft_delete(store, vault)
            authorization.drop_under(store, group["id"])
        return json_response(None, 200)

    @app.get("/subscriptions/<sub>/resourceGroups/<name>/resources")
    def listResourcesByResourceGroup(sub, name):
        with store.lock:
            if name.lower() not in store.resource_groups:
                return arm_error(404, "ResourceGroupNotFound", f"Resource group '{name}' could not be found.")
            items = [
                vaults.generic(v)
                for v in store.vaults.values()
                if v["_resourceGroup"].lower() == name.lower()
            ]
        return json_response({"value": items})

    @app.get("/subscriptions/<sub>/resources")
    def listResources(sub):
        with store.lock:
            items = [vaults.generic(v) for v in store.vaults.values()]
        wanted = re.search(r"resourceType eq '([^']+)'", request.args.get("$filter", ""))
        if wanted:
            items = [i for i in items if i["type"].lower() == wanted.group(1).lower()]
        return json_response({"value": items})

    vaults.register(app, store, context)
    authorization.register(app, store, context)
    return CanonicalPaths(app)


def _provider(namespace: str, state: str) -> dict:
    return {
        "id": f"{SUB}/providers/{namespace}",
        "namespace": namespace,
        "registrationState": state,
        "registrationPolicy": "RegistrationRequired",
        "resourceTypes": [],
    }
