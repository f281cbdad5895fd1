"""Adding the second AWS account to a lab that federates the first leaves the first alone (issue 21):
the real OpenTofu, providers and Python automation against the twin. Before the fix, the plan
that added aws-govcloud deferred aws-commercial's result reads, replaced its saml-federate run and
so switched its identity source back and again: a new external IdP configuration (AWS warns that
changing the identity source can remove assignments, "Considerations for changing your identity
source", IAM Identity Center user guide)."""

import pytest
from test_state_move_and_drift import changed, live_objects, planned

ACCOUNTS_COMMERCIAL = '-var=aws_accounts=["aws-commercial"]'
ACCOUNTS_BOTH = '-var=aws_accounts=["aws-commercial","aws-govcloud"]'


@pytest.fixture
def tofu(tofu_current_layout):
    return tofu_current_layout


def identity_center(twin_admin, nickname: str) -> dict:
    return live_objects(twin_admin)[nickname]


@pytest.mark.e2e
@pytest.mark.timeout(1800)
def test_adding_aws_govcloud_leaves_aws_commercials_federation_alone(tofu, twin_admin):
    tofu("init", "-input=false")
    tofu("apply", "-auto-approve", "-input=false", ACCOUNTS_COMMERCIAL)
    commercial_before = identity_center(twin_admin, "aws-commercial")
    assert commercial_before["external_idp_configurations"], "the SAML phase must federate aws-commercial"

    code, plan = planned(tofu, ACCOUNTS_BOTH)
    # A read of aws-commercial's saml-federate result may still wait for the apply (that call
    # depends_on the Identity Center modules); a read changes nothing, so only managed resources count.
    touched = {address: actions for address, actions in changed(plan).items()
               if ("aws-commercial" in address or address.startswith("module.aws_commercial"))
               and actions != ["read"]}
    assert touched == {}, f"adding aws-govcloud must plan nothing for aws-commercial: {touched}"
    tofu("apply", "-input=false", "plan.bin")

    commercial_after = identity_center(twin_admin, "aws-commercial")
    assert commercial_after["external_idp_configurations"] == commercial_before["external_idp_configurations"]
    assert commercial_after["identity_center_instance"] == commercial_before["identity_center_instance"]
    assert commercial_after["identity_store_users"] == commercial_before["identity_store_users"]
    assert commercial_after["account_assignments"] == commercial_before["account_assignments"]
    govcloud = identity_center(twin_admin, "aws-govcloud")
    assert govcloud["external_idp_configurations"], "aws-govcloud is federated"
