"""The SCIM server of the emulated provisioning tenant.

References: RFC 7644 (3.3 create -> 201, 3.4.2 filter/ListResponse, 3.5.2 PATCH, 3.6 delete -> 204,
3.12 error body); RFC 7643 4.1 (User attributes); AWS "IAM Identity Center SCIM implementation
developer guide" (CreateUser/PutUser/PatchUser/ListUsers/CreateGroup/PatchGroup constraints and
error statuses); botocore model identitystore 2020-06-15 (User.ExternalIds, AlternateIdentifier).
"""

import boto3
import pytest
from twin_client import Scim, instance, scim_endpoint_and_token, scim_user

PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@pytest.fixture
def scim(twin_environ, twin_reset):
    return Scim(*scim_endpoint_and_token("aws-govcloud"))


def identitystore(profile="aws-govcloud"):
    return boto3.Session(profile_name=profile).client("identitystore"), instance(profile)["IdentityStoreId"]


def test_scim_created_user_is_visible_to_identitystore_with_its_external_id(scim):
    created = scim("POST", "Users", scim_user("richroe@example.com", external_id="entra-object-id-1"))
    assert created.status_code == 201
    user = created.json()
    assert user["meta"]["resourceType"] == "User" and user["meta"]["location"].endswith(
        f"/Users/{user['id']}"
    )
    client, store = identitystore()
    listed = client.list_users(IdentityStoreId=store)["Users"]
    assert [(u["UserId"], u["UserName"]) for u in listed] == [(user["id"], "richroe@example.com")]
    assert listed[0]["ExternalIds"] == [{"Issuer": "scim", "Id": "entra-object-id-1"}]
    described = client.describe_user(IdentityStoreId=store, UserId=user["id"])
    assert described["Name"] == {"GivenName": "Rich", "FamilyName": "Roe"}
    assert described["Emails"] == [{"Value": "richroe@example.com", "Type": "work", "Primary": True}]
    found = client.get_user_id(
        IdentityStoreId=store,
        AlternateIdentifier={"ExternalId": {"Issuer": "scim", "Id": "entra-object-id-1"}},
    )
    assert found["UserId"] == user["id"]


def test_users_are_filtered_on_username_case_insensitively_and_on_external_id(scim):
    first = scim("POST", "Users", scim_user("a@example.com", external_id="x1")).json()
    scim("POST", "Users", scim_user("b@example.com", external_id="x2"))
    by_name = scim("GET", "Users", filter='userName eq "A@EXAMPLE.COM"').json()
    assert by_name["totalResults"] == 1 and by_name["Resources"][0]["id"] == first["id"]
    by_external = scim("GET", "Users", filter='externalId eq "x2"').json()
    assert [u["userName"] for u in by_external["Resources"]] == ["b@example.com"]
    assert scim("GET", "Users", filter='userName eq "nobody@example.com"').json()["totalResults"] == 0


def test_patch_replaces_attributes_the_way_entra_sends_them(scim):
    user = scim("POST", "Users", scim_user("c@example.com")).json()
    answer = scim(
        "PATCH",
        f"Users/{user['id']}",
        {
            "schemas": [PATCH],
            "Operations": [
                {"op": "Replace", "path": "active", "value": "False"},
                {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "c2@example.com"},
                {"op": "Add", "path": "externalId", "value": "x3"},
                {"op": "Replace", "path": "name.givenName", "value": "Carla"},
                {
                    "op": "Add",
                    "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
                    "value": "Identity",
                },
            ],
        },
    )
    assert answer.status_code == 200, answer.text
    patched = answer.json()
    assert patched["active"] is False and patched["name"]["givenName"] == "Carla"
    assert patched["emails"] == [{"value": "c2@example.com", "type": "work", "primary": True}]
    assert patched["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] == {"department": "Identity"}
    client, store = identitystore()
    assert client.describe_user(IdentityStoreId=store, UserId=user["id"])["ExternalIds"][0]["Id"] == "x3"


def test_documented_user_limits(scim):
    two_emails = scim_user(
        "d@example.com", emails=[{"value": "d@example.com", "primary": True}, {"value": "d2@example.com"}]
    )
    answer = scim("POST", "Users", two_emails)
    # The detail as the CloudTrail SCIM examples record it (IAM Identity Center user guide, "Logging
    # IAM Identity Center SCIM API calls with AWS CloudTrail"): "List attribute emails exceeds allowed
    # limit of 1".
    assert answer.status_code == 400
    assert answer.json()["detail"] == "List attribute emails exceeds allowed limit of 1"
    two_phones = scim_user("d@example.com", phoneNumbers=[{"value": "1", "type": "work"}, {"value": "2"}])
    answer = scim("POST", "Users", two_phones)
    assert answer.json()["detail"] == "List attribute phoneNumbers exceeds allowed limit of 1"
    no_given_name = scim_user("e@example.com", name={"familyName": "Roe"})
    assert scim("POST", "Users", no_given_name).status_code == 400
    assert (
        scim("POST", "Users", scim_user("f@example.com", emails=[{"value": "f@example.com"}])).status_code
        == 400
    )
    assert scim("POST", "Users", scim_user("g@example.com", groups=[{"value": "x"}])).status_code == 400
    scim("POST", "Users", scim_user("h@example.com"))
    conflict = scim("POST", "Users", scim_user("H@example.com"))
    assert conflict.status_code == 409 and conflict.json()["scimType"] == "uniqueness"


def test_bearer_token_of_another_tenant_or_a_wrong_token_is_401(scim, twin_environ):
    assert scim("GET", "Users", token="wrong").status_code == 401  # noqa: S106
    commercial = Scim(*scim_endpoint_and_token("aws-commercial"))
    answer = scim("GET", "Users", token=commercial.token)
    assert answer.status_code == 401 and answer.json()["schemas"] == [ERROR]


def test_groups_members_and_membership_visible_to_identitystore(scim, twin_aws_policy):
    # The library never lists memberships: the documented policy lacks the action.
    twin_aws_policy("aws-govcloud", with_=["identitystore:ListGroupMemberships"])
    alice = scim("POST", "Users", scim_user("alice@example.com")).json()
    bob = scim("POST", "Users", scim_user("bob@example.com")).json()
    group = scim(
        "POST",
        "Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "AWS Admins",
            "externalId": "g-1",
            "members": [{"value": alice["id"]}],
        },
    )
    assert group.status_code == 201 and "members" not in group.json()
    group_id = group.json()["id"]
    added = scim(
        "PATCH",
        f"Groups/{group_id}",
        {
            "schemas": [PATCH],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": bob["id"]}]}],
        },
    )
    assert added.status_code == 204
    removed = scim(
        "PATCH",
        f"Groups/{group_id}",
        {"schemas": [PATCH], "Operations": [{"op": "remove", "path": f'members[value eq "{alice["id"]}"]'}]},
    )
    assert removed.status_code == 204
    client, store = identitystore()
    members = client.list_group_memberships(IdentityStoreId=store, GroupId=group_id)["GroupMemberships"]
    assert [m["MemberId"]["UserId"] for m in members] == [bob["id"]]
    assert (
        scim("GET", "Users", filter=f'groups.value eq "{group_id}"').json()["Resources"][0]["id"] == bob["id"]
    )
    assert scim("GET", "Groups", filter='displayName eq "AWS Admins"').json()["totalResults"] == 1
    remove_all = scim(
        "PATCH",
        f"Groups/{group_id}",
        {"schemas": [PATCH], "Operations": [{"op": "remove", "path": "members"}]},
    )
    assert remove_all.status_code == 400
    assert scim("PUT", f"Groups/{group_id}", {"displayName": "x"}).status_code == 400


def test_delete_is_204_then_404_and_the_user_leaves_the_identity_store(scim):
    user = scim("POST", "Users", scim_user("gone@example.com")).json()
    assert scim("DELETE", f"Users/{user['id']}").status_code == 204
    missing = scim("GET", f"Users/{user['id']}")
    assert missing.status_code == 404 and missing.json()["status"] == "404"
    client, store = identitystore()
    assert client.list_users(IdentityStoreId=store)["Users"] == []


def test_count_and_cursor_pagination(scim):
    for n in range(3):
        scim("POST", "Users", scim_user(f"p{n}@example.com"))
    first = scim("GET", "Users", count="2", cursor="").json()
    assert len(first["Resources"]) == 2 and "nextCursor" in first and "totalResults" not in first
    rest = scim("GET", "Users", count="2", cursor=first["nextCursor"]).json()
    assert len(rest["Resources"]) == 1 and "nextCursor" not in rest
    assert scim("GET", "Users", count="101").status_code == 400


def test_service_provider_config_says_what_is_supported(scim):
    config = scim("GET", "ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True and config["bulk"]["supported"] is False
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
