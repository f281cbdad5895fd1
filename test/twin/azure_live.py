"""Calls to the running twin's azure-id side the way an agent makes them: azure-identity for
tokens, plain HTTPS (requests) for Microsoft Graph."""

import os
import time
import uuid

import requests
from azure.identity import ClientSecretCredential

AWS_TEMPLATE = "AWS IAM Identity Center (successor to AWS Single Sign-On)"


class LiveGraph:
    def __init__(self, env: dict[str, str]):
        self.env = env
        self.base = env["ENTRAIDC_GRAPH_URL"]
        self.credential = ClientSecretCredential(
            env["AZURE_TENANT_ID"],
            env["AZURE_CLIENT_ID"],
            env["AZURE_CLIENT_SECRET"],
            authority=env["AZURE_AUTHORITY_HOST"],
        )
        self.verify = env.get("REQUESTS_CA_BUNDLE") or os.environ.get("REQUESTS_CA_BUNDLE", True)

    def __call__(self, method: str, path: str, body: dict | None = None, **params) -> requests.Response:
        token = self.credential.get_token("https://graph.microsoft.com/.default").token
        return requests.request(
            method,
            self.base + path,
            json=body,
            params=params or None,
            timeout=30,
            headers={"Authorization": f"Bearer {token}"},
            verify=self.verify,
        )

    def ok(self, method: str, path: str, body: dict | None = None, status: int = 200, **params):
        response = self(method, path, body, **params)
        assert response.status_code == status, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def user(self, name: str, **extra) -> dict:
        return self.ok(
            "POST",
            "/users",
            {
                "accountEnabled": True,
                "displayName": name,
                "mailNickname": name,
                "givenName": "Test",
                "surname": name,
                "userPrincipalName": f"{name}@example.org",
                "mail": f"{name}@example.org",
                "passwordProfile": {"password": f"Tw1n-{uuid.uuid4()}"},
                **extra,
            },
            status=201,
        )

    def gallery_app(self, display_name: str) -> tuple[dict, dict]:
        (template,) = self.ok(
            "GET", "/applicationTemplates", **{"$filter": f"displayName eq '{AWS_TEMPLATE}'"}
        )["value"]
        made = self.ok(
            "POST",
            f"/applicationTemplates/{template['id']}/instantiate",
            {"displayName": display_name},
            status=201,
        )
        return made["application"], made["servicePrincipal"]

    def assign(self, sp: dict, user: dict) -> None:
        role = next(r for r in sp["appRoles"] if r["displayName"] == "User")
        self.ok(
            "POST",
            f"/servicePrincipals/{sp['id']}/appRoleAssignedTo",
            {"principalId": user["id"], "resourceId": sp["id"], "appRoleId": role["id"]},
            status=201,
        )

    def job(self, sp: dict) -> dict:
        (template,) = self.ok("GET", f"/servicePrincipals/{sp['id']}/synchronization/templates")["value"]
        return self.ok(
            "POST",
            f"/servicePrincipals/{sp['id']}/synchronization/jobs",
            {"templateId": template["id"]},
            status=201,
        )

    def wait_for_execution(self, sp: dict, job: dict, timeout: float = 30.0, after: str = "") -> dict:
        """The job once a cycle that ended later than ``after`` has run."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            current = self.ok("GET", f"/servicePrincipals/{sp['id']}/synchronization/jobs/{job['id']}")
            execution = current["status"]["lastExecution"]
            if execution and execution["timeEnded"] > after:
                return current
            time.sleep(0.3)
        raise AssertionError(f"job {job['id']} ran no cycle within {timeout}s")
