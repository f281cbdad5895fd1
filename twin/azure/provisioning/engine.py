"""Entra's provisioning service, for the twin: cycles and on-demand runs that push SCIM requests.

Scope is "sync only assigned users" (the gallery app's default): users with an
appRoleAssignment to the service principal are created or updated in the target; users this
job provisioned earlier and no longer assigned are disabled (active=false). A 401/403 from
the target quarantines the job ("Application provisioning in quarantine status"); any other
SCIM error fails that user (escrowed: lastExecution.state EntryLevelErrors), shows in
status.lastExecution.error and in the provisioning log (GET /auditLogs/provisioning), and the
cycle goes on; Entra retries it in a later cycle ("How Application Provisioning works",
errors and retries). The twin runs one cycle per start or
restart (no 40-minute timer).
"""

import datetime
import threading
import uuid
from pathlib import Path

from twin.azure.provisioning import mapping, template
from twin.azure.provisioning.scim_client import ScimClient, ScimError


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def initial_status() -> dict:
    return {
        "code": "NotRun",
        "countSuccessiveCompleteFailures": 0,
        "escrowsPruned": False,
        "lastExecution": None,
        "lastSuccessfulExecution": None,
        "lastSuccessfulExecutionWithExports": None,
        "progress": [],
        "quarantine": None,
        "steadyStateFirstAchievedTime": "0001-01-01T00:00:00Z",
        "steadyStateLastAchievedTime": "0001-01-01T00:00:00Z",
        "synchronizedEntryCountByType": [],
        "troubleshootingUrl": None,
    }


def error_code(error: ScimError) -> str:
    if error.status == 0:
        return "SystemForCrossDomainIdentityManagementServiceUnreachable"
    kind = {401: "Unauthorized", 403: "Unauthorized", 400: "BadRequest"}.get(error.status, "ServiceError")
    return f"SystemForCrossDomainIdentityManagement{kind}"


class CredentialsMissing(Exception):
    pass


class ProvisioningEngine:
    def __init__(self, store, ca_bundle: Path | None) -> None:
        self.store = store
        self.ca_bundle: str | bool = str(ca_bundle) if ca_bundle and ca_bundle.exists() else True
        self._threads: list[threading.Thread] = []

    def client(self, credentials: dict[str, str]) -> ScimClient:
        base, token = credentials.get("BaseAddress"), credentials.get("SecretToken")
        if not base or not token:
            raise CredentialsMissing("BaseAddress and SecretToken must both be set")
        return ScimClient(base, token, self.ca_bundle)

    def validate(self, credentials: dict[str, str]) -> str | None:
        """None when Test Connection succeeds, otherwise the reason it failed."""
        try:
            self.client(credentials).test_connection()
        except (CredentialsMissing, ScimError) as e:
            return str(e)
        return None

    # -- cycles ------------------------------------------------------------------------------
    def start_cycle(self, sp_id: str, job_id: str) -> None:
        thread = threading.Thread(
            target=self.run_cycle, args=(sp_id, job_id), daemon=True, name=f"provisioning-{job_id}"
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _snapshot(self, sp_id: str, job_id: str, only: set[str] | None = None):
        with self.store.lock:
            job = self.store.sync_jobs.get(sp_id, {}).get(job_id)
            if job is None:
                return None
            credentials = dict(self.store.sync_secrets.get(sp_id, {}))
            assigned = {
                a["principalId"]
                for a in self.store.app_role_assignments.values()
                if a["resourceId"] == sp_id and a["principalType"] == "User"
            }
            users = {uid: dict(u) for uid, u in self.store.users.items() if only is None or uid in only}
            return job, credentials, assigned, users, dict(job["_provisioned"])

    def run_cycle(self, sp_id: str, job_id: str) -> None:
        snapshot = self._snapshot(sp_id, job_id)
        if snapshot is None:
            return
        job, credentials, assigned, users, provisioned = snapshot
        began = _now()
        results, fatal = [], None
        try:
            client = self.client(credentials)
            for user_id in sorted(assigned | set(provisioned)):
                user = users.get(user_id)
                in_scope = user is not None and user_id in assigned
                results.append(self._provision(client, sp_id, job_id, user_id, user, in_scope, provisioned))
        except CredentialsMissing as e:
            fatal = ScimError(401, f"the job has no admin credentials: {e}")
        except ScimError as e:
            fatal = e
        fatal = fatal or next(
            (r["error"] for r in results if r["error"] and r["error"].status in (401, 403)), None
        )
        self._finish(sp_id, job_id, began, results, fatal, provisioned)

    def _provision(self, client, sp_id, job_id, user_id, user, in_scope, provisioned) -> dict:
        mappings = template.ATTRIBUTE_MAPPINGS
        steps, action, error = [], "Other", None
        try:
            if in_scope:
                resource = mapping.scim_user(mappings, user)
                attribute, value = mapping.matching(mappings, resource)
                existing = client.find_user(attribute, value)
                steps.append(("Matching", f"{attribute} eq {value}: {'found' if existing else 'not found'}"))
                if existing:
                    action = "Update"
                    client.update_user(existing["id"], resource)
                    provisioned[user_id] = existing["id"]
                else:
                    action = "Create"
                    provisioned[user_id] = client.create_user(resource)["id"]
                steps.append(("Export", f"{action} {attribute} {value} in the target"))
            elif user_id in provisioned:
                action = "Disable"
                client.disable_user(provisioned[user_id])
                steps.append(("Export", "user is out of scope: active set to false in the target"))
            else:
                action = "Skip"
                steps.append(("Scoping", "user is not assigned to the application"))
        except ScimError as e:
            error = e
            steps.append(("Export", str(e)))
        self._log(sp_id, job_id, user_id, user, action, steps, error)
        return {"userId": user_id, "action": action, "error": error, "steps": steps}

    def _log(self, sp_id, job_id, user_id, user, action, steps, error) -> None:
        entry = {
            "id": str(uuid.uuid4()),
            "activityDateTime": _now(),
            "jobId": job_id,
            "changeId": str(uuid.uuid4()),
            "cycleId": str(uuid.uuid4()),
            "provisioningAction": action.lower(),
            "servicePrincipal": {"id": sp_id},
            "sourceIdentity": {
                "id": user_id,
                "identityType": "User",
                "displayName": (user or {}).get("displayName"),
            },
            "targetIdentity": {"identityType": "urn:ietf:params:scim:schemas:core:2.0:User"},
            "provisioningStatusInfo": {
                "status": "failure" if error else "success",
                "errorInformation": None
                if error is None
                else {
                    "errorCode": error_code(error),
                    "reason": error.detail,
                    "additionalDetails": f"HTTP {error.status}",
                },
            },
            "provisioningSteps": [
                {
                    "name": name,
                    "provisioningStepType": name.lower(),
                    "description": text,
                    "status": "failure" if error and name == "Export" else "success",
                }
                for name, text in steps
            ],
        }
        with self.store.lock:
            self.store.provisioning_logs.append(entry)

    def _finish(self, sp_id, job_id, began, results, fatal, provisioned) -> None:
        ended = _now()
        failures = [r for r in results if r["error"]]
        error = fatal or (failures[0]["error"] if failures else None)
        execution = {
            "activityIdentifier": str(uuid.uuid4()),
            "countEntitled": len(results),
            "countEntitledForProvisioning": len(results),
            "countEscrowed": len(failures),
            "countEscrowedRaw": len(failures),
            "countExported": len(results) - len(failures),
            "countExports": len(results),
            "countImported": len(results),
            "countImportedDeltas": 0,
            "countImportedReferenceDeltas": 0,
            # synchronizationTaskExecution.state (Graph reference): Failed is a run that could not
            # go on (quarantine); entries the target refused are escrowed, EntryLevelErrors.
            "state": "Failed" if fatal else "EntryLevelErrors" if failures else "Succeeded",
            "timeBegan": began,
            "timeEnded": ended,
            "error": None
            if error is None
            else {"code": error_code(error), "message": error.detail, "tenantActionable": True},
        }
        with self.store.lock:
            job = self.store.sync_jobs.get(sp_id, {}).get(job_id)
            if job is None:
                return
            job["_provisioned"] = provisioned
            status = job["status"]
            status["lastExecution"] = execution
            if fatal is not None:
                previous = status.get("quarantine") or {}
                status["code"] = "Quarantine"
                status["countSuccessiveCompleteFailures"] += 1
                status["quarantine"] = {
                    "currentBegan": ended,
                    "nextAttempt": ended,
                    "reason": "EncounteredQuarantineException",
                    "seriesBegan": previous.get("seriesBegan", ended),
                    "seriesCount": previous.get("seriesCount", 0) + 1,
                    "error": execution["error"],
                }
                return
            status["countSuccessiveCompleteFailures"] = 0
            status["quarantine"] = None
            if job["schedule"]["state"] == "Active":
                status["code"] = "Active"
            if not failures:
                status["lastSuccessfulExecution"] = execution
                status["lastSuccessfulExecutionWithExports"] = execution
                status["steadyStateLastAchievedTime"] = ended
            status["synchronizedEntryCountByType"] = [{"key": "User", "value": len(provisioned)}]

    # -- on demand -----------------------------------------------------------------------------
    def provision_on_demand(self, sp_id: str, job_id: str, user_ids: list[str]) -> list[dict]:
        snapshot = self._snapshot(sp_id, job_id, set(user_ids))
        if snapshot is None:
            return []
        job, credentials, assigned, users, provisioned = snapshot
        client = self.client(credentials)
        results = []
        for user_id in user_ids:
            user = users.get(user_id)
            results.append(
                self._provision(
                    client,
                    sp_id,
                    job_id,
                    user_id,
                    user,
                    user is not None and user_id in assigned,
                    provisioned,
                )
            )
        with self.store.lock:
            job = self.store.sync_jobs.get(sp_id, {}).get(job_id)
            if job is not None:
                job["_provisioned"].update(provisioned)
        return results

    def wait(self, timeout: float = 30.0) -> None:
        for thread in list(self._threads):
            thread.join(timeout)
