"""KeyVault REST client against a loopback server: secret values stay out of answers, delete+purge."""

import json
import time

from azure.core.credentials import AccessToken
from entraidc import output
from entraidc.azure_auth import TokenSource
from entraidc.keyvault import KeyVault
from entraidc.retry import RetryPolicy
from loopback import LoopbackServer, Reply


class StaticCredential:
    def __init__(self):
        self.scopes = []

    def get_token(self, *scopes, **kwargs):
        self.scopes += scopes
        return AccessToken("vault-token", int(time.time()) + 3600)


def test_set_get_and_delete_with_purge():
    credential = StaticCredential()
    with LoopbackServer() as server:
        vault = KeyVault(server.url + "/", TokenSource(credential), RetryPolicy(sleep=lambda s: None))
        server.script(Reply(200, {"id": "x", "value": "s3cret-Value-1", "tags": {"upn": "a@b"}}))
        stored = vault.set_secret("entraidc-user-a", "s3cret-Value-1", {"upn": "a@b"})
        assert "value" not in stored and stored["tags"] == {"upn": "a@b"}
        assert output.redact("s3cret-Value-1") == "***"
        sent = server.requests[0]
        assert sent["method"] == "PUT" and sent["path"] == "/secrets/entraidc-user-a?api-version=7.4"
        assert json.loads(sent["body"]) == {"value": "s3cret-Value-1", "tags": {"upn": "a@b"}}
        assert sent["headers"]["Authorization"] == "Bearer vault-token"
        assert credential.scopes == ["https://vault.azure.net/.default"]

        # Delete, then the soft-deleted secret appears only after a moment, then purge.
        server.script(
            Reply(200, {"recoveryId": "r"}),
            Reply(404, {"error": {"code": "SecretNotFound"}}),
            Reply(200, {"recoveryId": "r"}),
            Reply(204),
        )
        assert vault.delete_and_purge_secret("entraidc-user-a") is True
        assert [(r["method"], r["path"].split("?")[0]) for r in server.requests[1:]] == [
            ("DELETE", "/secrets/entraidc-user-a"),
            ("GET", "/deletedsecrets/entraidc-user-a"),
            ("GET", "/deletedsecrets/entraidc-user-a"),
            ("DELETE", "/deletedsecrets/entraidc-user-a"),
        ]

        # Nothing to delete: no purge attempted, and no wait for a secret that never existed.
        server.script(Reply(404, {"error": {"code": "SecretNotFound"}}), Reply(404, {"error": {"code": "x"}}))
        assert vault.delete_and_purge_secret("entraidc-user-a") is False
        assert len(server.requests) == 7
