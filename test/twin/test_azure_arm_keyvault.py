"""ARM and Key Vault behaviour of the twin: metadata host, resource groups, vault soft delete
and purge, RBAC on the secrets data plane, secret soft delete and purge.

References: hashicorp/go-azure-sdk sdk/internal/metadata (GET /metadata/endpoints?api-version=
2022-09-01, the fields the azurerm provider reads); Azure REST API "Vaults - Create Or Update
/ Delete / Get Deleted / Purge Deleted", "Role Assignments - Create", Key Vault REST 7.4
"Set/Get/Delete Secret", "Get/Purge Deleted Secret"; "Azure Key Vault soft-delete overview";
Key Vault "Authentication" (401 challenge naming the authority and resource).
"""

import uuid

import pytest
from azure_inprocess import AzureTwin

from twin.azure import catalogue, ids

SUB = f"/subscriptions/{ids.SUBSCRIPTION_ID}"
RG = f"{SUB}/resourceGroups/rg-entraidc"
VAULT = f"{RG}/providers/Microsoft.KeyVault/vaults/kv-entraidc-1"


@pytest.fixture
def twin(tmp_path):
    twin = AzureTwin(tmp_path)
    assert (
        twin.arm("PUT", RG, {"location": "East US", "tags": {"managed-by": "entra-idc"}}).status_code == 201
    )
    register = twin.arm("POST", f"{SUB}/providers/Microsoft.KeyVault/register", api_version="2022-09-01")
    assert register.status_code == 200
    return twin


def create_vault(twin, rbac: bool = True):
    body = {
        "location": "eastus",
        "properties": {
            "tenantId": ids.TENANT_ID,
            "sku": {"family": "A", "name": "standard"},
            "enableRbacAuthorization": rbac,
            "softDeleteRetentionInDays": 7,
        },
    }
    response = twin.arm("PUT", VAULT, body)
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def grant(twin, role: str, scope: str = VAULT):
    name = str(uuid.uuid4())
    role_id = catalogue.role_definition(role, scope)["id"]
    response = twin.arm(
        "PUT",
        f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
        {"properties": {"roleDefinitionId": role_id, "principalId": ids.AUTOMATION_SP_OBJECT_ID}},
        api_version="2022-04-01",
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_metadata_endpoint_has_what_the_azurerm_provider_reads(tmp_path):
    twin = AzureTwin(tmp_path)
    body = twin.call(ids.ARM_HOST, "GET", "/metadata/endpoints?api-version=2022-09-01").get_json()
    assert body["name"] == "AzureCloud"
    assert body["authentication"]["loginEndpoint"].rstrip("/") == ids.AUTHORITY
    assert body["resourceManager"] == ids.ARM_URL
    assert body["microsoftGraphResourceId"].rstrip("/") == ids.GRAPH_URL
    assert body["suffixes"]["keyVaultDns"] == ids.KEYVAULT_SUFFIX


def test_subscription_is_azure_identity_provider_and_others_are_not_found(twin):
    assert (
        twin.arm("GET", SUB, api_version="2022-12-01").get_json()["displayName"] == "azure-identity-provider"
    )
    other = twin.arm("GET", f"/subscriptions/{uuid.uuid4()}", api_version="2022-12-01")
    assert other.status_code == 404 and other.get_json()["error"]["code"] == "SubscriptionNotFound"
    missing_version = twin.call(
        ids.ARM_HOST, "GET", SUB, token=twin.token("https://management.azure.com/.default")
    )
    assert missing_version.get_json()["error"]["code"] == "MissingApiVersionParameter"


def test_resource_group_paths_are_case_insensitive_and_list_their_resources(twin):
    create_vault(twin)
    got = twin.arm("GET", RG.replace("resourceGroups", "resourcegroups"), api_version="2022-09-01")
    assert got.status_code == 200 and got.get_json()["location"] == "eastus"
    resources = twin.arm("GET", f"{RG}/resources", api_version="2022-09-01").get_json()["value"]
    assert [r["type"] for r in resources] == ["Microsoft.KeyVault/vaults"]


def test_a_vault_needs_microsoft_keyvault_registered_in_the_subscription(tmp_path):
    """A fresh subscription has not registered Microsoft.KeyVault ("Azure resource providers and
    types", registered by default); creating a vault then answers 409 MissingSubscriptionRegistration
    ("Resolve errors for resource provider registration") until "Providers - Register"."""
    twin = AzureTwin(tmp_path)
    assert twin.arm("PUT", RG, {"location": "eastus"}).status_code == 201
    provider = twin.arm("GET", f"{SUB}/providers/Microsoft.KeyVault", api_version="2022-09-01").get_json()
    assert provider["registrationState"] == "NotRegistered"
    body = {
        "location": "eastus",
        "properties": {"tenantId": ids.TENANT_ID, "sku": {"family": "A", "name": "standard"}},
    }
    refused = twin.arm("PUT", VAULT, body)
    assert refused.status_code == 409
    assert refused.get_json()["error"]["code"] == "MissingSubscriptionRegistration"
    registered = twin.arm("POST", f"{SUB}/providers/Microsoft.KeyVault/register", api_version="2022-09-01")
    assert registered.get_json()["registrationState"] == "Registered"
    assert twin.arm("PUT", VAULT, body).status_code == 201


def test_deleted_vault_keeps_its_name_until_purged(twin):
    vault = create_vault(twin)
    assert vault["properties"]["vaultUri"] == "https://kv-entraidc-1.vault.azure.net/"
    assert "kv-entraidc-1.vault.azure.net" in twin.context.extra_hostnames
    assert twin.arm("DELETE", VAULT).status_code == 200
    deleted = f"{SUB}/providers/Microsoft.KeyVault/locations/eastus/deletedVaults/kv-entraidc-1"
    assert twin.arm("GET", deleted).status_code == 200
    conflict = twin.arm(
        "PUT",
        VAULT,
        {
            "location": "eastus",
            "properties": {"tenantId": ids.TENANT_ID, "sku": {"family": "A", "name": "standard"}},
        },
    )
    assert conflict.status_code == 409
    purge = twin.arm("POST", f"{deleted}/purge")
    assert purge.status_code == 202
    operation = purge.headers["Location"].removeprefix(ids.ARM_URL.rstrip("/")).split("?")[0]
    assert twin.arm("GET", operation).status_code == 200
    assert twin.arm("GET", deleted).status_code == 404
    create_vault(twin)


def test_secrets_need_a_data_plane_role_when_the_vault_uses_rbac(twin):
    create_vault(twin, rbac=True)
    challenge = twin.vault(
        "kv-entraidc-1", "PUT", "/secrets/nikki-password", {"value": "s3cret"}, authenticated=False
    )
    assert challenge.status_code == 401
    assert f'authorization="{ids.AUTHORITY}/{ids.TENANT_ID}"' in challenge.headers["WWW-Authenticate"]
    assert 'resource="https://vault.azure.net"' in challenge.headers["WWW-Authenticate"]
    denied = twin.vault("kv-entraidc-1", "PUT", "/secrets/nikki-password", {"value": "s3cret"})
    assert denied.status_code == 403
    assert denied.get_json()["error"]["innererror"]["code"] == "ForbiddenByRbac"
    grant(twin, "Key Vault Secrets Officer")
    stored = twin.vault(
        "kv-entraidc-1", "PUT", "/secrets/nikki-password", {"value": "s3cret", "tags": {"upn": "n"}}
    )
    assert stored.status_code == 200
    assert stored.get_json()["id"].startswith("https://kv-entraidc-1.vault.azure.net/secrets/nikki-password/")
    assert twin.vault("kv-entraidc-1", "GET", "/secrets/nikki-password").get_json()["value"] == "s3cret"


def test_deleted_secret_blocks_its_name_until_purged(twin):
    create_vault(twin)
    grant(twin, "Key Vault Secrets Officer", scope=RG)
    twin.vault("kv-entraidc-1", "PUT", "/secrets/rich-password", {"value": "one"})
    deleted = twin.vault("kv-entraidc-1", "DELETE", "/secrets/rich-password").get_json()
    assert deleted["recoveryId"] == "https://kv-entraidc-1.vault.azure.net/deletedsecrets/rich-password"
    assert twin.vault("kv-entraidc-1", "GET", "/secrets/rich-password").status_code == 404
    reuse = twin.vault("kv-entraidc-1", "PUT", "/secrets/rich-password", {"value": "two"})
    assert reuse.status_code == 409
    assert reuse.get_json()["error"]["innererror"]["code"] == "ObjectIsDeletedButRecoverable"
    assert twin.vault("kv-entraidc-1", "DELETE", "/deletedsecrets/rich-password").status_code == 204
    assert twin.vault("kv-entraidc-1", "PUT", "/secrets/rich-password", {"value": "two"}).status_code == 200
    assert twin.store.inventory()["keyVaultSecrets"] == ["kv-entraidc-1/rich-password"]


def test_a_secret_purged_a_moment_ago_is_being_deleted_and_cannot_be_recreated_yet(twin):
    """409 Conflict / ObjectIsBeingDeleted until the purge completes (Azure/azure-sdk-for-net #34322);
    the purge's duration is a keyvault delay rule on purgeDeletedSecret."""
    policy = {
        "tenantId": ids.TENANT_ID,
        "objectId": ids.AUTOMATION_SP_OBJECT_ID,
        "permissions": {"secrets": ["set", "delete", "purge", "list"]},
    }
    body = {
        "location": "eastus",
        "properties": {
            "tenantId": ids.TENANT_ID,
            "accessPolicies": [policy],
            "sku": {"family": "A", "name": "standard"},
        },
    }
    assert twin.arm("PUT", VAULT, body).status_code == 201
    twin.context.faults.add(
        {"service": "keyvault", "operation": "purgeDeletedSecret", "kind": "delay", "seconds": 60}
    )
    twin.vault("kv-entraidc-1", "PUT", "/secrets/rich-password", {"value": "one"})
    twin.vault("kv-entraidc-1", "DELETE", "/secrets/rich-password")
    assert twin.vault("kv-entraidc-1", "DELETE", "/deletedsecrets/rich-password").status_code == 204
    assert twin.vault("kv-entraidc-1", "GET", "/deletedsecrets/rich-password").status_code == 404
    early = twin.vault("kv-entraidc-1", "PUT", "/secrets/rich-password", {"value": "two"})
    assert early.status_code == 409, early.get_data(as_text=True)
    error = early.get_json()["error"]
    assert error["code"] == "Conflict" and error["innererror"]["code"] == "ObjectIsBeingDeleted"
    assert "retry later" in error["message"]
    assert twin.vault("kv-entraidc-1", "PUT", "/secrets/other", {"value": "x"}).status_code == 200
    twin.context.faults.clear()
    assert twin.vault("kv-entraidc-1", "PUT", "/secrets/rich-password", {"value": "two"}).status_code == 200


def test_a_duplicate_role_assignment_is_a_conflict(twin):
    create_vault(twin)
    grant(twin, "Key Vault Secrets Officer")
    again = twin.arm(
        "PUT",
        f"{VAULT}/providers/Microsoft.Authorization/roleAssignments/{uuid.uuid4()}",
        {
            "properties": {
                "roleDefinitionId": catalogue.role_definition("Key Vault Secrets Officer", VAULT)["id"],
                "principalId": ids.AUTOMATION_SP_OBJECT_ID,
            }
        },
        api_version="2022-04-01",
    )
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "RoleAssignmentExists"


def test_without_rbac_the_vault_access_policies_decide(twin):
    policy = {
        "tenantId": ids.TENANT_ID,
        "objectId": ids.AUTOMATION_SP_OBJECT_ID,
        "permissions": {"secrets": ["Get"]},
    }
    body = {
        "location": "eastus",
        "properties": {
            "tenantId": ids.TENANT_ID,
            "sku": {"family": "A", "name": "standard"},
            "accessPolicies": [policy],
        },
    }
    assert twin.arm("PUT", VAULT, body).status_code == 201
    denied = twin.vault("kv-entraidc-1", "PUT", "/secrets/a", {"value": "v"})
    assert denied.status_code == 403 and denied.get_json()["error"]["innererror"]["code"] == "AccessDenied"
    policy["permissions"]["secrets"] = ["Get", "Set"]
    assert twin.arm("PUT", VAULT, body).status_code == 200
    assert twin.vault("kv-entraidc-1", "PUT", "/secrets/a", {"value": "v"}).status_code == 200


def test_arm_enforces_the_callers_role_at_the_scope(twin):
    """Azure RBAC: writes need Owner or Contributor at the scope or above, reads any role; else 403
    AuthorizationFailed ("Troubleshoot Azure RBAC")."""
    from twin.azure import catalogue

    sub = f"/subscriptions/{ids.SUBSCRIPTION_ID}"
    assert twin.arm("PUT", f"{sub}/resourceGroups/rg-a", {"location": "eastus"}).status_code == 201
    del twin.store.role_assignments[catalogue.owner_assignment()["id"].lower()]
    refused = twin.arm("PUT", f"{sub}/resourceGroups/rg-b", {"location": "eastus"})
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "AuthorizationFailed"
    assert ids.AUTOMATION_SP_OBJECT_ID in refused.get_json()["error"]["message"]
    reader = catalogue.role_definition("Reader")["id"]
    twin.store.role_assignments["reader"] = {
        "id": "reader",
        "properties": {"roleDefinitionId": reader, "principalId": ids.AUTOMATION_SP_OBJECT_ID, "scope": sub},
    }
    assert twin.arm("GET", f"{sub}/resourceGroups/rg-a").status_code == 200
    assert twin.arm("PUT", f"{sub}/resourceGroups/rg-b", {"location": "eastus"}).status_code == 403
