"""The azure-id side of the twin in this process (no socket): its router behind werkzeug's client.

Requests carry the real hostnames, so dispatch is the same as in the running twin.
"""

from pathlib import Path

from werkzeug.test import Client

import twin.azure as azure
from twin.azure import ids
from twin.core.context import TwinContext


class AzureTwin:
    def __init__(self, state_dir: Path):
        self.context = TwinContext(state_dir=state_dir)
        azure.register(self.context.router, self.context)
        self.client = Client(self.context.router)
        self.store = self.context.data["azure"]["store"]
        self.engine = self.context.data["azure"]["engine"]
        self._tokens: dict[str, str] = {}

    def call(
        self, host: str, method: str, path: str, json=None, token: str | None = None, headers=None, **kw
    ):
        merged = dict(headers or {})
        if token:
            merged["Authorization"] = f"Bearer {token}"
        return self.client.open(
            path, base_url=f"https://{host}", method=method, json=json, headers=merged, **kw
        )

    def token(self, scope: str) -> str:
        if scope not in self._tokens:
            response = self.call(
                ids.LOGIN_HOST,
                "POST",
                f"/{ids.TENANT_ID}/oauth2/v2.0/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": ids.AUTOMATION_CLIENT_ID,
                    "client_secret": self.store.client_secret,
                    "scope": scope,
                },
            )
            assert response.status_code == 200, response.get_data(as_text=True)
            self._tokens[scope] = response.get_json()["access_token"]
        return self._tokens[scope]

    def graph(self, method: str, path: str, json=None, **kw):
        return self.call(
            ids.GRAPH_HOST,
            method,
            f"/v1.0{path}",
            json=json,
            token=self.token("https://graph.microsoft.com/.default"),
            **kw,
        )

    def arm(self, method: str, path: str, json=None, api_version: str = "2023-07-01", **kw):
        separator = "&" if "?" in path else "?"
        return self.call(
            ids.ARM_HOST,
            method,
            f"{path}{separator}api-version={api_version}",
            json=json,
            token=self.token("https://management.azure.com//.default"),
            **kw,
        )

    def vault(self, name: str, method: str, path: str, json=None, authenticated: bool = True, **kw):
        token = self.token("https://vault.azure.net/.default") if authenticated else None
        return self.call(
            f"{name}.{ids.KEYVAULT_SUFFIX}", method, f"{path}?api-version=7.4", json=json, token=token, **kw
        )

    # -- Entra fixtures as the library's scripts create them -------------------------------------
    def user(self, name: str, password: str = "Tw1n-Passw0rd!", **extra) -> dict:  # noqa: S107 - test user
        response = self.graph(
            "POST",
            "/users",
            {
                "accountEnabled": True,
                "displayName": name,
                "mailNickname": name,
                "userPrincipalName": f"{name}@example.org",
                "mail": f"{name}@example.org",
                "passwordProfile": {"forceChangePasswordNextSignIn": False, "password": password},
                **extra,
            },
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    def gallery_app(self, display_name: str) -> tuple[dict, dict]:
        templates = self.graph(
            "GET",
            "/applicationTemplates",
            query_string={
                "$filter": "displayName eq 'AWS IAM Identity Center (successor to AWS Single Sign-On)'"
            },
        ).get_json()["value"]
        created = self.graph(
            "POST", f"/applicationTemplates/{templates[0]['id']}/instantiate", {"displayName": display_name}
        )
        assert created.status_code == 201, created.get_data(as_text=True)
        body = created.get_json()
        return body["application"], body["servicePrincipal"]

    def assign(self, sp: dict, user: dict) -> dict:
        role = next(r for r in sp["appRoles"] if r["displayName"] == "User")
        response = self.graph(
            "POST",
            f"/servicePrincipals/{sp['id']}/appRoleAssignedTo",
            {"principalId": user["id"], "resourceId": sp["id"], "appRoleId": role["id"]},
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()
