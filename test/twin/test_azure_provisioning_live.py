"""Entra provisioning in the twin pushes real SCIM requests to the AWS side's SCIM endpoint.

References: Microsoft Graph "Configure provisioning using Microsoft Graph APIs" (templates ->
jobs -> validateCredentials -> secrets -> start) and "provisionOnDemand"; Microsoft
"Application provisioning in quarantine status" (bad credentials quarantine the job); the
scope "sync only assigned users and groups"; AWS IAM Identity Center "SCIM implementation
developer guide" (one value per multi-valued attribute; refused as the CloudTrail SCIM examples
record it, "List attribute ... exceeds allowed limit of 1").
"""

import json
import uuid

import boto3
import pytest
from azure_live import LiveGraph
from twin_client import Scim, scim_endpoint_and_token

from twin.azure import catalogue, ids

PROFILE = "aws-commercial"


def identity_store_users(user_name: str) -> list[dict]:
    session = boto3.Session(profile_name=PROFILE)
    store_id = session.client("sso-admin").list_instances()["Instances"][0]["IdentityStoreId"]
    return session.client("identitystore").list_users(
        IdentityStoreId=store_id, Filters=[{"AttributePath": "UserName", "AttributeValue": user_name}]
    )["Users"]


@pytest.fixture
def lab(twin_environ):
    graph = LiveGraph(twin_environ)
    suffix = uuid.uuid4().hex[:8]
    app, sp = graph.gallery_app(f"AWS IAM Identity Center (provisioning test {suffix})")
    endpoint, token = scim_endpoint_and_token(PROFILE)
    made = {"users": [], "upns": []}

    def user(name: str, **extra) -> dict:
        created = graph.user(f"{name}-{suffix}", **extra)
        made["users"].append(created["id"])
        made["upns"].append(created["userPrincipalName"])
        return created

    yield graph, sp, endpoint, token, user
    graph("DELETE", f"/applications/{app['id']}")
    graph("DELETE", f"/directory/deletedItems/{app['id']}")
    for user_id in made["users"]:
        graph("DELETE", f"/users/{user_id}")
        graph("DELETE", f"/directory/deletedItems/{user_id}")
    scim = Scim(endpoint, token)
    for upn in made["upns"]:
        for found in scim("GET", "Users", filter=f'userName eq "{upn}"').json().get("Resources", []):
            scim("DELETE", f"Users/{found['id']}")


def credentials(endpoint: str, token: str) -> list[dict]:
    return [{"key": "BaseAddress", "value": endpoint}, {"key": "SecretToken", "value": token}]


def test_a_provisioning_cycle_creates_assigned_users_only(lab):
    graph, sp, endpoint, token, user = lab
    assigned, unassigned = user("RichRoe", department="Engineering"), user("NotAssigned")
    graph.assign(sp, assigned)
    job = graph.job(sp)
    assert job["status"]["code"] == "NotConfigured"
    base = f"/servicePrincipals/{sp['id']}/synchronization"
    graph.ok(
        "POST",
        f"{base}/jobs/{job['id']}/validateCredentials",
        {"useSavedCredentials": False, "credentials": credentials(endpoint, token)},
        status=204,
    )
    graph.ok("PUT", f"{base}/secrets", {"value": credentials(endpoint, token)}, status=204)
    graph.ok("POST", f"{base}/jobs/{job['id']}/start", status=204)
    done = graph.wait_for_execution(sp, job)
    assert done["status"]["code"] == "Active", done["status"]
    assert done["status"]["lastExecution"]["state"] == "Succeeded", done["status"]["lastExecution"]
    (created,) = identity_store_users(assigned["userPrincipalName"])
    assert created["DisplayName"] == assigned["displayName"]
    assert created["Name"]["GivenName"] == "Test" and created["Name"]["FamilyName"] == assigned["surname"]
    assert identity_store_users(unassigned["userPrincipalName"]) == []

    # Unassigned later: the next cycle disables the user in the target (active=false).
    (assignment,) = graph.ok("GET", f"/servicePrincipals/{sp['id']}/appRoleAssignedTo")["value"]
    graph.ok("DELETE", f"/servicePrincipals/{sp['id']}/appRoleAssignedTo/{assignment['id']}", status=204)
    graph.ok("POST", f"{base}/jobs/{job['id']}/restart", {"criteria": {"resetScope": "Full"}}, status=204)
    graph.wait_for_execution(sp, job, after=done["status"]["lastExecution"]["timeEnded"])
    scim = Scim(endpoint, token)
    (target,) = scim("GET", "Users", filter=f'userName eq "{assigned["userPrincipalName"]}"').json()[
        "Resources"
    ]
    assert target["active"] is False


def test_bad_credentials_fail_validation_and_quarantine_a_started_job(lab):
    graph, sp, endpoint, token, user = lab
    graph.assign(sp, user("Quarantined"))
    job = graph.job(sp)
    base = f"/servicePrincipals/{sp['id']}/synchronization"
    refused = graph(
        "POST",
        f"{base}/jobs/{job['id']}/validateCredentials",
        {"useSavedCredentials": False, "credentials": credentials(endpoint, "wrong-token")},
    )
    assert refused.status_code == 400 and "401" in refused.json()["error"]["message"]
    graph.ok("PUT", f"{base}/secrets", {"value": credentials(endpoint, "wrong-token")}, status=204)
    graph.ok("POST", f"{base}/jobs/{job['id']}/start", status=204)
    status = graph.wait_for_execution(sp, job)["status"]
    assert status["code"] == "Quarantine"
    assert status["quarantine"]["reason"] == "EncounteredQuarantineException"
    assert status["lastExecution"]["state"] == "Failed"


def test_a_cycle_with_one_failed_entry_ends_with_entry_level_errors_not_failed(lab):
    """synchronizationTaskExecution.state (Graph reference): Succeeded, Failed or EntryLevelErrors;
    a user the target refuses is escrowed (countEscrowed) while the run itself completes."""
    graph, sp, endpoint, token, user = lab
    good = user("Fine")
    two_phones = user("TwoPhonesCycle", businessPhones=["+1 555 0100"], mobilePhone="+1 555 0101")
    graph.assign(sp, good)
    graph.assign(sp, two_phones)
    job = graph.job(sp)
    base = f"/servicePrincipals/{sp['id']}/synchronization"
    graph.ok("PUT", f"{base}/secrets", {"value": credentials(endpoint, token)}, status=204)
    graph.ok("POST", f"{base}/jobs/{job['id']}/start", status=204)
    status = graph.wait_for_execution(sp, job)["status"]
    assert status["code"] == "Active" and status["quarantine"] is None, status
    assert status["lastExecution"]["state"] == "EntryLevelErrors", status["lastExecution"]
    assert status["lastExecution"]["countEscrowed"] == 1
    assert len(identity_store_users(good["userPrincipalName"])) == 1


def test_scim_errors_show_in_provision_on_demand_and_the_provisioning_log(lab):
    graph, sp, endpoint, token, user = lab
    two_phones = user("TwoPhones", businessPhones=["+1 555 0100"], mobilePhone="+1 555 0101")
    graph.assign(sp, two_phones)
    job = graph.job(sp)
    base = f"/servicePrincipals/{sp['id']}/synchronization"
    graph.ok("PUT", f"{base}/secrets", {"value": credentials(endpoint, token)}, status=204)
    schema = graph.ok("GET", f"{base}/jobs/{job['id']}/schema")
    rule_id = schema["synchronizationRules"][0]["id"]
    answer = graph.ok(
        "POST",
        f"{base}/jobs/{job['id']}/provisionOnDemand",
        {
            "parameters": [
                {"ruleId": rule_id, "subjects": [{"objectId": two_phones["id"], "objectTypeName": "User"}]}
            ]
        },
    )
    steps = json.loads(answer["value"])["provisioningSteps"]
    failed = [s for s in steps if s["status"] == "Failure"]
    assert failed and failed[0]["type"] == "Export", steps
    assert "400" in failed[0]["description"]
    assert identity_store_users(two_phones["userPrincipalName"]) == []
    # Reading the provisioning logs needs AuditLog.Read.All, which the automation is not granted
    # (docs/permissions.md): grant it as an admin would, then read with a new token.
    grants = f"/servicePrincipals/{catalogue.GRAPH_SP_OBJECT_ID}/appRoleAssignedTo"
    grant = graph.ok(
        "POST",
        grants,
        {
            "principalId": ids.AUTOMATION_SP_OBJECT_ID,
            "resourceId": catalogue.GRAPH_SP_OBJECT_ID,
            "appRoleId": catalogue.graph_permission_id("AuditLog.Read.All"),
        },
        status=201,
    )
    reader = LiveGraph(graph.env)
    logs = reader.ok("GET", "/auditLogs/provisioning")["value"]
    graph.ok("DELETE", f"{grants}/{grant['id']}", status=204)
    mine = [e for e in logs if e["sourceIdentity"]["id"] == two_phones["id"]]
    assert mine and mine[0]["provisioningStatusInfo"]["status"] == "failure"
