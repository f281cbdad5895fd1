"""The AWS operations the library calls, read from its source, checked against botocore's models
(issue 11, finding 4: identitystore ListUsers with Filters is deprecated — "Using filters with
ListUsers API is deprecated, please use GetUserId API instead.", botocore identitystore 2020-06-15)."""

import aws_calls


def test_the_source_scan_finds_the_calls_the_library_makes():
    calls = aws_calls.boto3_calls()
    found = {(c.service, c.operation) for c in calls}
    assert ("sso-admin", "ListInstances") in found and ("sts", "GetCallerIdentity") in found
    assert ("identitystore", "GetUserId") in found
    assert ("console", "CreateBearerToken") in {(c.service, c.operation) for c in aws_calls.console_calls()}


def test_no_deprecated_operation_or_member_is_used():
    assert aws_calls.deprecated_uses(aws_calls.boto3_calls()) == []
