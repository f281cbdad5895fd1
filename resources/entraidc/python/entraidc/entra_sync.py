"""Entra provisioning (synchronization) of an enterprise application, through Microsoft Graph.

Sequence from https://learn.microsoft.com/graph/application-provisioning-configure-api:
templates -> POST jobs {templateId} -> PUT secrets {value: [{key, value}]} ->
POST jobs/{id}/validateCredentials -> POST jobs/{id}/start; on demand:
https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-provisionondemand.
"""

import json

from . import output
from .errors import EntraIdcError


def jobs(graph, sp_id: str) -> list[dict]:
    return list(graph.list(f"/servicePrincipals/{sp_id}/synchronization/jobs", retry_not_found=True))


def ensure_job(graph, sp_id: str) -> tuple[dict, bool]:
    existing = jobs(graph, sp_id)
    if existing:
        return existing[0], False
    templates = list(
        graph.list(f"/servicePrincipals/{sp_id}/synchronization/templates", retry_not_found=True)
    )
    if not templates:
        raise EntraIdcError(
            f"service principal {sp_id} offers no provisioning template; is it the "
            "AWS IAM Identity Center gallery app?",
            account="azure-id",
        )
    default = [t for t in templates if t.get("default")]
    template = (default or templates)[0]
    job = graph.post(
        f"/servicePrincipals/{sp_id}/synchronization/jobs",
        {"templateId": template["id"]},
        retry_not_found=True,
    )
    return job, True


def credentials(endpoint: str, token: str) -> list[dict]:
    return [{"key": "BaseAddress", "value": endpoint}, {"key": "SecretToken", "value": token}]


def save_credentials(graph, sp_id: str, job_id: str, endpoint: str, token: str) -> None:
    graph.post(
        f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}/validateCredentials",
        {"useSavedCredentials": False, "credentials": credentials(endpoint, token)},
        retry_not_found=True,
    )
    graph.put(
        f"/servicePrincipals/{sp_id}/synchronization/secrets",
        {"value": credentials(endpoint, token)},
        retry_not_found=True,
    )


def job_state(job: dict) -> str:
    return str((job.get("status") or {}).get("code") or "")


def is_quarantined(job: dict) -> bool:
    status = job.get("status") or {}
    return job_state(job) == "Quarantine" or bool(status.get("quarantine"))


def start(graph, sp_id: str, job: dict) -> bool:
    if is_quarantined(job):
        # New credentials were just saved: clear the quarantine and run again
        # (https://learn.microsoft.com/graph/api/synchronization-synchronizationjob-restart).
        graph.post(
            f"/servicePrincipals/{sp_id}/synchronization/jobs/{job['id']}/restart",
            {"criteria": {"resetScope": "QuarantineState"}},
            retry_not_found=True,
        )
        return True
    if job_state(job) == "Active":
        return False
    graph.post(f"/servicePrincipals/{sp_id}/synchronization/jobs/{job['id']}/start", retry_not_found=True)
    return True


def user_rule_id(graph, sp_id: str, job_id: str) -> str:
    schema = graph.get(
        f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}/schema", retry_not_found=True
    )
    rules = schema.get("synchronizationRules") or []
    if not rules:
        raise EntraIdcError("the provisioning job's schema has no synchronization rule", account="azure-id")
    return rules[0]["id"]


ON_DEMAND_ATTEMPTS = 3


def provision_on_demand(graph, sp_id: str, job_id: str, user_id: str, upn: str) -> dict:
    """Provisions one user now and reads the outcome where "synchronizationJob: provisionOnDemand"
    shows it: ``key`` (result, details.errorCode) and ``statusInfo`` in ``value``. Skipped counts as
    done only for RedundantExport (source and target already match); any other skip, e.g. a user out
    of scope (NotEffectivelyEntitled), fails at once. A failure (e.g. the SCIM target throttled the
    export) is run again: Entra itself would retry the entry only in a later cycle ("How Application
    Provisioning works in Microsoft Entra ID", errors and retries), and each run matches the user in
    the target before creating or updating it, so a second run is safe."""
    rule_id = user_rule_id(graph, sp_id, job_id)
    subject = {"objectId": user_id, "objectTypeName": "User"}
    attempt = 1
    while True:
        answer = graph.post(
            f"/servicePrincipals/{sp_id}/synchronization/jobs/{job_id}/provisionOnDemand",
            {"parameters": [{"ruleId": rule_id, "subjects": [subject]}]},
            retry_not_found=True,
        )
        result, code, message = on_demand_outcome(answer)
        if result in ("success", "warning") or (result == "skipped" and code == "RedundantExport"):
            note = "" if result == "success" else f" ({result}: {code or message})"
            output.log("azure-id", f"provisioned {upn} on demand{note}")
            return answer or {}
        if result == "skipped":
            raise EntraIdcError(
                f"provisioning {upn} on demand was skipped ({code}: {message}); the user is not in the "
                "provisioning scope: check its assignment to the application and the job's scoping",
                account="azure-id",
            )
        failed = [step for step in _provisioning_steps(answer) if step.get("status") == "failure"]
        outcome = f"result {result or 'missing'}" + (f", {code}: {message}" if code or message else "")
        where = f" at {failed[0].get('name')}: {failed[0].get('description')}" if failed else ""
        reason = f"provisioning {upn} on demand failed{where} ({outcome})"
        if attempt == ON_DEMAND_ATTEMPTS:
            raise EntraIdcError(reason, account="azure-id")
        delay = graph.policy.backoff(attempt)
        output.log("azure-id", f"{reason}; retrying in {delay:.1f}s")
        graph.policy.sleep(delay)
        attempt += 1


def on_demand_outcome(answer) -> tuple[str, str, str]:
    """(result, errorCode, errorMessage) of a provisionOnDemand answer: ``key`` is a JSON document
    {"result", "details": {"errorCode", "errorMessage"}}; ``value``'s statusInfo is read when ``key``
    has no result. The result is lower-cased; empty when the answer carries none."""
    key = _json_object((answer or {}).get("key"))
    status_info = _json_object((answer or {}).get("value")).get("statusInfo") or {}
    details = key.get("details") if isinstance(key.get("details"), dict) else {}
    result = key.get("result") or status_info.get("status") or ""
    code = details.get("errorCode") or status_info.get("errorCode") or ""
    message = details.get("errorMessage") or status_info.get("reason") or ""
    return str(result).lower(), str(code), str(message)


def _json_object(text) -> dict:
    try:
        value = json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _provisioning_steps(answer) -> list[dict]:
    """The steps of the stringKeyStringValuePair answer (value is a JSON document)."""
    steps = _json_object((answer or {}).get("value")).get("provisioningSteps") or []
    return [
        {**step, "status": str(step.get("status", "")).lower()} for step in steps if isinstance(step, dict)
    ]


def delete_jobs(graph, sp_id: str) -> int:
    removed = 0
    for job in jobs(graph, sp_id):
        if job_state(job) == "Active":
            graph.post(f"/servicePrincipals/{sp_id}/synchronization/jobs/{job['id']}/pause")
        graph.delete(f"/servicePrincipals/{sp_id}/synchronization/jobs/{job['id']}")
        removed += 1
    return removed
