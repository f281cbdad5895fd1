"""The console-only Identity Center calls against a loopback server: SigV4, retries, clear errors."""

import json

import boto3
import pytest
from entraidc import output
from entraidc.aws import ACCOUNTS
from entraidc.aws_console_api import ConsoleApi, configured_endpoint
from entraidc.errors import ConsoleStepError, InputError
from entraidc.retry import RetryPolicy
from loopback import LoopbackServer, Reply


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def static_session(region, key_id="AKIDEXAMPLE"):
    return boto3.Session(
        aws_access_key_id=key_id,
        aws_secret_access_key="example-only",  # noqa: S106
        region_name=region,
    )


def api(server, sleeps, nickname="aws-govcloud"):
    session = static_session(ACCOUNTS[nickname].region)
    return ConsoleApi(
        ACCOUNTS[nickname],
        session,
        RetryPolicy(sleep=sleeps.append, max_attempts=3),
        endpoint=server.url + "/identitystore/",
    )


def test_real_hosts_per_partition():
    session = static_session("us-east-1")
    assert (
        ConsoleApi(ACCOUNTS["aws-commercial"], session).identitystore_url
        == "https://up.sso.us-east-1.amazonaws.com/identitystore/"
    )
    assert (
        ConsoleApi(ACCOUNTS["aws-govcloud"], session).identitystore_url
        == "https://up.sso.us-gov-west-1.amazonaws.com/identitystore/"
    )


def test_request_is_sigv4_signed_json_with_target(server):
    server.script(Reply(200, {"ProvisioningTenants": [{"TenantId": "t1", "ScimEndpoint": "https://x"}]}))
    tenants = api(server, []).automatic_provisioning_status("d-123")
    assert tenants[0]["TenantId"] == "t1"
    sent = server.requests[0]
    assert sent["headers"]["X-Amz-Target"] == "AWSIdentityStoreService.ListProvisioningTenants"
    assert sent["headers"]["Content-Type"] == "application/x-amz-json-1.1"
    auth = sent["headers"]["Authorization"]
    assert auth.startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert "/us-gov-west-1/identitystore/aws4_request" in auth
    assert "x-amz-target" in auth.split("SignedHeaders=")[1]
    assert json.loads(sent["body"]) == {"IdentityStoreId": "d-123"}


def test_throttling_exception_is_retried_with_retry_after(server):
    sleeps = []
    server.script(
        Reply(
            400, {"__type": "com.amazonaws#ThrottlingException", "Message": "slow down"}, {"Retry-After": "2"}
        ),
        Reply(200, {"ExternalIdPConfigurations": []}),
    )
    assert api(server, sleeps).list_external_identity_providers("d-1") == []
    assert sleeps == [2.0]


def test_permanent_failure_names_the_console_step(server):
    sleeps = []
    server.script(Reply(400, {"__type": "ValidationException", "Message": "bad metadata"}))
    with pytest.raises(ConsoleStepError) as err:
        api(server, sleeps, "aws-commercial").upload_idp_saml_metadata("d-1", "<xml/>")
    message = str(err.value)
    assert sleeps == []
    assert "CreateExternalIdPConfigurationForDirectory" in message
    assert "ValidationException" in message and "bad metadata" in message
    assert "Change identity source > External identity provider > IdP SAML metadata" in message
    assert err.value.account == "aws-commercial"


def test_unreachable_endpoint_names_the_console_step():
    session = static_session("us-east-1")
    console = ConsoleApi(
        ACCOUNTS["aws-commercial"],
        session,
        RetryPolicy(sleep=lambda s: None, max_attempts=2),
        endpoint="http://127.0.0.1:9/",
    )
    with pytest.raises(ConsoleStepError) as err:
        console.enable_automatic_provisioning("d-1")
    assert "Automatic provisioning > Enable" in str(err.value)


def test_generated_token_is_registered_as_secret(server):
    server.script(Reply(200, {"BearerToken": {"TokenId": "k1", "Token": "tok-very-secret-value"}}))
    token = api(server, []).generate_access_token("d-1", "t1")
    assert token["TokenId"] == "k1"
    assert output.redact("token=tok-very-secret-value") == "token=***"


def test_just_created_tenant_not_found_is_waited_for_only_where_asked(server):
    sleeps = []
    missing = {"__type": "ResourceNotFoundException", "Message": "does not exist yet"}
    server.script(Reply(400, missing), Reply(200, {"BearerTokens": []}))
    assert api(server, sleeps).list_access_tokens("d-1", "t-1") == []
    assert sleeps == [1.0]
    server.script(Reply(400, missing))
    with pytest.raises(ConsoleStepError):
        api(server, sleeps).disable_automatic_provisioning("d-1", "t-1")
    assert sleeps == [1.0]


def test_an_answer_member_of_another_type_is_named_before_use(server):
    server.script(Reply(200, {"BearerTokens": [{"TokenId": 7, "ExpirationTime": "2027-01-01T00:00:00Z"}]}))
    with pytest.raises(ConsoleStepError) as err:
        api(server, []).list_access_tokens("d-1", "t-1")
    message = str(err.value)
    assert "member BearerTokens[].TokenId is not of type string" in message
    assert "member BearerTokens[].ExpirationTime is not of type number" in message
    assert "Manage provisioning > Access tokens" in message


def test_an_answer_that_is_not_an_object_is_named(server):
    server.script(Reply(200, ["not", "an", "object"]))
    with pytest.raises(ConsoleStepError) as err:
        api(server, []).automatic_provisioning_status("d-1")
    assert "ListProvisioningTenants" in str(err.value) and "not a JSON object" in str(err.value)


def test_console_endpoint_of_one_account_is_set_by_the_agent_environment(server, monkeypatch):
    """GovCloud's console host is inferred and GovCloud may require FIPS hosts (GovCloud user guide,
    "IAM Identity Center"): ENTRAIDC_CONSOLE_ENDPOINT_<ACCOUNT> replaces it without a code change."""
    monkeypatch.setenv("ENTRAIDC_CONSOLE_ENDPOINT_AWS_GOVCLOUD", server.url + "/identitystore/")
    server.script(Reply(200, {"ProvisioningTenants": []}))
    acct = ACCOUNTS["aws-govcloud"]
    console = ConsoleApi(acct, static_session(acct.region), RetryPolicy(sleep=lambda _: None, max_attempts=1))
    assert console.automatic_provisioning_status("d-1") == []
    assert server.requests[0]["headers"]["X-Amz-Target"] == "AWSIdentityStoreService.ListProvisioningTenants"
    commercial = ConsoleApi(ACCOUNTS["aws-commercial"], static_session("us-east-1"))
    assert commercial.identitystore_url == "https://up.sso.us-east-1.amazonaws.com/identitystore/"


def test_a_bare_host_gets_the_identitystore_path_and_a_bad_value_is_an_input_error(monkeypatch):
    acct = ACCOUNTS["aws-govcloud"]
    monkeypatch.setenv("ENTRAIDC_CONSOLE_ENDPOINT_AWS_GOVCLOUD", "up.sso-fips.us-gov-west-1.amazonaws.com")
    console = ConsoleApi(acct, static_session(acct.region))
    assert console.identitystore_url == "https://up.sso-fips.us-gov-west-1.amazonaws.com/identitystore/"
    monkeypatch.setenv("ENTRAIDC_CONSOLE_ENDPOINT_AWS_GOVCLOUD", "http://plain.example/identitystore/")
    with pytest.raises(InputError) as err:
        configured_endpoint(acct)
    assert "ENTRAIDC_CONSOLE_ENDPOINT_AWS_GOVCLOUD" in str(err.value) and "https" in str(err.value)
