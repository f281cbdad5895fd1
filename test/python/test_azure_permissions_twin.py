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
