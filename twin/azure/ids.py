"""Fixed identities of the azure-id twin: tenant, subscription, the automation's service principal.

Hostnames are the real public-cloud ones (the twin maps them to loopback), so clients need
no endpoint override beyond what they already honour (authority host, ARM metadata host).
"""

import os
import secrets
import uuid
from pathlib import Path

ACCOUNT = "azure-id"
TENANT_ID = "7f2c1d4e-9a8b-4c3d-8e5f-0a1b2c3d4e5f"
TENANT_DOMAIN = "entraidctwin.onmicrosoft.com"
VERIFIED_DOMAINS = (TENANT_DOMAIN, "example.org")
TENANT_DISPLAY_NAME = "entra-idc twin"
SUBSCRIPTION_ID = "3c9d2b1a-6e5f-4a7b-9c8d-1e2f3a4b5c6d"
SUBSCRIPTION_NAME = "azure-identity-provider"
LOCATION_DEFAULT = "eastus"

# The app registration + service principal the pipeline authenticates as (client credentials).
AUTOMATION_APP_NAME = "entra-idc automation"
AUTOMATION_CLIENT_ID = "0d5e8f1a-2b3c-4d4e-8f6a-7b8c9d0e1f2a"
AUTOMATION_APP_OBJECT_ID = "a1b2c3d4-0000-4000-8000-00000000a001"
AUTOMATION_SP_OBJECT_ID = "a1b2c3d4-0000-4000-8000-00000000b001"

LOGIN_HOST = "login.microsoftonline.com"
ARM_HOST = "management.azure.com"
GRAPH_HOST = "graph.microsoft.com"
KEYVAULT_SUFFIX = "vault.azure.net"

AUTHORITY = f"https://{LOGIN_HOST}"
ARM_URL = f"https://{ARM_HOST}/"
GRAPH_URL = f"https://{GRAPH_HOST}"
KEYVAULT_AUDIENCE = f"https://{KEYVAULT_SUFFIX}"
# Issuer of v1 access tokens and of SAML assertions (Entra's sts.windows.net issuer).
STS_ISSUER = f"https://sts.windows.net/{TENANT_ID}/"

CLIENT_SECRET_FILE = "azure-client-secret"  # noqa: S105 - a file name, not a secret
ADMIN_PASSWORD_FILE = "azure-admin-password"  # noqa: S105 - a file name, not a secret

# The Azure CLI's first-party public client, and the twin's test admin who signs in with it.
AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
ADMIN_UPN = f"entraidc-admin@{TENANT_DOMAIN}"
ADMIN_OBJECT_ID = "a1b2c3d4-0000-4000-8000-00000000c001"
ADMIN_DIRECTORY_ROLES = ("Application Administrator", "User Administrator")
# Built-in directory role template ids ("Microsoft Entra built-in roles"): the roleTemplateId of a
# directoryRole that a user or service principal is a member of (memberOf/microsoft.graph.directoryRole).
ROLE_TEMPLATE_IDS = {
    "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
    "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
    "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
    "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
    "Hybrid Identity Administrator": "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
    "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
}


def admin_password(state_dir: Path) -> str:
    """The test admin's password: generated once per state dir like the client secret."""
    return client_secret(state_dir, ADMIN_PASSWORD_FILE)


def client_secret(state_dir: Path, file_name: str = CLIENT_SECRET_FILE) -> str:
    """The automation's client secret: generated once per state dir, shared by server and CLI."""
    path = state_dir / file_name
    state_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    value = "twn~" + secrets.token_urlsafe(30)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def new_id() -> str:
    return str(uuid.uuid4())


def stable_id(name: str) -> str:
    """A deterministic GUID for fixed catalogue objects (templates, role definitions)."""
    return str(uuid.uuid5(uuid.UUID(TENANT_ID), name))
