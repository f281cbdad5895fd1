"""Synchronization job lifecycle in Graph (no target needed).

References: Graph v1.0 "synchronizationJob: pause" (204; status code Paused), "Delete
synchronizationJob" (204, then 404), "synchronizationStatus" (NotConfigured until admin
credentials are saved), "List synchronization templates" (gallery apps that support
provisioning offer one; an app registration offers none), "synchronization: secrets".
"""

import json

import pytest
from azure_inprocess import AzureTwin


@pytest.fixture
def twin(tmp_path):
    return AzureTwin(tmp_path)


def test_only_gallery_apps_offer_a_provisioning_template(twin):
    _, gallery_sp = twin.gallery_app("gallery")
    templates = twin.graph(
        "GET", f"/servicePrincipals/{gallery_sp['id']}/synchronization/templates"
    ).get_json()
    (template,) = templates["value"]
    mappings = template["schema"]["synchronizationRules"][0]["objectMappings"][0]["attributeMappings"]
    assert {m["targetAttributeName"] for m in mappings} >= {"userName", "active", "displayName", "externalId"}
    app = twin.graph("POST", "/applications", {"displayName": "registration"}).get_json()
    sp = twin.graph("POST", "/servicePrincipals", {"appId": app["appId"]}).get_json()
    assert (
        twin.graph("GET", f"/servicePrincipals/{sp['id']}/synchronization/templates").get_json()["value"]
        == []
    )
    refused = twin.graph(
        "POST", f"/servicePrincipals/{sp['id']}/synchronization/jobs", {"templateId": "AWSSingleSignOn"}
    )
    assert refused.status_code == 400


def test_job_is_not_configured_until_secrets_are_saved_and_can_be_paused_and_deleted(twin):
    _, sp = twin.gallery_app("lifecycle")
    base = f"/servicePrincipals/{sp['id']}/synchronization"
    template_id = twin.graph("GET", f"{base}/templates").get_json()["value"][0]["id"]
    job = twin.graph("POST", f"{base}/jobs", {"templateId": template_id}).get_json()
    assert job["status"]["code"] == "NotConfigured" and job["schedule"]["state"] == "Disabled"
    no_credentials = twin.graph(
        "POST",
        f"{base}/jobs/{job['id']}/provisionOnDemand",
        {"parameters": [{"ruleId": "x", "subjects": [{"objectId": "y", "objectTypeName": "User"}]}]},
    )
    assert no_credentials.status_code == 400
    bad_key = twin.graph("PUT", f"{base}/secrets", {"value": [{"key": "Password", "value": "x"}]})
    assert bad_key.status_code == 400
    saved = twin.graph(
        "PUT",
        f"{base}/secrets",
        {
            "value": [
                {"key": "BaseAddress", "value": "https://scim.example/"},
                {"key": "SecretToken", "value": "t"},
            ]
        },
    )
    assert saved.status_code == 204
    assert twin.graph("GET", f"{base}/jobs/{job['id']}").get_json()["status"]["code"] == "NotRun"
    assert twin.graph("POST", f"{base}/jobs/{job['id']}/pause").status_code == 204
    paused = twin.graph("GET", f"{base}/jobs/{job['id']}").get_json()
    assert paused["status"]["code"] == "Paused" and paused["schedule"]["state"] == "Paused"
    assert twin.graph("DELETE", f"{base}/jobs/{job['id']}").status_code == 204
    assert twin.graph("GET", f"{base}/jobs/{job['id']}").status_code == 404
    assert twin.graph("GET", f"{base}/jobs").get_json()["value"] == []


def test_on_demand_provisioning_of_an_unassigned_user_is_skipped_in_key_and_status_info(twin):
    """ "synchronizationJob: provisionOnDemand": the outcome is the JSON of ``key`` (result, details)
    and ``statusInfo`` in ``value``; out of scope is Skipped, NotEffectivelyEntitled."""
    _, sp = twin.gallery_app("scope")
    base = f"/servicePrincipals/{sp['id']}/synchronization"
    template_id = twin.graph("GET", f"{base}/templates").get_json()["value"][0]["id"]
    job = twin.graph("POST", f"{base}/jobs", {"templateId": template_id}).get_json()
    secrets = [{"key": "BaseAddress", "value": "https://scim.example/"}, {"key": "SecretToken", "value": "t"}]
    assert twin.graph("PUT", f"{base}/secrets", {"value": secrets}).status_code == 204
    rule_id = twin.graph("GET", f"{base}/jobs/{job['id']}/schema").get_json()["synchronizationRules"][0]["id"]
    unassigned = twin.user("NikkiWolf")
    answer = twin.graph(
        "POST",
        f"{base}/jobs/{job['id']}/provisionOnDemand",
        {
            "parameters": [
                {"ruleId": rule_id, "subjects": [{"objectId": unassigned["id"], "objectTypeName": "User"}]}
            ]
        },
    ).get_json()
    key = json.loads(answer["key"])
    assert key["result"] == "Skipped" and key["details"]["errorCode"] == "NotEffectivelyEntitled"
    assert "not assigned to the application" in key["details"]["errorMessage"]
    assert json.loads(answer["value"])["statusInfo"]["status"] == "Skipped"
