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


def _answer(*statuses: str, result: str = "", code: str | None = None, message: str | None = None) -> dict:
    """An answer shaped as the reference page's examples: ``key`` and ``value`` are JSON documents."""
    names = ("Matching", "Export")
    steps = [
        {"name": f"Entry{name}", "status": status, "description": f"{name}: {status}"}
        for name, status in zip(names, statuses, strict=True)
    ]
    result = result or ("Failure" if "failure" in statuses else "Success")
    details = {} if code is None else {"errorCode": code, "errorMessage": message}
    status_info = {"status": result, "errorCode": code, "reason": message}
    return {
        "key": json.dumps({"result": result, "details": details}),
        "value": json.dumps({"provisioningSteps": steps, "statusInfo": status_info}),
    }


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


def test_a_user_out_of_scope_is_skipped_and_that_fails_at_once():
    """Every step may read Success or Skipped while the outcome, in ``key``, is Skipped."""
    out_of_scope = _answer(
        "success",
        "skipped",
        result="Skipped",
        code="NotEffectivelyEntitled",
        message="This object is not assigned to the application.",
    )
    graph = FakeGraph([out_of_scope])
    with pytest.raises(
        EntraIdcError, match="was skipped \\(NotEffectivelyEntitled: This object is not assigned"
    ):
        entra_sync.provision_on_demand(graph, "sp", "job", "user", "rich@example.org")
    assert graph.posts == 1  # a scope does not change by asking again


def test_a_user_already_in_sync_is_skipped_as_redundant_export_and_that_is_done(capsys):
    """The reference page's first example: result Skipped, errorCode RedundantExport."""
    graph = FakeGraph(
        [
            _answer(
                "success",
                "skipped",
                result="Skipped",
                code="RedundantExport",
                message="The state of the user in both the source and target systems already match.",
            )
        ]
    )
    entra_sync.provision_on_demand(graph, "sp", "job", "user", "rich@example.org")
    assert "provisioned rich@example.org on demand (skipped: RedundantExport)" in capsys.readouterr().err


def test_an_answer_without_an_outcome_is_not_taken_for_success():
    graph = FakeGraph([{"key": "", "value": json.dumps({"provisioningSteps": []})}] * 3)
    with pytest.raises(EntraIdcError, match="failed \\(result missing\\)"):
        entra_sync.provision_on_demand(graph, "sp", "job", "user", "rich@example.org")
