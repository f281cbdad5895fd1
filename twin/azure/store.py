"""Everything the azure-id twin holds, in memory, behind one lock."""

import datetime
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twin.azure import catalogue, certs, ids
from twin.azure.tokens import TokenIssuer


@dataclass
class AzureStore:
    state_dir: Path
    lock: threading.RLock = field(default_factory=threading.RLock)
    issuer: TokenIssuer = field(init=False)
    # Microsoft Graph
    users: dict[str, dict] = field(default_factory=dict)
    applications: dict[str, dict] = field(default_factory=dict)
    service_principals: dict[str, dict] = field(default_factory=dict)
    app_role_assignments: dict[str, dict] = field(default_factory=dict)
    claims_mapping_policies: dict[str, dict] = field(default_factory=dict)
    sp_claims_policies: dict[str, list[str]] = field(default_factory=dict)
    signing_keys: dict[str, bytes] = field(default_factory=dict)  # keyId -> PEM private key
    # spId -> the thumbprint that signed before the last preferredTokenSigningKeyThumbprint change
    previous_signing: dict[str, str | None] = field(default_factory=dict)
    sync_jobs: dict[str, dict[str, dict]] = field(default_factory=dict)  # spId -> jobId -> job
    sync_secrets: dict[str, dict[str, str]] = field(default_factory=dict)  # spId -> key -> value
    user_passwords: dict[str, str] = field(default_factory=dict)  # userId -> password
    provisioning_logs: list[dict] = field(default_factory=list)  # auditLogs/provisioning entries
    deleted_items: dict[str, dict] = field(default_factory=dict)  # directory recycle bin
    directory_roles: dict[str, set[str]] = field(default_factory=dict)  # userId -> role names
    admin_password: str = ""
    # Azure Resource Manager
    resource_groups: dict[str, dict] = field(default_factory=dict)  # lower name -> rg
    vaults: dict[str, dict] = field(default_factory=dict)  # lower name -> vault
    deleted_vaults: dict[str, dict] = field(default_factory=dict)
    role_assignments: dict[str, dict] = field(default_factory=dict)  # lower id -> assignment
    registered_providers: set[str] = field(default_factory=set)  # lower namespaces
    # Key Vault data plane: vault -> name -> list of versions (newest last)
    secrets: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    deleted_secrets: dict[str, dict[str, dict]] = field(default_factory=dict)
    client_secret: str = ""
    _tenant_signing: dict | None = None

    def __post_init__(self) -> None:
        self.issuer = TokenIssuer(self.state_dir)
        self.client_secret = ids.client_secret(self.state_dir)
        self.admin_password = ids.admin_password(self.state_dir)
        self.seed()

    def seed(self) -> None:
        """The objects that exist right after start (and after reset)."""
        with self.lock:
            for table in (
                self.users,
                self.applications,
                self.service_principals,
                self.app_role_assignments,
                self.claims_mapping_policies,
                self.sp_claims_policies,
                self.signing_keys,
                self.previous_signing,
                self.sync_jobs,
                self.sync_secrets,
                self.user_passwords,
                self.resource_groups,
                self.vaults,
                self.deleted_vaults,
                self.role_assignments,
                self.secrets,
                self.deleted_secrets,
                self.provisioning_logs,
                self.deleted_items,
            ):
                table.clear()
            app, sp = catalogue.automation_objects()
            self.applications[app["id"]] = app
            self.service_principals[sp["id"]] = sp
            # A fresh subscription: Microsoft.KeyVault is not among the resource providers "registered by
            # default" ("Azure resource providers and types"); Authorization and Resources are.
            self.registered_providers.clear()
            self.registered_providers.update({"microsoft.authorization", "microsoft.resources"})
            self.directory_roles.clear()
            self.directory_roles[ids.ADMIN_OBJECT_ID] = set(ids.ADMIN_DIRECTORY_ROLES)
            graph = catalogue.graph_service_principal()
            self.service_principals[graph["id"]] = graph
            for grant in catalogue.automation_grants():
                self.app_role_assignments[grant["id"]] = grant
            for principal in (ids.AUTOMATION_SP_OBJECT_ID, ids.ADMIN_OBJECT_ID):
                owner = catalogue.owner_assignment(principal)
                self.role_assignments[owner["id"].lower()] = owner

    def tenant_signing_material(self) -> dict:
        """The tenant's own SAML token-signing certificate (made once; Entra's carry this subject)."""
        with self.lock:
            if self._tenant_signing is None:
                end = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=365 * 2)
                self._tenant_signing = certs.make_signing_certificate(
                    "CN=accounts.accesscontrol.windows.net", end
                )
            return self._tenant_signing

    def find_sp_by_app_id(self, app_id: str) -> dict | None:
        return next((sp for sp in self.service_principals.values() if sp["appId"] == app_id), None)

    def find_app_by_app_id(self, app_id: str) -> dict | None:
        return next((a for a in self.applications.values() if a["appId"] == app_id), None)

    def find_user(self, key: str) -> dict | None:
        """A user by object id or userPrincipalName (Graph accepts both in /users/{id})."""
        if key in self.users:
            return self.users[key]
        lowered = key.lower()
        return next((u for u in self.users.values() if u["userPrincipalName"].lower() == lowered), None)

    def is_seeded(self, object_id: str) -> bool:
        return object_id in (
            ids.AUTOMATION_APP_OBJECT_ID,
            ids.AUTOMATION_SP_OBJECT_ID,
            catalogue.GRAPH_SP_OBJECT_ID,
        )

    def graph_permissions_of(self, sp_object_id: str) -> list[str]:
        """Application permissions granted to a service principal: its app role assignments to Graph."""
        with self.lock:
            graph = self.service_principals.get(catalogue.GRAPH_SP_OBJECT_ID) or {"appRoles": []}
            names = {r["id"]: r["value"] for r in graph["appRoles"]}
            return sorted(
                names[a["appRoleId"]]
                for a in self.app_role_assignments.values()
                if a["principalId"] == sp_object_id
                and a["resourceId"] == catalogue.GRAPH_SP_OBJECT_ID
                and a["appRoleId"] in names
            )

    def inventory(self) -> dict[str, Any]:
        with self.lock:
            return {
                "users": [
                    {"id": u["id"], "userPrincipalName": u["userPrincipalName"]} for u in self.users.values()
                ],
                "applications": [
                    {"id": a["id"], "appId": a["appId"], "displayName": a["displayName"]}
                    for a in self.applications.values()
                    if not self.is_seeded(a["id"])
                ],
                "servicePrincipals": [
                    {"id": s["id"], "appId": s["appId"], "displayName": s["displayName"]}
                    for s in self.service_principals.values()
                    if not self.is_seeded(s["id"])
                ],
                "appRoleAssignments": [
                    {"id": a["id"], "principalId": a["principalId"], "resourceId": a["resourceId"]}
                    for a in self.app_role_assignments.values()
                    if a["resourceId"] != catalogue.GRAPH_SP_OBJECT_ID
                ],
                "claimsMappingPolicies": [
                    {"id": p["id"], "displayName": p["displayName"]}
                    for p in self.claims_mapping_policies.values()
                ],
                "synchronizationJobs": [
                    {"id": j["id"], "servicePrincipalId": sp}
                    for sp, jobs in self.sync_jobs.items()
                    for j in jobs.values()
                ],
                "deletedItems": [
                    {"id": i["id"], "type": i["@odata.type"]} for i in self.deleted_items.values()
                ],
                "resourceGroups": [rg["id"] for rg in self.resource_groups.values()],
                "keyVaults": [v["id"] for v in self.vaults.values()],
                "deletedKeyVaults": [v["id"] for v in self.deleted_vaults.values()],
                "keyVaultSecrets": [
                    f"{vault}/{name}" for vault, names in self.secrets.items() for name in names
                ],
                "deletedKeyVaultSecrets": [
                    f"{vault}/{name}" for vault, names in self.deleted_secrets.items() for name in names
                ],
                "roleAssignments": [
                    r["id"]
                    for r in self.role_assignments.values()
                    if r["id"].lower()
                    not in {
                        catalogue.owner_assignment(p)["id"].lower()
                        for p in (ids.AUTOMATION_SP_OBJECT_ID, ids.ADMIN_OBJECT_ID)
                    }
                ],
            }
