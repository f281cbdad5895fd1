"""Microsoft Graph behaviour of the twin that scripts depend on.

References: learn.microsoft.com/graph — "Microsoft Graph error responses" (error.code,
error.message, error.innerError.request-id/date), "Paging" (@odata.nextLink with an opaque
$skiptoken, followed verbatim), "Use query parameters" ($filter eq/startswith, $select),
"Throttling" (429 + Retry-After), "applicationTemplate: instantiate" (objects may 404 while
they replicate), "Create user" (verified-domain UPN), "Grant an appRoleAssignment".
"""

import pytest
from azure_inprocess import AzureTwin

from twin.azure import catalogue, ids


@pytest.fixture
def twin(tmp_path):
    return AzureTwin(tmp_path)


def assert_graph_error(response, status: int, code: str):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["innerError"]["request-id"] and error["innerError"]["date"]


def test_organization_lists_the_verified_domains(twin):
    body = twin.graph("GET", "/organization", query_string={"$select": "id,verifiedDomains"}).get_json()
    (org,) = body["value"]
    assert set(org) == {"id", "verifiedDomains"}
    assert org["id"] == ids.TENANT_ID
    assert {d["name"] for d in org["verifiedDomains"]} == set(ids.VERIFIED_DOMAINS)


def test_a_user_needs_a_verified_domain_and_a_unique_upn(twin):
    twin.user("NikkiWolf")
    again = twin.graph(
        "POST",
        "/users",
        {
            "accountEnabled": True,
            "displayName": "N",
            "mailNickname": "n",
            "userPrincipalName": "nikkiwolf@EXAMPLE.org",
            "passwordProfile": {"password": "Tw1n-Passw0rd!"},
        },
    )
    assert_graph_error(again, 400, "Request_BadRequest")
    foreign = twin.graph(
        "POST",
        "/users",
        {
            "accountEnabled": True,
            "displayName": "R",
            "mailNickname": "r",
            "userPrincipalName": "r@not-verified.example",
            "passwordProfile": {"password": "Tw1n-Passw0rd!"},
        },
    )
    assert_graph_error(foreign, 400, "Request_BadRequest")
    assert "verified domain" in foreign.get_json()["error"]["message"]


def test_users_are_found_by_upn_and_select_returns_extension_attributes(twin):
    user = twin.user("RichRoe", onPremisesExtensionAttributes={"extensionAttribute1": "entra-idc"})
    by_upn = twin.graph(
        "GET",
        "/users/RichRoe%40example.org",
        query_string={"$select": "id,userPrincipalName,onPremisesExtensionAttributes"},
    )
    assert by_upn.status_code == 200
    body = by_upn.get_json()
    assert body["id"] == user["id"]
    assert body["onPremisesExtensionAttributes"]["extensionAttribute1"] == "entra-idc"
    assert "onPremisesExtensionAttributes" not in twin.graph("GET", f"/users/{user['id']}").get_json()
    assert_graph_error(
        twin.graph("GET", f"/users/{user['id']}", query_string={"$select": "nope"}), 400, "BadRequest"
    )


def test_paging_follows_next_links_until_every_user_is_seen(twin):
    for n in range(5):
        twin.user(f"pager{n}")
    seen, url, pages = [], "/users", 0
    query = {"$top": "2", "$select": "userPrincipalName"}
    while url:
        page = twin.graph("GET", url, query_string=query).get_json()
        seen += [u["userPrincipalName"] for u in page["value"]]
        pages += 1
        next_link = page.get("@odata.nextLink")
        assert next_link is None or next_link.startswith("https://graph.microsoft.com/v1.0/users?")
        url, query = (
            (next_link.removeprefix("https://graph.microsoft.com/v1.0"), None) if next_link else (None, None)
        )
    assert pages == 3
    assert sorted(seen) == [f"pager{n}@example.org" for n in range(5)]


def test_filter_is_case_insensitive_and_rejects_what_it_cannot_parse(twin):
    twin.user("NikkiWolf")
    twin.user("RichRoe")
    found = twin.graph(
        "GET", "/users", query_string={"$filter": "userPrincipalName eq 'nikkiwolf@example.org'"}
    )
    assert [u["displayName"] for u in found.get_json()["value"]] == ["NikkiWolf"]
    started = twin.graph(
        "GET", "/users", query_string={"$filter": "startswith(displayName,'rich') or displayName eq 'nobody'"}
    )
    assert [u["displayName"] for u in started.get_json()["value"]] == ["RichRoe"]
    assert_graph_error(
        twin.graph("GET", "/users", query_string={"$filter": "displayName eq"}), 400, "BadRequest"
    )


def test_tokens_are_checked_for_presence_signature_and_audience(twin):
    missing = twin.call(ids.GRAPH_HOST, "GET", "/v1.0/organization")
    assert_graph_error(missing, 401, "InvalidAuthenticationToken")
    arm_token = twin.token("https://management.azure.com//.default")
    wrong_audience = twin.call(ids.GRAPH_HOST, "GET", "/v1.0/organization", token=arm_token)
    assert_graph_error(wrong_audience, 401, "InvalidAuthenticationToken")
    forged = twin.token("https://graph.microsoft.com/.default")[:-4] + "AAAA"
    assert_graph_error(
        twin.call(ids.GRAPH_HOST, "GET", "/v1.0/organization", token=forged),
        401,
        "InvalidAuthenticationToken",
    )


def test_the_gallery_template_instantiates_an_application_and_its_service_principal(twin):
    app, sp = twin.gallery_app("AWS IAM Identity Center (aws-commercial)")
    assert sp["appId"] == app["appId"]
    assert app["applicationTemplateId"] == catalogue.AWS_TEMPLATE_ID
    assert {r["displayName"] for r in sp["appRoles"]} >= {"User"}
    listed = twin.graph("GET", "/servicePrincipals", query_string={"$filter": f"appId eq '{app['appId']}'"})
    assert [s["id"] for s in listed.get_json()["value"]] == [sp["id"]]
    by_app_id = twin.graph("GET", f"/servicePrincipals(appId='{app['appId']}')")
    assert by_app_id.get_json()["id"] == sp["id"]


def test_replication_delay_hides_new_objects_for_the_set_time(twin):
    twin.context.faults.add({"service": "graph", "operation": "*", "kind": "delay", "seconds": 60})
    app, sp = twin.gallery_app("delayed")
    assert_graph_error(twin.graph("GET", f"/servicePrincipals/{sp['id']}"), 404, "Request_ResourceNotFound")
    assert_graph_error(
        twin.graph("PATCH", f"/applications/{app['id']}", {"notes": "x"}), 404, "Request_ResourceNotFound"
    )
    twin.context.faults.clear()
    assert twin.graph("GET", f"/servicePrincipals/{sp['id']}").status_code == 200


def test_assigning_a_principal_that_has_not_replicated_is_not_a_valid_reference_update(twin):
    """The body's principal is a reference: 400 Request_BadRequest, while the URL's object is a 404
    ("Set up Microsoft Entra ID for client authentication", troubleshooting Request_BadRequest)."""
    import time

    _, sp = twin.gallery_app("replicating")
    time.sleep(1.2)  # the service principal has replicated, the user created next has not
    twin.context.faults.add(
        {"service": "graph", "operation": "grantAppRoleAssignedTo", "kind": "delay", "seconds": 1}
    )
    user = twin.user("NikkiWolf")
    role = next(r for r in sp["appRoles"] if r["displayName"] == "User")
    body = {"principalId": user["id"], "resourceId": sp["id"], "appRoleId": role["id"]}
    early = twin.graph("POST", f"/servicePrincipals/{sp['id']}/appRoleAssignedTo", body)
    assert_graph_error(early, 400, "Request_BadRequest")
    assert early.get_json()["error"]["message"] == "Not a valid reference update."
    twin.context.faults.clear()
    assert twin.graph("POST", f"/servicePrincipals/{sp['id']}/appRoleAssignedTo", body).status_code == 201


def test_an_app_only_password_reset_needs_the_user_administrator_role(twin):
    """ "Update user", passwordProfile: app-only needs User.ReadWrite.All and at least User Administrator."""
    user = twin.user("NikkiWolf")
    reset = {"passwordProfile": {"forceChangePasswordNextSignIn": True, "password": "N3w-Passw0rd!"}}
    assert_graph_error(twin.graph("PATCH", f"/users/{user['id']}", reset), 403, "Authorization_RequestDenied")
    assert twin.graph("PATCH", f"/users/{user['id']}", {"displayName": "Nikki"}).status_code == 204
    twin.store.directory_roles[ids.AUTOMATION_SP_OBJECT_ID] = {"User Administrator"}
    assert twin.graph("PATCH", f"/users/{user['id']}", reset).status_code == 204


def test_throttling_answers_429_with_retry_after_then_recovers(twin):
    twin.context.faults.add(
        {"service": "graph", "operation": "listUsers", "kind": "throttle", "retry_after": 3, "count": 1}
    )
    throttled = twin.graph("GET", "/users")
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "3"
    assert throttled.get_json()["error"]["code"] == "TooManyRequests"
    assert twin.graph("GET", "/users").status_code == 200


def test_assignments_need_an_app_role_of_the_app_and_are_not_duplicated(twin):
    _, sp = twin.gallery_app("assign")
    user = twin.user("NikkiWolf")
    default_access = twin.graph(
        "POST",
        f"/servicePrincipals/{sp['id']}/appRoleAssignedTo",
        {"principalId": user["id"], "resourceId": sp["id"], "appRoleId": catalogue.DEFAULT_ACCESS_ROLE_ID},
    )
    assert_graph_error(default_access, 400, "Request_BadRequest")
    assignment = twin.assign(sp, user)
    assert assignment["principalType"] == "User" and assignment["resourceId"] == sp["id"]
    role = next(r for r in sp["appRoles"] if r["displayName"] == "User")
    duplicate = twin.graph(
        "POST",
        f"/servicePrincipals/{sp['id']}/appRoleAssignedTo",
        {"principalId": user["id"], "resourceId": sp["id"], "appRoleId": role["id"]},
    )
    assert_graph_error(duplicate, 400, "Request_BadRequest")
    removed = twin.graph("DELETE", f"/servicePrincipals/{sp['id']}/appRoleAssignedTo/{assignment['id']}")
    assert removed.status_code == 204
    listed = twin.graph("GET", f"/servicePrincipals/{sp['id']}/appRoleAssignedTo").get_json()["value"]
    assert listed == []


def test_deleted_applications_and_users_wait_in_the_recycle_bin_until_purged(twin):
    app, sp = twin.gallery_app("recycled")
    user = twin.user("Gone")
    assert twin.graph("DELETE", f"/applications/{app['id']}").status_code == 204
    assert twin.graph("DELETE", f"/users/{user['id']}").status_code == 204
    assert_graph_error(twin.graph("GET", f"/servicePrincipals/{sp['id']}"), 404, "Request_ResourceNotFound")
    inventory = twin.store.inventory()
    assert {i["id"] for i in inventory["deletedItems"]} == {app["id"], sp["id"], user["id"]}
    assert twin.graph("DELETE", f"/directory/deletedItems/{app['id']}").status_code == 204
    # "Restore an enterprise application": the service principal stays, listed by its appId.
    listed = twin.graph(
        "GET",
        "/directory/deletedItems/graph.servicePrincipal",
        query_string={"$filter": f"appId eq '{app['appId']}'"},
    ).get_json()["value"]
    assert [s["id"] for s in listed] == [sp["id"]]
    assert twin.graph("GET", "/directory/deletedItems/graph.application").get_json()["value"] == []
    assert twin.graph("DELETE", f"/directory/deletedItems/{sp['id']}").status_code == 204
    # "Permanently delete an item (directory object)": users cannot be purged with application
    # permissions; the soft-deleted user does not block its name.
    refused = twin.graph("DELETE", f"/directory/deletedItems/{user['id']}")
    assert_graph_error(refused, 403, "Authorization_RequestDenied")
    assert [i["id"] for i in twin.store.inventory()["deletedItems"]] == [user["id"]]
    assert twin.user("Gone")["id"] != user["id"]


def test_unknown_properties_are_rejected_on_patch(twin):
    _, sp = twin.gallery_app("patch")
    assert_graph_error(
        twin.graph("PATCH", f"/servicePrincipals/{sp['id']}", {"noSuchThing": 1}), 400, "Request_BadRequest"
    )
    ok = twin.graph(
        "PATCH",
        f"/servicePrincipals/{sp['id']}",
        {
            "preferredSingleSignOnMode": "saml",
            "notes": "managed",
            "tags": ["entra-idc"],
            "samlSingleSignOnSettings": {"relayState": "https://example.org/start"},
        },
    )
    assert ok.status_code == 204
    got = twin.graph(
        "GET",
        f"/servicePrincipals/{sp['id']}",
        query_string={"$select": "preferredSingleSignOnMode,notes,tags,samlSingleSignOnSettings"},
    )
    assert got.get_json()["samlSingleSignOnSettings"] == {"relayState": "https://example.org/start"}
    assert got.get_json()["preferredSingleSignOnMode"] == "saml"


def test_reset_forgets_every_object_but_keeps_the_automation_principal(twin):
    import twin.azure as azure

    twin.gallery_app("forgotten")
    user = twin.user("Forgotten")
    assert twin.graph("DELETE", f"/users/{user['id']}").status_code == 204  # into the recycle bin
    azure.reset(twin.context)
    inventory = twin.store.inventory()
    assert (
        inventory["users"] == [] and inventory["applications"] == [] and inventory["servicePrincipals"] == []
    )
    assert inventory["deletedItems"] == []  # a fresh tenant's recycle bin is empty too
    assert twin.graph("GET", f"/servicePrincipals/{ids.AUTOMATION_SP_OBJECT_ID}").status_code == 200


def test_identifier_uris_off_verified_domains_need_a_saml_app_first(twin):
    """Entra "Restrictions on identifier URIs of Microsoft Entra applications" (excludeSaml)."""
    app, sp = twin.gallery_app("AWS IAM Identity Center (aws-commercial)")
    entity = "https://us-east-1.signin.aws.amazon.com/platform/saml/d-9067c2f1e1"
    refused = twin.graph("PATCH", f"/applications/{app['id']}", {"identifierUris": [entity]})
    assert_graph_error(refused, 400, "HostNameNotOnVerifiedDomain")
    assert entity in refused.get_json()["error"]["message"]
    for allowed in (f"api://{app['appId']}", "https://aws.example.org/saml"):
        assert (
            twin.graph("PATCH", f"/applications/{app['id']}", {"identifierUris": [allowed]}).status_code
            == 204
        )
    saml = twin.graph("PATCH", f"/servicePrincipals/{sp['id']}", {"preferredSingleSignOnMode": "saml"})
    assert saml.status_code == 204
    assert twin.graph("PATCH", f"/applications/{app['id']}", {"identifierUris": [entity]}).status_code == 204


def test_templates_filter_by_display_name_with_eq_or_contains_only(twin):
    """ "List applicationTemplates": $filter only on displayName or categories (eq, contains)."""
    exact = twin.graph(
        "GET",
        "/applicationTemplates",
        query_string={"$filter": f"displayName eq '{catalogue.AWS_TEMPLATE_NAME}'"},
    )
    assert [t["id"] for t in exact.get_json()["value"]] == [catalogue.AWS_TEMPLATE_ID]
    contains = twin.graph(
        "GET", "/applicationTemplates", query_string={"$filter": "contains(displayName,'IAM Identity')"}
    )
    assert [t["id"] for t in contains.get_json()["value"]] == [catalogue.AWS_TEMPLATE_ID]
    prefix = twin.graph(
        "GET", "/applicationTemplates", query_string={"$filter": "startswith(displayName,'AWS IAM')"}
    )
    assert_graph_error(prefix, 400, "BadRequest")


def test_custom_key_identifier_is_base64_of_the_thumbprint(twin):
    """Graph "keyCredential resource type": customKeyIdentifier is Edm.Binary (base64 in JSON)."""
    import base64

    _, sp = twin.gallery_app("AWS IAM Identity Center (aws-commercial)")
    cert = twin.graph(
        "POST", f"/servicePrincipals/{sp['id']}/addTokenSigningCertificate", {"displayName": "CN=t"}
    ).get_json()
    keys = twin.graph("GET", f"/servicePrincipals/{sp['id']}").get_json()["keyCredentials"]
    assert {k["customKeyIdentifier"] for k in keys} == {
        base64.b64encode(bytes.fromhex(cert["thumbprint"])).decode()
    }
