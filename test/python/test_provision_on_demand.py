"""On-demand provisioning through Graph: an export the SCIM target refused for a moment is tried again.

Entra retries an entry that failed in a later cycle ("How Application Provisioning works in
Microsoft Entra ID", errors and retries), 40 minutes on; on demand the same user is provisioned
again at once, which is safe: each run matches the user in the target before it creates or
updates it ("Provision on demand", the Matching step)."""

import json

import pytest
from entraidc import entra_sync
from entraidc.errors import EntraIdcError
from entraidc.retry import RetryPolicy


def _answer(*statuses: str) -> dict:
    names = ("Matching", "Export")
    steps = [
        {"name": f"Entry{name}", "status": status, "description": f"{name}: {status}"}
        for name, status in zip(names, statuses, strict=True)
    ]
    return {"key": "ProvisioningResult", "value": json.dumps({"provisioningSteps": steps})}


class FakeGraph:
    def __init__(self, answers):
        self.answers, self.posts = list(answers), 0
        self.policy = RetryPolicy(base_delay=0.5, sleep=lambda _: None)

    def get(self, path, **_):
        return {"synchronizationRules": [{"id": "rule"}]}

    def post(self, path, body=None, **_):
        self.posts += 1
        return self.answers.pop(0)


def test_a_failed_export_is_provisioned_again_and_the_retry_is_logged(capsys):
    graph = FakeGraph([_answer("success", "failure"), _answer("success", "success")])
    entra_sync.provision_on_demand(graph, "sp", "job", "user", "rich@example.org")
    assert graph.posts == 2
    out = capsys.readouterr().err
    assert "provisioning rich@example.org on demand failed at EntryExport" in out and "retrying in" in out


def test_an_export_that_keeps_failing_fails_after_the_attempts():
    graph = FakeGraph([_answer("success", "failure")] * 3)
    with pytest.raises(EntraIdcError, match="on demand failed at EntryExport"):
        entra_sync.provision_on_demand(graph, "sp", "job", "user", "rich@example.org")
    assert graph.posts == 3
