"""In-memory state of the AWS side beyond what moto keeps: the IAM Identity Center settings
that have no public API (external IdPs, provisioning tenants, bearer tokens), and the
ExternalIds and SCIM-only attributes of identity-store users.
"""
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from moto.identitystore.models import identitystore_backends
from moto.ssoadmin.models import ssoadmin_backends

from twin.aws.accounts import Account


@dataclass
class ExternalIdP:
    idp_id: str
    entity_id: str
    login_url: str
    certificates: list[dict[str, Any]]
    metadata_xml: str | None
    status: str = "DISABLED"
    creation_time: float = field(default_factory=time.time)


@dataclass
class BearerToken:
    token_id: str
    secret: str
    creation_time: float
    expiration_time: float


@dataclass
class ProvisioningTenant:
    tenant_id: str
    identity_store_id: str
    scim_endpoint: str
    creation_time: float = field(default_factory=time.time)
    tokens: dict[str, BearerToken] = field(default_factory=dict)


@dataclass
class Directory:
    """One account's IAM Identity Center instance and its identity store."""
    account: Account
    instance_arn: str
    identity_store_id: str
    acs_id: str
    external_idps: dict[str, ExternalIdP] = field(default_factory=dict)
    tenants: dict[str, ProvisioningTenant] = field(default_factory=dict)

    @property
    def identity_source(self) -> str:
        enabled = any(i.status == "ENABLED" for i in self.external_idps.values())
        return "EXTERNAL_IDP" if enabled else "IDENTITY_STORE"


@dataclass
class AwsState:
    accounts: list[Account]
    lock: threading.RLock = field(default_factory=threading.RLock)
    directories: dict[str, Directory] = field(default_factory=dict)
    # (identity store id, user or group id) -> [{"Issuer": ..., "Id": ...}]
    external_ids: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    # (identity store id, user id) -> SCIM-only attributes (active, enterprise extension, meta)
    scim_extras: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    # What moto's sso-admin lacks: tags per resource ARN, provisioning requests, ABAC per instance.
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    provisioning_requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    access_control_attributes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Account assignment creations and deletions by request ID (assignment_status.py).
    assignment_requests: dict[str, dict[str, Any]] = field(default_factory=dict)

    def directory(self, account_id: str) -> Directory:
        return self.directories[account_id]

    def directory_for_store(self, identity_store_id: str) -> Directory | None:
        return next((d for d in self.directories.values() if d.identity_store_id == identity_store_id), None)

    def tenant(self, tenant_id: str) -> tuple[Directory, ProvisioningTenant] | None:
        for directory in self.directories.values():
            if tenant_id in directory.tenants:
                return directory, directory.tenants[tenant_id]
        return None


def identity_store(directory: Directory):
    """moto's data of this directory's identity store (users, groups, group_memberships)."""
    backend = identitystore_backends[directory.account.account_id][directory.account.region]
    return backend.identity_stores.setdefault(directory.identity_store_id, _new_store_data())


def _new_store_data():
    from moto.identitystore.models import IdentityStoreData
    return IdentityStoreData()


def identity_store_backend(directory: Directory):
    return identitystore_backends[directory.account.account_id][directory.account.region]


def create_directories(state: AwsState) -> None:
    """An IAM Identity Center instance in each account's home region, as moto creates it."""
    import uuid
    state.directories.clear()
    for account in state.accounts:
        instance = ssoadmin_backends[account.account_id][account.region].instances[0]
        state.directories[account.account_id] = Directory(account, instance.instance_arn,
                                                          instance.identity_store_id, str(uuid.uuid4()))
