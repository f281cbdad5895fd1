"""One azure-id session per command: a token source shared by Graph and Key Vault."""

from functools import cached_property

from .azure_auth import TokenSource
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
        import os

        found = os.environ.get("ENTRAIDC_TENANT_ID") or os.environ.get("AZURE_TENANT_ID")
        if found:
            return found
        orgs = list(self.graph.list("/organization", params={"$select": "id"}))
        return orgs[0]["id"]

    def delete_permanently(self, object_id: str) -> None:
        """Deleted users and applications wait 30 days in the recycle bin; remove them for good
        (https://learn.microsoft.com/graph/api/directory-deleteditems-delete)."""
        self.graph.delete(f"/directory/deletedItems/{object_id}")
