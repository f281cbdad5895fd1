"""/servicePrincipals/{id}/synchronization: templates, jobs, secrets, on-demand provisioning.

References: Graph v1.0 "synchronization resource type" and its methods — "List
synchronization templates", "Create synchronizationJob" (body templateId),
"synchronization: secrets" (PUT {value: [{key: BaseAddress|SecretToken, value}]}, 204),
"synchronizationJob: validateCredentials" (204 when the target accepts them),
"start"/"pause"/"restart" (204), "Delete synchronizationJob" (204),
"synchronizationJob: provisionOnDemand" (200 stringKeyStringValuePair whose value is a JSON
document of provisioning steps), "synchronizationStatus" (code NotConfigured | NotRun |
Active | Paused | Quarantine); the step names in provisionOnDemand's value are inferred.
provisionOnDemand's overall outcome is where the reference page's example puts it: ``key`` is a JSON
document {"result": "Success" | "Skipped" | "Failure", "details": {"errorCode", "errorMessage"}} and
``value`` carries ``statusInfo.status``; a user out of scope is Skipped with errorCode
NotEffectivelyEntitled (the skip reason Microsoft's Q&A "User provisioning NotEffectivelyEntitled"
quotes: "This object is not assigned to the application").
Also GET /auditLogs/provisioning ("List provisioningObjectSummary").
"""

import json
import uuid

from twin.azure.graph import common as g
from twin.azure.provisioning import engine as E
from twin.azure.provisioning import template
from twin.azure.web import graph_error, json_response, request_json

SECRET_KEYS = {"BaseAddress", "SecretToken", "SyncNotificationSettings", "SyncAll", "CompanyId", "Domain"}


def _job_view(store, sp_id: str, job: dict) -> dict:
    view = {k: v for k, v in job.items() if not k.startswith("_")}
    if view["status"]["code"] == "NotRun" and not store.sync_secrets.get(sp_id):
        view["status"] = {**view["status"], "code": "NotConfigured"}
    return view


def _credentials(body: dict) -> dict[str, str]:
    return {
        str(c.get("key")): str(c.get("value")) for c in body.get("credentials") or [] if isinstance(c, dict)
    }


def register(app, store, context, engine) -> None:
    def sp_of(sp_id: str):
        sp = store.service_principals.get(sp_id)
        return None if sp is None or g.hidden(context, sp_id) else sp

    def job_of(sp_id: str, job_id: str):
        return store.sync_jobs.get(sp_id, {}).get(job_id)

    base = f"{g.V1}/servicePrincipals/<sp_id>/synchronization"

    @app.get(f"{base}/templates")
    def listSynchronizationTemplates(sp_id):
        with store.lock:
            sp = sp_of(sp_id)
            if sp is None:
                return g.not_found(sp_id)
            items = [template.template(sp["appId"])] if sp.get("applicationTemplateId") else []
        return g.listing(
            items, f"servicePrincipals('{sp_id}')/synchronization/templates", "synchronizationTemplate"
        )

    @app.put(f"{base}/secrets")
    def putSynchronizationSecrets(sp_id):
        values = request_json().get("value")
        if not isinstance(values, list) or not all(isinstance(v, dict) and "key" in v for v in values):
            return g.bad_request("The request body must be {'value': [{'key': ..., 'value': ...}]}.")
        unknown = [v["key"] for v in values if v["key"] not in SECRET_KEYS]
        if unknown:
            return g.bad_request(f"'{unknown[0]}' is not a valid synchronization secret key.")
        with store.lock:
            if sp_of(sp_id) is None:
                return g.not_found(sp_id)
            store.sync_secrets.setdefault(sp_id, {}).update(
                {v["key"]: str(v.get("value", "")) for v in values}
            )
        return g.no_content()

    @app.get(f"{base}/jobs")
    def listSynchronizationJobs(sp_id):
        with store.lock:
            if sp_of(sp_id) is None:
                return g.not_found(sp_id)
            items = [_job_view(store, sp_id, j) for j in store.sync_jobs.get(sp_id, {}).values()]
        return g.listing(items, f"servicePrincipals('{sp_id}')/synchronization/jobs", "synchronizationJob")

    @app.post(f"{base}/jobs")
    def createSynchronizationJob(sp_id):
        template_id = request_json().get("templateId")
        with store.lock:
            sp = sp_of(sp_id)
            if sp is None:
                return g.not_found(sp_id)
            if template_id != template.TEMPLATE_ID or not sp.get("applicationTemplateId"):
                return g.bad_request(
                    f"The synchronization template '{template_id}' does not exist for this application."
                )
            job_id = f"{template_id}.{sp_id.replace('-', '')}.{uuid.uuid4().hex[:32]}"
            job = {
                "id": job_id,
                "templateId": template_id,
                "schedule": {"expiration": None, "interval": "PT40M", "state": "Disabled"},
                "status": E.initial_status(),
                "synchronizationJobSettings": [],
                "_provisioned": {},
            }
            store.sync_jobs.setdefault(sp_id, {})[job_id] = job
            view = _job_view(store, sp_id, job)
        g.created(context, job_id)
        return g.entity(view, f"servicePrincipals('{sp_id}')/synchronization/jobs", "synchronizationJob", 201)

    @app.get(f"{base}/jobs/<job_id>")
    def getSynchronizationJob(sp_id, job_id):
        with store.lock:
            job = job_of(sp_id, job_id)
            if sp_of(sp_id) is None or job is None or g.hidden(context, job_id):
                return g.not_found(job_id)
            view = _job_view(store, sp_id, job)
        return g.entity(view, f"servicePrincipals('{sp_id}')/synchronization/jobs", "synchronizationJob")

    @app.get(f"{base}/jobs/<job_id>/schema")
    def getSynchronizationSchema(sp_id, job_id):
        with store.lock:
            if job_of(sp_id, job_id) is None:
                return g.not_found(job_id)
        return g.entity(
            template.schema(),
            f"servicePrincipals('{sp_id}')/synchronization/jobs('{job_id}')/schema",
            "synchronizationSchema",
        )

    @app.delete(f"{base}/jobs/<job_id>")
    def deleteSynchronizationJob(sp_id, job_id):
        with store.lock:
            if job_of(sp_id, job_id) is None:
                return g.not_found(job_id)
            del store.sync_jobs[sp_id][job_id]
        return g.no_content()

    def _run(sp_id: str, job_id: str, reset: bool):
        with store.lock:
            job = job_of(sp_id, job_id)
            if sp_of(sp_id) is None or job is None:
                return g.not_found(job_id)
            job["schedule"]["state"] = "Active"
            job["status"]["code"] = "Active"
            if reset:
                job["status"]["quarantine"] = None
                job["status"]["countSuccessiveCompleteFailures"] = 0
        engine.start_cycle(sp_id, job_id)
        return g.no_content()

    @app.post(f"{base}/jobs/<job_id>/start")
    def startSynchronizationJob(sp_id, job_id):
        return _run(sp_id, job_id, reset=False)

    @app.post(f"{base}/jobs/<job_id>/restart")
    def restartSynchronizationJob(sp_id, job_id):
        return _run(sp_id, job_id, reset=True)

    @app.post(f"{base}/jobs/<job_id>/pause")
    def pauseSynchronizationJob(sp_id, job_id):
        with store.lock:
            job = job_of(sp_id, job_id)
            if job is None:
                return g.not_found(job_id)
            job["schedule"]["state"] = "Paused"
            job["status"]["code"] = "Paused"
        return g.no_content()

    @app.post(f"{base}/jobs/<job_id>/validateCredentials")
    def validateSynchronizationCredentials(sp_id, job_id):
        body = request_json()
        with store.lock:
            if job_of(sp_id, job_id) is None:
                return g.not_found(job_id)
            saved = dict(store.sync_secrets.get(sp_id, {}))
        credentials = saved if body.get("useSavedCredentials") else _credentials(body)
        failure = engine.validate(credentials)
        if failure:
            return graph_error(
                400,
                "CredentialValidationFailed",
                f"You appear to have entered invalid credentials: {failure}",
            )
        return g.no_content()

    @app.post(f"{base}/jobs/<job_id>/provisionOnDemand")
    def provisionOnDemand(sp_id, job_id):
        parameters = request_json().get("parameters") or []
        subjects = [
            s
            for p in parameters
            if isinstance(p, dict) and p.get("ruleId") == template.RULE_ID
            for s in p.get("subjects") or []
        ]
        if not parameters or not subjects:
            return g.bad_request(f"parameters must name rule '{template.RULE_ID}' and at least one subject.")
        with store.lock:
            if sp_of(sp_id) is None or job_of(sp_id, job_id) is None:
                return g.not_found(job_id)
            if not store.sync_secrets.get(sp_id):
                return g.bad_request(
                    "The job has no admin credentials; save them with PUT synchronization/secrets."
                )
        user_ids = [str(s.get("objectId")) for s in subjects if s.get("objectTypeName", "User") == "User"]
        results = engine.provision_on_demand(sp_id, job_id, user_ids)
        steps = [
            {
                "name": f"Entry{name}",
                "type": name,
                "status": _step_status(r, name),
                "description": text,
                "timestamp": E._now(),
                "details": {"userId": r["userId"]},
            }
            for r in results
            for name, text in r["steps"]
        ]
        result, details = _outcome(results)
        status_info = {
            "status": result,
            "errorCode": details.get("errorCode"),
            "reason": details.get("errorMessage"),
        }
        return json_response(
            {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#"
                "microsoft.graph.stringKeyStringValuePair",
                "key": json.dumps({"result": result, "details": details}),
                "value": json.dumps({"provisioningSteps": steps, "statusInfo": status_info}),
            }
        )

    @app.get(f"{g.V1}/auditLogs/provisioning")
    def listProvisioningObjectSummary():
        with store.lock:
            items = list(reversed(store.provisioning_logs))
        return g.listing(items, "auditLogs/provisioning", "provisioningObjectSummary")


def _outcome(results: list[dict]) -> tuple[str, dict]:
    """The overall result of on-demand provisioning and its details (the worst of the subjects')."""
    failed = next((r for r in results if r["error"]), None)
    if failed:
        return "Failure", {"errorCode": E.error_code(failed["error"]), "errorMessage": str(failed["error"])}
    skipped = next((r for r in results if r["action"] == "Skip"), None)
    if skipped:
        return "Skipped", {
            "errorCode": "NotEffectivelyEntitled",
            "errorMessage": f"The User '{skipped['userId']}' will be skipped: this object is not "
            "assigned to the application.",
        }
    return "Success", {}


def _step_status(result: dict, name: str) -> str:
    if result["error"] and name == "Export":
        return "Failure"
    return "Skipped" if result["action"] == "Skip" else "Success"
