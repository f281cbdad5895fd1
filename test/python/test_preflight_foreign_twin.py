"""Issue 14, reliability case 4: objects someone else made under our names are refused by `preflight`,
before anything changes, each with a message naming the object and what to do; a re-run over our own
objects passes; and teardown (`teardown --all-marked`, `sweep`) leaves each foreign object exactly as
it was. Ownership, as the library records it: marker.py (Entra), ExternalIds (an identity-store user
created by SCIM, issue 11 finding 4), idp_ownership.py (the instance's external IdP), the ManagedBy tag
(resources/entraidc/terraform/locals.tf: AWS resources)."""

import json

import pytest
from entraidc.aws import ACCOUNTS
from entraidc.aws_console_api import ConsoleApi
from lab import APP_TEMPLATE, Lab
from metadata_fixture import foreign_idp_metadata

ACCOUNT = "aws-govcloud"
SECRET = f"entraidc/{ACCOUNT}/scim-access-token"


@pytest.fixture
def lab(twin_environ, twin_reset):
    return Lab(twin_environ)


def _inventory(twin_admin) -> dict:
    status, body = twin_admin("GET", "/inventory")
    assert status == 200, body
    return body


def _domain(graph) -> str:
    orgs = graph.get("/organization")["value"]
    return next(d["name"] for d in orgs[0]["verifiedDomains"] if d["isDefault"])


def _store(lab) -> str:
    return lab.instance(ACCOUNT)["IdentityStoreId"]


# -- the foreign objects: each maker returns a function that reads the object in full -----------------


def _entra_user(name):
    def make(lab):
        graph = lab.graph()
        user = graph.post(
            "/users",
            {
                "accountEnabled": True,
                "displayName": f"{name} (HR)",
                "mailNickname": name,
                "userPrincipalName": f"{name}@{_domain(graph)}",
                "passwordProfile": {"password": "Foreign-Passw0rd!"},
            },
        )
        return f"{name}@{_domain(graph)}", lambda: graph.get(f"/users/{user['id']}")

    return make


def _entra_app(lab):
    graph = lab.graph()
    template = graph.get("/applicationTemplates", params={"$filter": f"displayName eq '{APP_TEMPLATE}'"})
    app = graph.post(
        f"/applicationTemplates/{template['value'][0]['id']}/instantiate",
        {"displayName": f"AWS IAM Identity Center ({ACCOUNT})"},
    )["application"]
    return f"AWS IAM Identity Center ({ACCOUNT})", lambda: graph.get(f"/applications/{app['id']}")


def _identity_store_rich(lab):
    identitystore = lab.session(ACCOUNT).client("identitystore")
    upn = f"RichRoe@{_domain(lab.graph())}"
    user_id = identitystore.create_user(
        IdentityStoreId=_store(lab),
        UserName=upn,
        DisplayName="Rich Roe (created by hand)",
        Name={"GivenName": "Rich", "FamilyName": "Roe"},
    )["UserId"]

    def read():
        found = identitystore.describe_user(IdentityStoreId=_store(lab), UserId=user_id)
        return {k: v for k, v in found.items() if k != "ResponseMetadata"}

    return upn, read


def _other_idp(enabled):
    def make(lab):
        console = ConsoleApi(ACCOUNTS[ACCOUNT], lab.session(ACCOUNT))
        idp = console.upload_idp_saml_metadata(_store(lab), foreign_idp_metadata())
        if enabled:
            console.accept_change_identity_source(_store(lab), idp["IdPId"])
        return idp["IdPId"], lambda: console.list_external_identity_providers(_store(lab))

    return make


def _unknown_identity_store_user(lab):
    identitystore = lab.session(ACCOUNT).client("identitystore")
    user_id = identitystore.create_user(
        IdentityStoreId=_store(lab),
        UserName="jane.doe@example.com",
        DisplayName="Jane Doe",
        Name={"GivenName": "Jane", "FamilyName": "Doe"},
    )["UserId"]

    def read():
        found = identitystore.describe_user(IdentityStoreId=_store(lab), UserId=user_id)
        return {k: v for k, v in found.items() if k != "ResponseMetadata"}

    return "jane.doe@example.com", read


def _untagged_secret(lab):
    secrets = lab.session(ACCOUNT).client("secretsmanager")
    secrets.create_secret(
        Name=SECRET,
        SecretString=json.dumps({"Token": "someone-elses-token", "TenantId": "other"}),
        Tags=[{"Key": "Owner", "Value": "platform-team"}],
    )

    def read():
        described = secrets.describe_secret(SecretId=SECRET)
        return {
            "value": secrets.get_secret_value(SecretId=SECRET)["SecretString"],
            **{k: described.get(k) for k in ("ARN", "Name", "Tags", "VersionIdsToStages", "DeletedDate")},
        }

    return SECRET, read


def _untagged_permission_set(name):
    """AWS's getting-started flow creates a permission set named AdministratorAccess (IAM Identity Center
    user guide, "Getting started"); CreatePermissionSet of that name then answers ConflictException."""

    def make(lab):
        sso = lab.session(ACCOUNT).client("sso-admin")
        arn = lab.instance(ACCOUNT)["InstanceArn"]
        created = sso.create_permission_set(InstanceArn=arn, Name=name, Description="created by hand")
        permission_set = created["PermissionSet"]["PermissionSetArn"]

        def read():
            found = sso.describe_permission_set(InstanceArn=arn, PermissionSetArn=permission_set)
            tags = sso.list_tags_for_resource(InstanceArn=arn, ResourceArn=permission_set)["Tags"]
            return {"PermissionSet": found["PermissionSet"], "Tags": tags}

        return permission_set, read

    return make


# name, maker, what the refusal must say besides the object's name
FOREIGN = [
    ("entra-user-nikkiwolf", _entra_user("NikkiWolf"), "Entra ID > Users"),
    ("entra-user-richroe", _entra_user("RichRoe"), "Entra ID > Users"),
    ("entra-app", _entra_app, "Enterprise applications"),
    ("identity-store-richroe", _identity_store_rich, "not created by SCIM"),
    ("enabled-external-idp", _other_idp(True), "ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE=true"),
    ("disabled-external-idp", _other_idp(False), "ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE=true"),
    ("unknown-identity-store-user", _unknown_identity_store_user, "allowIdentitySourceChange"),
    ("untagged-secret", _untagged_secret, "ManagedBy=entra-idc"),
    ("untagged-administratoraccess", _untagged_permission_set("AdministratorAccess"), "Permission sets"),
    ("untagged-regionaladmin", _untagged_permission_set("RegionalAdmin"), "ManagedBy=entra-idc"),
]


@pytest.mark.parametrize(("kind", "make", "fix"), FOREIGN, ids=[f[0] for f in FOREIGN])
def test_a_foreign_object_is_refused_in_preflight_and_left_exactly_as_it_was(
    lab, twin_admin, tmp_path, kind, make, fix
):
    name, read = make(lab)
    before, inventory = read(), _inventory(twin_admin)

    refused = lab.run(["--json", "preflight", "--account", ACCOUNT], expect=2)
    print(f"{kind}: preflight refused: {refused['error']}")
    assert name in refused["error"] and fix in refused["error"], refused["error"]
    assert "before anything changed" in refused["error"]
    assert _inventory(twin_admin) == inventory, "preflight changed something"

    # Teardown as entraTeardown runs it with no state: the script, the marked-object sweep, the tag sweep.
    state = tmp_path / "empty-state.json"
    state.write_text("{}")
    lab.run(["--json", "teardown", "--account", ACCOUNT])
    lab.run(["--json", "teardown", "--all-marked", "--account", ACCOUNT])
    lab.run(["--json", "sweep", "--state", str(state), "--account", ACCOUNT])
    assert read() == before, f"teardown changed the foreign {kind} {name}"
    assert _inventory(twin_admin) == inventory, "teardown changed something"
    print(f"{kind}: {name} unchanged by preflight and teardown (read in full before and after)")


def test_allow_identity_source_change_lets_preflight_pass_an_instance_federated_elsewhere(lab):
    idp_id, _read = _other_idp(True)(lab)
    allowed = lab.run(
        ["--json", "preflight", "--account", ACCOUNT], ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE="true"
    )
    assert allowed["ok"] is True
    log = "".join(lab.outputs)
    assert "allowed by ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE: it already has another external identity" in log


def test_several_conflicts_are_named_together(lab):
    for make in (_entra_user("NikkiWolf"), _entra_app, _untagged_secret):
        make(lab)
    permission_set, _read = _untagged_permission_set("AdministratorAccess")(lab)
    refused = lab.run(["--json", "preflight", "--account", ACCOUNT], expect=2)
    assert refused["error"].startswith("4 conflicts found before anything changed"), refused["error"]
    for name in ("NikkiWolf@", f"AWS IAM Identity Center ({ACCOUNT})", SECRET, permission_set):
        assert name in refused["error"]


def test_preflight_passes_over_our_own_objects_on_a_re_run(lab):
    """The SAML phase and SCIM's results in place (marked users and apps, our IdP, our tagged secret):
    nothing is a conflict."""
    nikki = lab.saml_phase([ACCOUNT], with_rich=True)["nikki"]
    assert nikki["changed"] is True
    lab.run(["--json", "scim-enable", "--account", ACCOUNT, "--timeout", "120"])
    again = lab.run(["--json", "preflight", "--account", ACCOUNT])
    assert again["ok"] is True
    assert [a["identitySource"] for a in again["accounts"]] == ["EXTERNAL_IDP"]
