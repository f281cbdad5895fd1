"""Every Microsoft Graph request body the automation sends is one the Graph SDK's models describe
(msgraph-sdk on PyPI, graph_models.py): a property no model has fails, nested objects included.
The bodies are recorded from the real commands run against the twin through the SAML and SCIM
phases and ABAC (test/support/graph_bodies, string values blanked)."""

import json
from pathlib import Path

import graph_models
import pytest
from lab import Lab

HOOKS = Path(__file__).resolve().parents[1] / "support" / "graph_bodies"


def test_the_model_check_finds_an_unknown_property_nested_or_not():
    user = graph_models.model(graph_models.MODELS[("POST", "/users")])
    body = {"passwordProfile": {"password": "", "forceChange": True}, "mail": "", "department": ""}
    assert graph_models.unknown_properties(body, user) == ["passwordProfile.forceChange"]
    assert graph_models.operation("PATCH", "/applications(appId='x')") == ("PATCH", "/applications/{}")


@pytest.fixture
def lab(twin_environ, twin_reset, tmp_path):
    recorded = tmp_path / "graph-bodies.jsonl"
    return Lab(
        {**twin_environ, "ENTRAIDC_TEST_PYTHONPATH": str(HOOKS), "ENTRAIDC_TEST_GRAPH_BODIES": str(recorded)}
    ), recorded


def test_every_graph_body_of_the_saml_scim_and_abac_phases_fits_the_sdk_models(lab):
    lab, recorded = lab
    names = lab.saml_phase(["aws-commercial"], with_rich=True)
    lab.run(["--json", "scim-enable", "--account", "aws-commercial", "--timeout", "120"])
    lab.terraform_scim_admin("aws-commercial", names["rich"]["user"])
    lab.terraform_abac("aws-commercial")
    lab.run(["--json", "abac", "--account", "aws-commercial"])
    records = [json.loads(line) for line in recorded.read_text().splitlines()]
    seen = set()
    for record in records:
        key = graph_models.operation(record["method"], record["path"])
        assert key is not None, f"no SDK model known for {record['method']} {record['path']}"
        seen.add(key)
        if key in graph_models.EMPTY:
            assert record["body"] == {}, record
            continue
        cls = graph_models.model(graph_models.MODELS[key])
        assert graph_models.unknown_properties(record["body"], cls) == [], (key, record["body"])
    # The phases sent the bodies that matter (the check is not vacuous).
    assert {
        ("POST", "/users"),
        ("POST", "/applicationTemplates/{}/instantiate"),
        ("POST", "/servicePrincipals/{}/appRoleAssignedTo"),
        ("PATCH", "/servicePrincipals/{}"),
        ("POST", "/servicePrincipals/{}/synchronization/jobs/{}/provisionOnDemand"),
        ("POST", "/policies/claimsMappingPolicies"),
    } <= seen
