"""The SCIM server's filters, exactly as IAM Identity Center's SCIM implementation developer guide lists them.

References (AWS "IAM Identity Center SCIM implementation developer guide"):
- ListUsers, Constraints: "Supported filter combinations: (userName), (externalId), (groups.value),
  (id and manager), (manager and id)"; id alone "though valid, should be avoided".
- ListGroups, Constraints: "(displayName), (externalId), (members.value), (id and member), and
  (member and id)"; id alone valid; Errors: ResourceNotFoundException 404 "When filter querying with
  a nonexisting member".
- Both: "Supported comparison operator in filters: eq"; "Filter must be specified as:
  <filterAttribute> eq \"<filterValue>\""; "Limitations from SCIM specification": "Only eq with and
  is supported".
- Errors: ValidationException 400 "Request cannot be parsed, is syntactically incorrect, or violates
  schema. This error also occurs if the operation is unsupported."; the detail AWS's SCIM server sends
  for it, "Request is unparsable, syntactically incorrect, or violates schema.", as a real answer shows
  it (slashdevops/idp-scim-sync#30, the same words in Okta's support article "AWS provisioning error:
  request is unparsable, syntactically incorrect, or violates schema").
"""

import pytest
from twin_client import Scim, scim_endpoint_and_token, scim_user

from twin.aws.scim.filters import USER_COMBINATIONS
from twin.aws.scim.filters import parse as parse_filter
from twin.azure.provisioning import mapping, template
from twin.azure.provisioning.scim_client import ScimClient

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
VALIDATION_DETAIL = "Request is unparsable, syntactically incorrect, or violates schema."


@pytest.fixture
def scim(twin_environ, twin_reset):
    return Scim(*scim_endpoint_and_token("aws-commercial"))


@pytest.fixture
def people(scim):
    """A manager, a report of hers in a group, and a user outside the group."""
    boss = scim("POST", "Users", scim_user("boss@example.com", external_id="e-boss")).json()
    report = scim_user("report@example.com", external_id="e-report")
    report["schemas"].append(ENTERPRISE)
    report[ENTERPRISE] = {"manager": {"value": boss["id"]}}
    report = scim("POST", "Users", report).json()
    group = scim(
        "POST",
        "Groups",
        {
            "schemas": [GROUP],
            "displayName": "Admins",
            "externalId": "g-admins",
            "members": [{"value": report["id"]}],
        },
    ).json()
    scim("POST", "Groups", {"schemas": [GROUP], "displayName": "Empty"})
    return {"boss": boss, "report": report, "group": group}


DOCUMENTED = [
    ("Users", 'userName eq "REPORT@example.com"', ["report"]),
    ("Users", 'externalId eq "e-boss"', ["boss"]),
    ("Users", 'groups.value eq "{group}"', ["report"]),
    ("Users", 'id eq "{boss}"', ["boss"]),
    ("Users", 'id eq "{report}" and manager eq "{boss}"', ["report"]),
    ("Users", 'manager eq "{boss}" and id eq "{report}"', ["report"]),
    ("Users", 'id eq "{boss}" and manager eq "{boss}"', []),
    ("Groups", 'displayName eq "Admins"', ["group"]),
    ("Groups", 'externalId eq "g-admins"', ["group"]),
    ("Groups", 'members.value eq "{report}"', ["group"]),
    ("Groups", 'id eq "{group}"', ["group"]),
    ("Groups", 'id eq "{group}" and members eq "{report}"', ["group"]),
    ("Groups", 'members eq "{boss}" and id eq "{group}"', []),
    # RFC 7644 3.4.2.2: "Attribute names and attribute operators used in filters are case insensitive."
    ("Users", 'USERNAME EQ "boss@example.com"', ["boss"]),
    ("Groups", 'DisplayName Eq "Admins"', ["group"]),
]


@pytest.mark.parametrize("resource, template, expected", DOCUMENTED)
def test_each_documented_filter_finds_what_it_names(scim, people, resource, template, expected):
    known = {name: resource["id"] for name, resource in people.items()}
    answer = scim("GET", resource, filter=template.format(**known))
    assert answer.status_code == 200, answer.text
    assert [r["id"] for r in answer.json()["Resources"]] == [known[name] for name in expected]


def test_a_member_filter_naming_no_user_is_404_as_documented(scim, people):
    answer = scim("GET", "Groups", filter='members.value eq "no-such-user"')
    assert answer.status_code == 404 and answer.json()["schemas"] == [ERROR]


@pytest.mark.parametrize(
    "resource, bad_filter",
    [
        # other operators (only eq)
        ("Users", 'userName co "boss"'),
        ("Users", 'userName sw "boss"'),
        ("Users", 'userName ne "boss"'),
        ("Users", "userName pr"),
        # or / not / grouping (only eq with and)
        ("Users", 'userName eq "a" or userName eq "b"'),
        ("Users", 'not (userName eq "a")'),
        ("Users", '(userName eq "a")'),
        ("Users", 'emails[type eq "work"].value eq "a@example.com"'),
        # attributes the guide does not list
        ("Users", 'displayName eq "Boss"'),
        ("Users", 'emails.value eq "boss@example.com"'),
        ("Users", 'title eq "x"'),
        ("Users", 'manager.value eq "x"'),
        # combinations the guide does not list
        ("Users", 'manager eq "x"'),
        ("Users", 'userName eq "a" and externalId eq "b"'),
        ("Users", 'userName eq "a" and userName eq "a"'),
        ("Users", 'id eq "a" and manager eq "b" and userName eq "c"'),
        # the value must be "<filterValue>", a quoted string
        ("Users", "userName eq boss"),
        ("Users", "id eq 5"),
        ("Users", "userName eq true"),
        ("Groups", 'displayName co "Adm"'),
        ("Groups", 'members eq "x"'),
        ("Groups", 'displayName eq "Admins" and externalId eq "g-admins"'),
        ("Groups", 'groups.value eq "x"'),
        ("Groups", 'userName eq "x"'),
    ],
)
def test_filters_the_guide_does_not_list_are_refused_as_validation_errors(scim, resource, bad_filter):
    answer = scim("GET", resource, filter=bad_filter)
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["schemas"] == [ERROR] and body["status"] == "400"
    assert body["detail"] == VALIDATION_DETAIL and "scimType" not in body


def test_the_queries_of_the_twins_entra_provisioning_are_filters_aws_accepts(monkeypatch):
    """Entra matches users with GET /Users?filter=userName eq "<value>" and Test Connection queries a
    user name that does not exist (Microsoft, "Tutorial: Develop and plan provisioning for a SCIM
    endpoint"); the gallery app's matching attribute is userName (template.py)."""
    sent = []
    client = ScimClient("https://scim.us-east-1.amazonaws.com/t/scim/v2/", "token", True)  # noqa: S106

    def call(method, path, body=None, params=None):
        sent.append((method, path, params["filter"]))
        return {}

    monkeypatch.setattr(client, "_call", call)
    attribute, value = mapping.matching(template.ATTRIBUTE_MAPPINGS, {"userName": 'rich "r" roe@example.com'})
    client.find_user(attribute, value)
    client.test_connection()
    assert [(m, p) for m, p, _ in sent] == [("GET", "/Users"), ("GET", "/Users")]
    parsed = [parse_filter(text, USER_COMBINATIONS) for _, _, text in sent]
    assert parsed[0] == {"userName": 'rich "r" roe@example.com'}
    assert list(parsed[1]) == ["userName"]
