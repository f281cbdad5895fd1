"""Preflight knows the Microsoft Graph permissions before anything changes: the twin grants the
automation principal exactly docs/permissions.md's set (as app role assignments to Microsoft Graph,
"Grant or revoke API permissions programmatically"); without any one of them preflight stops naming
it, and scim-enable stops before touching anything."""

import json

import pytest
from lab import Lab

from twin.azure import catalogue, ids


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def revoke(lab, permission: str) -> None:
    grant = ids.stable_id(f"grant/{permission}")
    lab.graph().delete(f"/servicePrincipals/{catalogue.GRAPH_SP_OBJECT_ID}/appRoleAssignedTo/{grant}")


def test_the_documented_set_passes_both_phases(lab):
    for phase in ("saml", "scim"):
        result = lab.run(["--json", "preflight", "--phase", phase])
        assert sorted(result["azureLogin"]["permissions"]) == sorted(catalogue.AUTOMATION_GRANTS)


@pytest.mark.parametrize("permission", catalogue.AUTOMATION_GRANTS)
def test_a_service_principal_missing_one_permission_fails_preflight_naming_it(lab, permission):
    revoke(lab, permission)
    result = lab.run(["--json", "preflight", "--phase", "scim"], expect=2)
    assert f"lacks what the SCIM phase needs from Microsoft Graph: {permission} (" in result["error"]
    assert "application* permissions" in result["error"] and ids.AUTOMATION_CLIENT_ID in result["error"]


def test_scim_enable_without_synchronization_stops_before_any_change(lab, twin_admin):
    revoke(lab, "Synchronization.ReadWrite.All")
    assert lab.run(["--json", "preflight"])["ok"] is True  # the SAML phase needs no Synchronization.*
    before = json.dumps(twin_admin("GET", "/inventory")[1], sort_keys=True)
    result = lab.run(["--json", "scim-enable"], expect=2)
    assert "Synchronization.ReadWrite.All" in result["error"]
    assert json.dumps(twin_admin("GET", "/inventory")[1], sort_keys=True) == before


class _Tokens:
    """Hands out one unsigned token with the given claims (azure_permissions only reads them)."""

    def __init__(self, claims: dict):
        import base64

        self.value = (
            "e30." + base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=") + ".x"
        )

    def token(self, scope: str) -> str:
        return self.value


class _Graph:
    """Answers the user's memberOf directory roles with the given role template ids."""

    scope = "https://graph.microsoft.com/.default"

    def __init__(self, templates: list[str]):
        self.templates, self.paths = templates, []

    def list(self, path, params=None):
        self.paths.append(path)
        return [{"roleTemplateId": t} for t in self.templates]


@pytest.mark.parametrize(
    ("roles", "missing"),
    [
        ([], ["Application Administrator or Cloud Application Administrator", "User Administrator"]),
        ([ids.ROLE_TEMPLATE_IDS["Application Administrator"]], ["User Administrator"]),
        ([ids.ROLE_TEMPLATE_IDS["Global Administrator"]], []),
    ],
)
def test_a_user_login_needs_the_directory_roles_of_the_saml_phase(roles, missing):
    """Read from Graph, whatever the token's `wids` says: that claim is per-application configuration
    ("Access token claims reference")."""
    from types import SimpleNamespace

    from entraidc import azure_permissions
    from entraidc.errors import InputError

    from twin.azure.login.user_grants import AZURE_CLI_GRAPH_SCOPES

    everything = [ids.ROLE_TEMPLATE_IDS["Global Administrator"]]
    claims = {
        "idtyp": "user",
        "upn": ids.ADMIN_UPN,
        "oid": ids.ADMIN_OBJECT_ID,
        "scp": AZURE_CLI_GRAPH_SCOPES,
        "wids": everything,
    }
    graph = _Graph(roles)
    ctx = SimpleNamespace(tokens=_Tokens(claims), graph=graph)
    if not missing:
        assert azure_permissions.check(ctx, "saml")["appOnly"] is False
    else:
        with pytest.raises(InputError) as raised:
            azure_permissions.check(ctx, "saml")
        for role in missing:
            assert f"directory role {role} (" in str(raised.value)
    assert graph.paths == [f"/users/{ids.ADMIN_OBJECT_ID}/memberOf/graph.directoryRole"]
