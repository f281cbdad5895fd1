"""docs/permissions.md, AWS section: every AWS operation the Python automation calls (boto3 and the
console operations of aws_console_api.py, found in its source) is allowed by one of the documented
policies, and every public action documented is a real operation of its botocore model."""

import aws_calls
import botocore.session

from twin.aws import iam_principals

PREFIX = {"sso-admin": "sso", "identitystore": "identitystore", "secretsmanager": "secretsmanager",
          "sts": "sts", "console": "sso-directory"}


def documented_policies() -> list[dict]:
    """The policies as the twin reads (and enforces) them."""
    return list(iam_principals.documented_policies().values())


def documented_actions() -> set[str]:
    return {
        action
        for policy in documented_policies()
        for statement in policy["Statement"]
        if statement["Effect"] == "Allow"
        for action in statement["Action"]
    }


def test_every_call_of_the_code_is_in_the_policy():
    allowed = documented_actions()
    calls = aws_calls.boto3_calls() + aws_calls.console_calls()
    assert len(calls) > 30
    missing = sorted({f"{PREFIX[c.service]}:{c.operation} ({c.where})" for c in calls
                      if f"{PREFIX[c.service]}:{c.operation}" not in allowed})
    assert missing == []


def test_every_public_action_documented_exists_in_botocore():
    session = botocore.session.get_session()
    operations = {PREFIX[s]: set(session.get_service_model(s).operation_names) for s in aws_calls.SERVICES}
    unknown = sorted(
        a for a in documented_actions()
        if a.split(":")[0] in operations and a.split(":")[1] not in operations[a.split(":")[0]]
    )
    assert unknown == []
    assert len(documented_policies()) == 4  # prepare, saml, scim, teardown
