"""Faults, guards and half-finished setups against the twin: bounded retries succeed, permanent
errors fail fast and clearly, teardown leaves nothing of ours, and never touches anything else."""

import json
import time

import pytest
from entraidc.aws import ACCOUNTS
from lab import APP_TEMPLATE, MARKER, Lab


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def add_fault(twin_admin, **rule):
    status, body = twin_admin("POST", "/faults", rule)
    assert status == 201, body


def entra_inventory(twin_admin) -> str:
    status, body = twin_admin("GET", "/inventory")
    assert status == 200, body
    return json.dumps(body.get("azure-id", {}))


def test_throttling_5xx_and_replication_delay_are_survived(lab, twin_admin):
    add_fault(twin_admin, service="graph", operation="createUser", kind="throttle", retry_after=1, count=2)
    add_fault(twin_admin, service="graph", operation="instantiate", kind="5xx", status=503, count=1)
    add_fault(twin_admin, service="graph", operation="*", kind="delay", seconds=3)
    add_fault(twin_admin, service="keyvault", operation="*", kind="throttle", retry_after=1, count=1)
    started = time.monotonic()
    assert lab.users("create", "NikkiWolf")["changed"] is True
    assert lab.app("create", "aws-commercial")["changed"] is True
    assert lab.assign("create", "NikkiWolf", "aws-commercial")["changed"] is True
    assert time.monotonic() - started < 120
    log = "".join(lab.outputs)
    assert "POST /users: 429, retrying in 1.0s" in log
    assert "POST /applicationTemplates/" in log and ": 503, retrying" in log
    assert ": 404, retrying" in log  # replication delay waited out


def test_permanent_error_fails_fast_with_a_clear_message(lab):
    started = time.monotonic()
    result = lab.run(
        ["entra-app", "create"],
        expect=1,
        ENTRAIDC_ACCOUNT_NICKNAME="aws-commercial",
        ENTRAIDC_APP_TEMPLATE_NAME="No Such Gallery App",
        ENTRAIDC_APP_DISPLAY_NAME="AWS IAM Identity Center (aws-commercial)",
        ENTRAIDC_RESULT_SECRET_NAME="entraidc-app-aws-commercial",
    )
    assert time.monotonic() - started < 30
    assert result["ok"] is False
    assert "expected one gallery template 'No Such Gallery App'" in result["error"]
    assert "found 0 (none)" in result["error"]


def test_objects_we_did_not_create_are_refused_and_never_touched(lab, twin_admin):
    graph = _graph(lab)
    domain = next(
        d["name"] for d in graph.get("/organization")["value"][0]["verifiedDomains"] if d["isDefault"]
    )
    foreign_user = graph.post(
        "/users",
        {
            "accountEnabled": True,
            "displayName": "NikkiWolf",
            "mailNickname": "NikkiWolf",
            "userPrincipalName": f"NikkiWolf@{domain}",
            "passwordProfile": {"password": "Foreign-Passw0rd!"},
        },
    )
    template = graph.get(
        "/applicationTemplates", params={"$filter": f"displayName eq '{APP_TEMPLATE}'"}
    )
    foreign_app = graph.post(
        f"/applicationTemplates/{template['value'][0]['id']}/instantiate",
        {"displayName": "AWS IAM Identity Center (aws-govcloud)"},
    )["application"]

    refused = lab.run(
        ["entra-users", "create"],
        expect=1,
        ENTRAIDC_USER_NAME="NikkiWolf",
        ENTRAIDC_GIVEN_NAME="Nikki",
        ENTRAIDC_FAMILY_NAME="Wolf",
        ENTRAIDC_DISPLAY_NAME="NikkiWolf",
        ENTRAIDC_RESULT_SECRET_NAME="entraidc-user-nikkiwolf",
    )
    assert "was not created by entra-idc; it is left alone" in refused["error"]
    refused = lab.run(
        ["entra-app", "create"],
        expect=1,
        ENTRAIDC_ACCOUNT_NICKNAME="aws-govcloud",
        ENTRAIDC_APP_TEMPLATE_NAME="AWS IAM Identity Center (successor to AWS Single Sign-On)",
        ENTRAIDC_APP_DISPLAY_NAME="AWS IAM Identity Center (aws-govcloud)",
        ENTRAIDC_RESULT_SECRET_NAME="entraidc-app-aws-govcloud",
    )
    assert "exists but was not created by entra-idc" in refused["error"]

    lab.run(["--json", "teardown", "--all-marked"])
    lab.users("destroy", "NikkiWolf")
    lab.app("destroy", "aws-govcloud")
    assert graph.get(f"/users/{foreign_user['id']}")["id"] == foreign_user["id"]
    assert graph.get(f"/applications/{foreign_app['id']}")["id"] == foreign_app["id"]


def test_federated_instance_is_refused_before_anything_changes(lab, twin_admin):
    nikki = lab.users("create", "NikkiWolf")
    lab.app("create", "aws-govcloud")
    lab.terraform_aws_side("aws-govcloud", nikki["user"])
    from entraidc.aws_console_api import ConsoleApi
    from metadata_fixture import foreign_idp_metadata

    console = ConsoleApi(ACCOUNTS["aws-govcloud"], lab.session("aws-govcloud"))
    store = lab.instance("aws-govcloud")["IdentityStoreId"]
    other = console.upload_idp_saml_metadata(store, foreign_idp_metadata())
    console.accept_change_identity_source(store, other["IdPId"])

    refused = lab.run(["--json", "preflight", "--account", "aws-govcloud"], expect=2)
    assert "is federated with external IdP https://idp.example.net/saml" in refused["error"]
    result = lab.federate("create", "aws-govcloud", expect=2)
    assert "refusing to change the identity source" in result["error"]
    assert "ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE=true" in result["error"]
    sp = _graph(lab).get(
        f"/servicePrincipals/{lab.result_tags('entraidc-app-aws-govcloud')['servicePrincipalId']}"
    )
    assert sp.get("preferredSingleSignOnMode") != "saml"  # nothing changed in Entra
    assert [i["IdPId"] for i in console.list_external_identity_providers(store)] == [other["IdPId"]]

    lab.run(["--json", "teardown", "--account", "aws-govcloud"])  # someone else's IdP stays
    assert [i["IdPId"] for i in console.list_external_identity_providers(store)] == [other["IdPId"]]

    assert (
        lab.federate("create", "aws-govcloud", ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE="true")["changed"]
        is True
    )
    assert [i["Status"] for i in console.list_external_identity_providers(store)] == ["ENABLED"]
    assert other["IdPId"] not in [i["IdPId"] for i in console.list_external_identity_providers(store)]


STEPS = ["users", "app", "assign", "federate", "scim-enable"]


@pytest.mark.parametrize("failed_after", STEPS)
def test_teardown_after_a_failure_at_each_step_leaves_nothing_of_ours(lab, twin_admin, failed_after):
    nikki = lab.users("create", "NikkiWolf")
    rich = lab.users("create", "RichRoe")
    for nickname in ACCOUNTS:
        if STEPS.index(failed_after) >= 1:
            lab.app("create", nickname)
        if STEPS.index(failed_after) >= 2:
            lab.assign("create", "NikkiWolf", nickname)
            lab.assign("create", "RichRoe", nickname)
        if STEPS.index(failed_after) >= 3:
            lab.terraform_aws_side(nickname, nikki["user"])
            lab.federate("create", nickname)
    if failed_after == "scim-enable":
        # The provisioning engine's on-demand call fails for good: scim-enable stops half-way.
        add_fault(twin_admin, service="graph", operation="provisionOnDemand", kind="5xx", status=500)
        lab.run(["--json", "scim-enable", "--timeout", "20"], expect=1, ENTRAIDC_RETRY_ATTEMPTS="2")

    lab.run(["--json", "teardown", "--all-marked"])
    lab.run(["--json", "teardown", "--all-marked"])  # safe to run twice
    left = entra_inventory(twin_admin)
    assert MARKER not in left
    assert nikki["user"] not in left and rich["user"] not in left
    for nickname in ACCOUNTS:
        from entraidc.aws_console_api import ConsoleApi

        console = ConsoleApi(ACCOUNTS[nickname], lab.session(nickname))
        store = lab.instance(nickname)["IdentityStoreId"]
        assert console.list_external_identity_providers(store) == []
        assert console.automatic_provisioning_status(store) == []
        users = lab.session(nickname).client("identitystore").list_users(IdentityStoreId=store)["Users"]
        assert rich["user"] not in [u["UserName"] for u in users]


def _graph(lab):
    return lab.graph()


def test_scim_enable_survives_faults_on_both_sides(lab, twin_admin):
    users = lab.saml_phase(["aws-govcloud"], with_rich=True)
    add_fault(
        twin_admin,
        service="sso-directory",
        operation="CreateProvisioningTenant",
        kind="5xx",
        status=503,
        count=1,
    )
    add_fault(
        twin_admin,
        service="sso-directory",
        operation="CreateBearerToken",
        kind="throttle",
        retry_after=1,
        count=1,
    )
    add_fault(twin_admin, service="sso-directory", operation="*", kind="delay", seconds=2)
    add_fault(
        twin_admin, service="graph", operation="provisionOnDemand", kind="throttle", retry_after=1, count=1
    )
    add_fault(twin_admin, service="graph", operation="*", kind="delay", seconds=2)
    result = lab.run(["--json", "scim-enable", "--account", "aws-govcloud", "--timeout", "120"])
    assert result["accounts"][0]["richRoeUserId"]
    log = "".join(lab.outputs)
    assert "CreateProvisioningTenant: 503, retrying" in log
    assert "CreateBearerToken: 400, retrying in 1.0s" in log
    assert "provisionOnDemand: 429, retrying in 1.0s" in log
    store = lab.instance("aws-govcloud")["IdentityStoreId"]
    names = [
        u["UserName"]
        for u in lab.session("aws-govcloud")
        .client("identitystore")
        .list_users(IdentityStoreId=store)["Users"]
    ]
    assert users["rich"]["user"] in names


def test_verify_reports_what_drifted(lab, tmp_path):
    lab.saml_phase(["aws-commercial"])
    graph = lab.graph()
    app = lab.result_tags("entraidc-app-aws-commercial")
    nikki = lab.result_tags("entraidc-user-nikkiwolf")
    for assignment in graph.list(f"/servicePrincipals/{app['servicePrincipalId']}/appRoleAssignedTo"):
        if assignment["principalId"] == nikki["objectId"]:
            graph.delete(
                f"/servicePrincipals/{app['servicePrincipalId']}/appRoleAssignedTo/{assignment['id']}"
            )
    graph.patch(
        f"/applications/{app['applicationObjectId']}", {"web": {"redirectUris": ["https://example.org/acs"]}}
    )

    report = tmp_path / "verify.xml"
    result = lab.run(
        ["--json", "verify", "--phase", "saml", "--account", "aws-commercial", "--junit", str(report)],
        expect=1,
    )
    failed = sorted(c["name"] for c in result["checks"] if c["status"] == "fail")
    assert failed == [
        "1.4 NikkiWolf assigned to the app",
        "3.2 reply URLs include every Identity Center ACS URL",
    ]
    assert result["passed"] == 10
    assert report.read_text().count("<failure ") == 2


def test_teardown_removes_the_scim_user_even_after_his_entra_user_is_gone(lab):
    users = lab.saml_phase(["aws-govcloud"], with_rich=True)
    lab.run(["--json", "scim-enable", "--account", "aws-govcloud", "--timeout", "120"])
    lab.assign("destroy", "RichRoe", "aws-govcloud")
    lab.users("destroy", "RichRoe")  # destroyed out of order, e.g. by a partial destroy
    torn = lab.run(["--json", "teardown", "--account", "aws-govcloud"])
    assert torn["accounts"][0]["scimUsers"] == 1
    store = lab.instance("aws-govcloud")["IdentityStoreId"]
    names = [
        u["UserName"]
        for u in lab.session("aws-govcloud")
        .client("identitystore")
        .list_users(IdentityStoreId=store)["Users"]
    ]
    assert users["rich"]["user"] not in names and users["nikki"]["user"] in names


def test_verify_checks_the_built_portal_url_when_the_answer_has_no_sign_in_url(lab, twin_admin):
    """SignInUrl is optional in GetAWSSPConfigurationForDirectory's answer (saml-federate then uses the
    module's built URL); verify used to index it and crash after a good setup."""
    nickname = "aws-commercial"
    rule = {"service": "sso-directory", "operation": "GetAWSSPConfigurationForDirectory", "kind": "rename",
            "member": "SPConfiguration.SignInUrl"}
    add_fault(twin_admin, **rule)
    nikki = lab.users("create", "NikkiWolf")
    lab.app("create", nickname)
    lab.assign("create", "NikkiWolf", nickname)
    lab.terraform_aws_side(nickname, nikki["user"])
    store = lab.instance(nickname)["IdentityStoreId"]
    built = ACCOUNTS[nickname].default_access_portal_url(store)
    lab.federate("create", nickname, ENTRAIDC_ACCESS_PORTAL_URL=built)
    assert lab.result_tags(f"entraidc-saml-{nickname}")["signInUrlSource"] == "built"

    result = lab.run(["--json", "verify", "--phase", "saml", "--account", nickname])
    check = next(c for c in result["checks"] if c["name"] == "3.2 sign-on URL = access portal URL")
    assert check["status"] == "pass", check
    assert built in check["detail"] and "no SignInUrl" in check["detail"]
