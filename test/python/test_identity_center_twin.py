"""The console-only Identity Center calls end to end against the twin's AWS side (both partitions)."""

import pytest
import requests
from entraidc import output
from entraidc.aws import ACCOUNTS, AwsAccount, identity_center_instance, session
from entraidc.aws_console_api import ConsoleApi
from entraidc.errors import ConsoleStepError, InputError
from entraidc.retry import RetryPolicy


@pytest.fixture
def aws(twin_environ, twin_reset):
    return twin_environ


@pytest.mark.parametrize("nickname", list(ACCOUNTS))
def test_identity_center_round_trip(aws, nickname):
    acct = ACCOUNTS[nickname]
    sess = session(acct)
    instance = identity_center_instance(acct, sess)
    assert instance.instance_arn.startswith(f"arn:{acct.partition}:sso:::instance/")
    console = ConsoleApi(acct, sess)
    store = instance.identity_store_id

    # The hosts are the service's answers (twin/README.md lists which are documented), never built.
    signin = {"aws": "signin.aws.amazon.com", "aws-us-gov": "signin.amazonaws-us-gov.com"}[acct.partition]
    scim_host = {"aws": "scim.us-east-1.amazonaws.com", "aws-us-gov": "scim.us-gov-west-1.api.aws"}
    sp = console.download_service_provider_metadata(store)
    assert sp["EntityId"].startswith(f"https://{acct.region}.{signin}/platform/saml/")
    assert sp["AcsUrl"].startswith(f"https://{acct.region}.{signin}/platform/saml/acs/")
    assert console.list_external_identity_providers(store) == []

    tenant = console.enable_automatic_provisioning(store)
    assert tenant["ScimEndpoint"] == f"https://{scim_host[acct.partition]}/{tenant['TenantId']}/scim/v2/"
    assert [t["TenantId"] for t in console.automatic_provisioning_status(store)] == [tenant["TenantId"]]
    token = console.generate_access_token(store, tenant["TenantId"])
    assert output.redact(token["Token"]) == "***"
    scim = requests.get(
        tenant["ScimEndpoint"] + "Users", timeout=30, headers={"Authorization": f"Bearer {token['Token']}"}
    )
    assert scim.status_code == 200, scim.text
    # The tenant is not served on a SCIM host the service did not name for it.
    other = "scim.us-east-1.amazonaws.com" if acct.partition == "aws-us-gov" else "scim.us-gov-west-1.api.aws"
    elsewhere = requests.get(
        f"https://{other}/{tenant['TenantId']}/scim/v2/Users",
        timeout=30,
        headers={"Authorization": f"Bearer {token['Token']}"},
    )
    assert elsewhere.status_code == 401
    assert [t["TokenId"] for t in console.list_access_tokens(store, tenant["TenantId"])] == [token["TokenId"]]

    console.delete_access_token(store, tenant["TenantId"], token["TokenId"])
    console.disable_automatic_provisioning(store, tenant["TenantId"])
    assert console.automatic_provisioning_status(store) == []


def test_throttling_and_5xx_from_the_twin_are_retried(aws, twin_admin):
    for rule in (
        {
            "service": "sso-directory",
            "operation": "CreateProvisioningTenant",
            "kind": "throttle",
            "retry_after": 1,
            "count": 2,
        },
        {
            "service": "sso-directory",
            "operation": "ListProvisioningTenants",
            "kind": "5xx",
            "status": 503,
            "count": 1,
        },
    ):
        status, body = twin_admin("POST", "/faults", rule)
        assert status == 201, body
    acct = ACCOUNTS["aws-govcloud"]
    sess = session(acct)
    store = identity_center_instance(acct, sess).identity_store_id
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)

    console = ConsoleApi(acct, sess, RetryPolicy(sleep=sleep, max_attempts=4))
    tenant = console.enable_automatic_provisioning(store)
    assert sleeps == [1.0, 1.0]
    assert console.automatic_provisioning_status(store)[0]["TenantId"] == tenant["TenantId"]
    assert len(sleeps) == 3


def test_permanent_error_fails_fast_naming_the_console_step(aws):
    acct = ACCOUNTS["aws-commercial"]
    sess = session(acct)
    store = identity_center_instance(acct, sess).identity_store_id
    sleeps = []
    console = ConsoleApi(acct, sess, RetryPolicy(sleep=sleeps.append))
    with pytest.raises(ConsoleStepError) as err:
        console.upload_idp_saml_metadata(store, "<not-metadata/>")
    assert sleeps == []
    assert "ValidationException" in str(err.value)
    assert "IdP SAML metadata" in str(err.value)


def test_unknown_profile_is_a_clear_input_error(aws):
    with pytest.raises(InputError) as err:
        session(AwsAccount("aws-commercial", "no-such-profile", "us-east-1", "aws"))
    assert "no-such-profile" in str(err.value) and "AWS shared config" in str(err.value)


def test_wrong_partition_is_a_clear_input_error(aws):
    with pytest.raises(InputError) as err:
        identity_center_instance(AwsAccount("aws-govcloud", "aws-commercial", "us-east-1", "aws-us-gov"))
    assert "not partition aws-us-gov" in str(err.value)
