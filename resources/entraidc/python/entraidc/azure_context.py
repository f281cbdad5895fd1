"""One azure-id session per command: a token source shared by Graph and Key Vault."""

import os
from functools import cached_property

from . import output
from .azure_auth import TokenSource
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
        """The tenant of the signed-in identity (ENTRAIDC_TENANT_ID when the caller sets it)."""
        found = os.environ.get("ENTRAIDC_TENANT_ID") or os.environ.get("AZURE_TENANT_ID")
        if found:
            return found
        orgs = list(self.graph.list("/organization", params={"$select": "id"}))
        return orgs[0]["id"]

    def delete_permanently(self, object_id: str) -> None:
        """Deleted users and applications wait 30 days in the recycle bin; remove them for good
        (https://learn.microsoft.com/graph/api/directory-deleteditems-delete)."""
        try:
            self.graph.delete(f"/directory/deletedItems/{object_id}")
        except GraphError as err:
            # Best effort: the object is deleted either way, and a soft-deleted user or app does not
            # block a new one with the same name; purging may need more rights than the caller has.
            output.log("azure-id", f"could not purge {object_id} from the recycle bin: {err.code}")
