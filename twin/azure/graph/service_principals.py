"""/servicePrincipals: CRUD, addTokenSigningCertificate and claims-mapping policy links.

References: Graph v1.0 "servicePrincipal resource type" (preferredSingleSignOnMode,
samlSingleSignOnSettings, notes, tags, preferredTokenSigningKeyThumbprint),
"servicePrincipal: addTokenSigningCertificate" (a self-signed certificate whose Sign/Verify
keyCredentials and passwordCredential share customKeyIdentifier; up to three years; the SP
signs with it once preferredTokenSigningKeyThumbprint names it), "Assign claimsMappingPolicy".
"""

import base64
import datetime
import uuid

from twin.azure import certs, saml_idp
from twin.azure.graph import common as g
from twin.azure.graph.directory import directory_roles_of
from twin.azure.graph.objects import SERVICE_PRINCIPAL_WRITABLE, SSO_MODES, new_service_principal
from twin.azure.web import json_response, now_iso, request_json

POLICY_PREFIX = "https://graph.microsoft.com/v1.0/policies/claimsMappingPolicies/"


def delete_service_principal(store, sp: dict) -> None:
    """Soft delete: the service principal waits in the recycle bin like its application, and purging
    the application leaves it there ("Restore an enterprise application": deleting an app registration
    deletes its service principal; deleted service principals are listed and restored on their own
    under directory/deletedItems/microsoft.graph.servicePrincipal)."""
    del store.service_principals[sp["id"]]
    store.deleted_items[sp["id"]] = {
        "@odata.type": "#microsoft.graph.servicePrincipal",
        **_public(sp),
        "deletedDateTime": now_iso(),
    }
    for key in [
        k for k, a in store.app_role_assignments.items() if sp["id"] in (a["resourceId"], a["principalId"])
    ]:
        del store.app_role_assignments[key]
    store.sync_jobs.pop(sp["id"], None)
    store.sync_secrets.pop(sp["id"], None)
    store.sp_claims_policies.pop(sp["id"], None)
    for credential in sp["keyCredentials"]:
        store.signing_keys.pop(credential.get("_thumbprint", ""), None)


def _public(sp: dict) -> dict:
    return {
        **sp,
        "keyCredentials": [
            {k: v for k, v in c.items() if not k.startswith("_")} for c in sp["keyCredentials"]
        ],
    }


def _parse_end(value, start: datetime.datetime) -> datetime.datetime | None:
    if value in (None, ""):
        return start + datetime.timedelta(days=365 * 3)
    try:
        end = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if end.tzinfo is None:
        end = end.replace(tzinfo=datetime.UTC)
    return end


def add_signing_certificate(store, sp: dict, display_name: str, end: datetime.datetime) -> dict:
    made = certs.make_signing_certificate(display_name, end)
    # keyCredential.customKeyIdentifier is Edm.Binary, which OData JSON carries as base64: here the
    # bytes of the SHA-1 thumbprint (Graph "keyCredential resource type").
    custom_key_id = base64.b64encode(bytes.fromhex(made["thumbprint"])).decode()
    key_id_sign, key_id_verify = str(uuid.uuid4()), str(uuid.uuid4())
    stamp = {
        "customKeyIdentifier": custom_key_id,
        "displayName": display_name,
        "startDateTime": made["start"].isoformat().replace("+00:00", "Z"),
        "endDateTime": end.isoformat().replace("+00:00", "Z"),
        "type": "AsymmetricX509Cert",
        "key": None,
    }
    sp["keyCredentials"] += [
        {**stamp, "keyId": key_id_sign, "usage": "Sign", "_thumbprint": made["thumbprint"]},
        {**stamp, "keyId": key_id_verify, "usage": "Verify", "_thumbprint": made["thumbprint"]},
    ]
    sp["passwordCredentials"].append(
        {
            "customKeyIdentifier": custom_key_id,
            "displayName": display_name,
            "keyId": key_id_sign,
            "startDateTime": stamp["startDateTime"],
            "endDateTime": stamp["endDateTime"],
            "hint": None,
            "secretText": None,
        }
    )
    store.signing_keys[made["thumbprint"]] = made
    return {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.selfSignedCertificate",
        "customKeyIdentifier": custom_key_id,
        "displayName": display_name,
        "endDateTime": stamp["endDateTime"],
        "key": made["der_b64"],
        "keyId": key_id_verify,
        "startDateTime": stamp["startDateTime"],
        "thumbprint": made["thumbprint"],
        "type": "AsymmetricX509Cert",
        "usage": "Verify",
    }


def register(app, store, context) -> None:
    def find(key: str, by_app_id: bool = False):
        sp = store.find_sp_by_app_id(key) if by_app_id else store.service_principals.get(key)
        if sp is None or g.hidden(context, sp["id"], sp["appId"]):
            return None
        return sp

    @app.get(f"{g.V1}/servicePrincipals")
    def listServicePrincipals():
        with store.lock:
            items = [_public(sp) for sp in store.service_principals.values()]
        return g.listing(items, "servicePrincipals", "servicePrincipal")

    @app.post(f"{g.V1}/servicePrincipals")
    @g.with_body(SERVICE_PRINCIPAL_WRITABLE, "servicePrincipal")
    def createServicePrincipal(body):
        with store.lock:
            application = store.find_app_by_app_id(str(body.get("appId", "")))
            if application is None:
                return g.bad_request(
                    f"The appId '{body.get('appId')}' of the service principal does not reference "
                    "a valid application object.",
                    "Request_BadRequest",
                )
            if store.find_sp_by_app_id(application["appId"]):
                return json_response(
                    {
                        "error": {
                            "code": "Request_MultipleObjectsWithSameKeyValue",
                            "message": "The service principal cannot be g.created, updated, or "
                            "restored because the service principal name "
                            f"{application['appId']} is already in use.",
                        }
                    },
                    409,
                )
            sp = new_service_principal(application, application.get("applicationTemplateId"))
            g.merge(sp, {k: v for k, v in body.items() if k != "appId"})
            store.service_principals[sp["id"]] = sp
        g.created(context, sp["id"])
        return g.entity(_public(sp), "servicePrincipals", "servicePrincipal", 201)

    def get_sp(key, by_app_id):
        with store.lock:
            sp = find(key, by_app_id)
            return g.entity(_public(sp), "servicePrincipals", "servicePrincipal") if sp else g.not_found(key)

    @g.with_body(SERVICE_PRINCIPAL_WRITABLE - {"appId"}, "servicePrincipal")
    def update_sp(body, key, by_app_id):
        if "preferredSingleSignOnMode" in body and body["preferredSingleSignOnMode"] not in SSO_MODES:
            return g.bad_request(
                f"Invalid value '{body['preferredSingleSignOnMode']}' for property "
                "'preferredSingleSignOnMode'."
            )
        settings = body.get("samlSingleSignOnSettings")
        if settings is not None and (not isinstance(settings, dict) or set(settings) - {"relayState"}):
            return g.bad_request("samlSingleSignOnSettings has only the property 'relayState'.")
        with store.lock:
            sp = find(key, by_app_id)
            if sp is None:
                return g.not_found(key)
            thumbprint = body.get("preferredTokenSigningKeyThumbprint")
            if thumbprint and not any(c.get("_thumbprint") == thumbprint for c in sp["keyCredentials"]):
                return g.bad_request(
                    f"No key credential of the service principal has the thumbprint '{thumbprint}'."
                )
            if thumbprint and thumbprint != sp.get("preferredTokenSigningKeyThumbprint"):
                store.previous_signing[sp["id"]] = sp.get("preferredTokenSigningKeyThumbprint")
                context.faults.record_created("login", [saml_idp.rollover_key(sp["id"])])
            g.merge(sp, body)
        return g.no_content()

    def delete_sp(key, by_app_id):
        with store.lock:
            sp = find(key, by_app_id)
            if sp is None:
                return g.not_found(key)
            delete_service_principal(store, sp)
        return g.no_content()

    g.key_routes(app, "servicePrincipals", "ServicePrincipal", get_sp, update_sp, delete_sp)

    @app.post(f"{g.V1}/servicePrincipals/<sp_id>/addTokenSigningCertificate")
    def addTokenSigningCertificate(sp_id):
        body = request_json()
        display_name = body.get("displayName") or "CN=Microsoft Azure Federated SSO Certificate"
        if not str(display_name).upper().startswith("CN="):
            return g.bad_request("The displayName must start with 'CN='.")
        start = datetime.datetime.now(datetime.UTC)
        end = _parse_end(body.get("endDateTime"), start)
        if end is None or end <= start or end > start + datetime.timedelta(days=365 * 3 + 1):
            return g.bad_request("endDateTime must be in the future and at most three years from now.")
        with store.lock:
            sp = find(sp_id)
            if sp is None:
                return g.not_found(sp_id)
            result = add_signing_certificate(store, sp, str(display_name), end)
        return json_response(result, 200)

    @app.get(f"{g.V1}/servicePrincipals/<sp_id>/memberOf/graph.directoryRole")
    def listServicePrincipalDirectoryRoles(sp_id):
        with store.lock:
            sp = find(sp_id)
            if sp is None:
                return g.not_found(sp_id)
            roles = directory_roles_of(store, sp["id"])
        return g.listing(
            roles, f"servicePrincipals('{sp_id}')/memberOf/microsoft.graph.directoryRole", "directoryRole"
        )

    @app.get(f"{g.V1}/servicePrincipals/<sp_id>/claimsMappingPolicies")
    def listServicePrincipalClaimsMappingPolicies(sp_id):
        with store.lock:
            sp = find(sp_id)
            if sp is None:
                return g.not_found(sp_id)
            items = [
                store.claims_mapping_policies[p]
                for p in store.sp_claims_policies.get(sp_id, [])
                if p in store.claims_mapping_policies
            ]
        return g.listing(items, "claimsMappingPolicies", "claimsMappingPolicy")

    @app.post(f"{g.V1}/servicePrincipals/<sp_id>/claimsMappingPolicies/$ref")
    def addServicePrincipalClaimsMappingPolicy(sp_id):
        reference = str(request_json().get("@odata.id", ""))
        policy_id = reference.rstrip("/").rsplit("/", 1)[-1]
        with store.lock:
            sp = find(sp_id)
            if sp is None:
                return g.not_found(sp_id)
            if not reference.startswith(POLICY_PREFIX) or policy_id not in store.claims_mapping_policies:
                return g.not_found(policy_id or reference)
            if g.hidden(context, policy_id):
                return g.not_a_valid_reference_update()
            linked = store.sp_claims_policies.setdefault(sp_id, [])
            if linked:
                return g.bad_request("Only one claims mapping policy can be assigned to a service principal.")
            linked.append(policy_id)
        return g.no_content()

    @app.delete(f"{g.V1}/servicePrincipals/<sp_id>/claimsMappingPolicies/<policy_id>/$ref")
    def removeServicePrincipalClaimsMappingPolicy(sp_id, policy_id):
        with store.lock:
            linked = store.sp_claims_policies.get(sp_id, [])
            if find(sp_id) is None or policy_id not in linked:
                return g.not_found(policy_id)
            linked.remove(policy_id)
        return g.no_content()
