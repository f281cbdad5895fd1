"""Graph enforces the permissions Microsoft documents per operation (twin/azure/graph/permissions.py,
each rule naming its Graph reference page): app-only tokens carry the service principal's granted
application permissions in `roles`; a token without one of the documented permissions gets 403
Authorization_RequestDenied ("Microsoft Graph error responses")."""

import pytest
from azure_inprocess import AzureTwin

from twin.azure import catalogue, ids
from twin.azure.graph import permissions
from twin.azure.graph.app import make_graph_app
from twin.azure.tokens import _unb64


@pytest.fixture
def twin(tmp_path):
    return AzureTwin(tmp_path)


def revoke(twin, permission: str) -> None:
    grant = ids.stable_id(f"grant/{permission}")
    del twin.store.app_role_assignments[grant]
    twin._tokens.clear()  # a new token carries the new grants, as in Entra


def claims(token: str) -> dict:
    import json

    return json.loads(_unb64(token.split(".")[1]))


def test_every_graph_route_has_a_documented_permission_rule(twin):
    app = make_graph_app(twin.store, twin.context, twin.engine)
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint != "static"}
    assert endpoints - set(permissions.RULES) == set()
    assert all(rule.page for rule in permissions.RULES.values())


def test_app_only_tokens_carry_the_granted_application_permissions(twin):
    token = claims(twin.token("https://graph.microsoft.com/.default"))
    assert token["idtyp"] == "app"
    assert sorted(token["roles"]) == sorted(catalogue.AUTOMATION_GRANTS)
    assert "roles" not in claims(twin.token("https://management.azure.com/.default"))


@pytest.mark.parametrize(
    ("permission", "method", "path"),
    [
        ("Organization.Read.All", "GET", "/organization"),
        ("User.ReadWrite.All", "GET", "/users"),
        ("Application.ReadWrite.All", "GET", "/applications"),
        ("Policy.ReadWrite.ApplicationConfiguration", "GET", "/policies/claimsMappingPolicies"),
    ],
)
def test_a_missing_application_permission_is_refused_like_graph(twin, permission, method, path):
    assert twin.graph(method, path).status_code == 200
    revoke(twin, permission)
    refused = twin.graph(method, path)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "Authorization_RequestDenied"


def test_synchronization_needs_synchronization_readwrite_all(twin):
    _, sp = twin.gallery_app("AWS IAM Identity Center (aws-commercial)")
    path = f"/servicePrincipals/{sp['id']}/synchronization/jobs"
    assert twin.graph("GET", path).status_code == 200
    revoke(twin, "Synchronization.ReadWrite.All")
    assert twin.graph("GET", path).status_code == 403


def test_templates_need_only_a_valid_token(twin):
    for permission in catalogue.AUTOMATION_GRANTS:
        revoke(twin, permission)
    assert twin.graph("GET", "/applicationTemplates").status_code == 200
    assert twin.graph("GET", "/users").status_code == 403


def test_the_readme_table_lists_every_rule_with_its_page():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "twin/azure/README.md").read_text()
    for name, rule in permissions.RULES.items():
        if not name.endswith("ByAppId"):
            assert f"| `{name}` |" in readme and f"graph/api/{rule.page})" in readme, name


def test_assigning_a_user_needs_approleassignment_readwrite_all_as_the_graph_page_lists(twin):
    """ "Grant an appRoleAssignment for a service principal": AppRoleAssignment.ReadWrite.All and
    Application.Read.All (or Directory.Read.All); Application.ReadWrite.All alone is not listed."""
    _, sp = twin.gallery_app("AWS IAM Identity Center (aws-commercial)")
    user = twin.user("NikkiWolf")
    revoke(twin, "AppRoleAssignment.ReadWrite.All")
    role = next(r for r in sp["appRoles"] if r["displayName"] == "User")
    body = {"principalId": user["id"], "resourceId": sp["id"], "appRoleId": role["id"]}
    refused = twin.graph("POST", f"/servicePrincipals/{sp['id']}/appRoleAssignedTo", body)
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "Authorization_RequestDenied"
