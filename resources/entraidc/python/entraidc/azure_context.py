"""One azure-id session per command: a token source shared by Graph and Key Vault."""

import os
from functools import cached_property

from . import output
from .azure_auth import TokenSource, token_claims
from .errors import GraphError
from .graph import GraphClient
from .keyvault import KeyVault


class AzureContext:
    def __init__(self, tokens: TokenSource | None = None):
        self.tokens = tokens or TokenSource()

    @cached_property
    def graph(self) -> GraphClient:
        return GraphClient(tokens=self.tokens)

    @cached_property
    def vault(self) -> KeyVault:
        return KeyVault(None, self.tokens)

    def tenant_id(self) -> str:
        """The tenant of the signed-in identity (ENTRAIDC_TENANT_ID when the caller sets it, else the
        `tid` claim of its Graph token)."""
        found = os.environ.get("ENTRAIDC_TENANT_ID") or os.environ.get("AZURE_TENANT_ID")
        if found:
            return found
        return token_claims(self.tokens.token(self.graph.scope))["tid"]

    def purge_application(self, app: dict) -> None:
        """Removes a deleted application and its service principal from the recycle bin: purging the
        application leaves the service principal there for 30 days ("Restore an enterprise
        application": deleted service principals are listed under deletedItems/microsoft.graph.
        servicePrincipal, by appId)."""
        self.delete_permanently(app["id"])
        deleted_sps = self.graph.list(
            "/directory/deletedItems/graph.servicePrincipal",
            params={"$filter": f"appId eq '{app['appId']}'", "$select": "id,appId"},
        )
        for sp in deleted_sps:
            self.delete_permanently(sp["id"])

    def delete_permanently(self, object_id: str, kind: str = "application") -> None:
        """Deleted users and applications wait 30 days in the recycle bin; remove them for good
        (https://learn.microsoft.com/graph/api/directory-deleteditems-delete). Purging a *user* is
        not supported with application permissions (that page's table): a service principal login
        leaves deleted users there, which does not block their names for the next run."""
        try:
            self.graph.delete(f"/directory/deletedItems/{object_id}")
        except GraphError as err:
            if kind == "user" and err.status == 403:
                output.log(
                    "azure-id",
                    f"deleted user {object_id} stays in the recycle bin for 30 days: Microsoft Graph does "
                    "not purge users for application permissions (the name is free for a new user)",
                )
                return
            # Best effort: the object is deleted either way, and a soft-deleted user or app does not
            # block a new one with the same name; purging may need more rights than the caller has.
            output.log("azure-id", f"could not purge {object_id} from the recycle bin: {err.code}")
