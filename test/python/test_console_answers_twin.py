"""Every console answer is checked against RELIED_ON before it is used (issue 19 point 6): the twin
renames one member of an answer ("rename" fault, twin/core/faults.py), as AWS could, since the members
of the console-only operations are inferred (twin/README.md). The client then stops with
ConsoleStepError naming the member, the operation and the console step to do by hand, instead of a
bare KeyError or, worse, reading a renamed list as empty."""

import pytest
from entraidc import idp_ownership
from entraidc.aws import ACCOUNTS, identity_center_instance, session
from entraidc.aws_console_api import OPTIONAL, RELIED_ON, ConsoleApi
from entraidc.errors import ConsoleStepError
from entraidc.retry import RetryPolicy
from lab import MARKER, Lab
from metadata_fixture import foreign_idp_metadata

ACCOUNT = ACCOUNTS["aws-commercial"]

# operation -> how the library calls it (console, store, tenant ID)
CALLS = {
    "GetAWSSPConfigurationForDirectory": lambda c, s, t: c.download_service_provider_metadata(s),
    "ListExternalIdPConfigurationsForDirectory": lambda c, s, t: c.list_external_identity_providers(s),
    "CreateExternalIdPConfigurationForDirectory": lambda c, s, t: c.upload_idp_saml_metadata(
        s, foreign_idp_metadata()
    ),
    "ListProvisioningTenants": lambda c, s, t: c.automatic_provisioning_status(s),
    "CreateProvisioningTenant": lambda c, s, t: c.enable_automatic_provisioning(s),
    "CreateBearerToken": lambda c, s, t: c.generate_access_token(s, t),
    "ListBearerTokens": lambda c, s, t: c.list_access_tokens(s, t),
}
# The member paths whose absence the library cannot work around, one case each.
REQUIRED = [
    (operation, path)
    for operation, call in CALLS.items()
    for path in RELIED_ON[operation]["response"]
    if path not in OPTIONAL.get(operation, set())
]
# The creates that need an empty slot: an instance holds one external IdP and one provisioning tenant.
NEEDS_ROOM = {"CreateExternalIdPConfigurationForDirectory", "CreateProvisioningTenant"}


@pytest.fixture
def console(twin_environ, twin_reset):
    sess = session(ACCOUNT)
    store = identity_center_instance(ACCOUNT, sess).identity_store_id
    return ConsoleApi(ACCOUNT, sess, RetryPolicy(sleep=lambda _: None, max_attempts=2)), store


def _populated(console: ConsoleApi, store: str, operation: str) -> str:
    """Puts one object in every list the operation answers (a member of an empty list cannot be
    renamed); returns the provisioning tenant ID."""
    if operation not in NEEDS_ROOM:
        console.upload_idp_saml_metadata(store, foreign_idp_metadata())
    if operation == "CreateProvisioningTenant":
        return ""
    tenant = console.enable_automatic_provisioning(store)["TenantId"]
    console.generate_access_token(store, tenant)
    return tenant


def _rename(twin_admin, operation: str, member: str) -> None:
    rule = {"service": "sso-directory", "operation": operation, "kind": "rename", "member": member}
    status, body = twin_admin("POST", "/faults", rule)
    assert status == 201, body


def test_every_console_operation_with_an_answer_is_covered():
    answering = {op for op, relied in RELIED_ON.items() if relied["response"]}
    assert answering == set(CALLS)


@pytest.mark.parametrize(("operation", "member"), REQUIRED, ids=[f"{o}:{m}" for o, m in REQUIRED])
def test_a_renamed_member_stops_with_the_console_step(console, twin_admin, operation, member):
    api, store = console
    tenant = _populated(api, store, operation)
    _rename(twin_admin, operation, member)
    with pytest.raises(ConsoleStepError) as err:
        CALLS[operation](api, store, tenant)
    message = str(err.value)
    assert err.value.operation == operation
    assert f"member {member} is missing" in message
    assert "do it by hand instead: IAM Identity Center console" in message


def test_an_optional_member_may_be_absent(console, twin_admin):
    api, store = console
    _rename(twin_admin, "GetAWSSPConfigurationForDirectory", "SPConfiguration.SignInUrl")
    answer = api.download_service_provider_metadata(store)
    assert "SignInUrl" not in answer and answer["EntityId"].startswith("https://")



def test_teardown_keeps_the_ownership_record_when_the_idp_list_is_not_understood(twin_environ, twin_reset,
                                                                                 twin_admin):
    """Before: a renamed list read as "no IdP", so teardown cleared the instance's ownership record
    without restoring the identity source and reported success; nothing could find the IdP again."""
    lab = Lab(twin_environ)
    nickname = "aws-commercial"
    lab.saml_phase([nickname])
    arn = lab.instance(nickname)["InstanceArn"]
    sso = lab.session(nickname).client("sso-admin")

    def record():
        return idp_ownership.read(sso, arn, MARKER)

    assert record()
    _rename(twin_admin, "ListExternalIdPConfigurationsForDirectory", "ExternalIdPConfigurations")
    failed = lab.run(["--json", "teardown", "--account", nickname], expect=1)
    assert "ListExternalIdPConfigurationsForDirectory failed" in failed["error"]
    assert "member ExternalIdPConfigurations is missing" in failed["error"]
    assert "Settings > Identity source" in failed["error"]
    assert record(), "the ownership record was cleared although the IdP is still there"
    twin_admin("DELETE", "/faults")
    torn = lab.run(["--json", "teardown", "--account", nickname])
    assert torn["accounts"][0]["identitySourceRestored"] == 1
    assert record() == {}


@pytest.mark.parametrize(("operation", "member"), [
    ("GetAWSSPConfigurationForDirectory", "SPConfiguration.AcsUrl"),
    ("ListProvisioningTenants", "ProvisioningTenants"),
    ("ListExternalIdPConfigurationsForDirectory", "ExternalIdPConfigurations"),
])
def test_preflight_checks_the_read_only_answers_before_anything_changes(twin_environ, twin_reset, twin_admin,
                                                                         operation, member):
    lab = Lab(twin_environ)
    status, before = twin_admin("GET", "/inventory")
    _rename(twin_admin, operation, member)
    refused = lab.run(["--json", "preflight", "--account", "aws-govcloud"], expect=1)
    assert f"{operation} failed" in refused["error"] and f"member {member} is missing" in refused["error"]
    assert twin_admin("GET", "/inventory")[1] == before
