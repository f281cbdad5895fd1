"""/applicationTemplates (+ instantiate) and /applications.

References: Graph v1.0 "applicationTemplate: instantiate" (201 with an
applicationServicePrincipal {application, servicePrincipal}; the objects can take a few
seconds to replicate), "Create application", "Update application", "Delete application".
"""

from twin.azure import catalogue
from twin.azure.graph import common as g
from twin.azure.graph import identifier_uris
from twin.azure.graph.objects import (
    APPLICATION_WRITABLE,
    new_application,
    new_service_principal,
    sync_reply_urls,
)
from twin.azure.web import json_response, now_iso, request_json


def _delete_application(store, app: dict) -> None:
    del store.applications[app["id"]]
    store.deleted_items[app["id"]] = {
        "@odata.type": "#microsoft.graph.application",
        **app,
        "deletedDateTime": now_iso(),
    }
    sp = store.find_sp_by_app_id(app["appId"])
    if sp is not None:
        from twin.azure.graph.service_principals import delete_service_principal

        delete_service_principal(store, sp)


def register(app, store, context) -> None:
    @app.get(f"{g.V1}/applicationTemplates")
    def listApplicationTemplates():
        # "List applicationTemplates": $filter only on displayName or categories, e.g. with eq or
        # contains(); startswith is not documented there and is refused.
        return g.listing(
            [catalogue.template_view(t) for t in catalogue.TEMPLATES],
            "applicationTemplates",
            "applicationTemplate",
            functions=frozenset({"contains"}),
        )

    @app.get(f"{g.V1}/applicationTemplates/<template_id>")
    def getApplicationTemplate(template_id):
        template = next((t for t in catalogue.TEMPLATES if t["id"] == template_id), None)
        if template is None:
            return g.not_found(template_id)
        return g.entity(catalogue.template_view(template), "applicationTemplates", "applicationTemplate")

    @app.post(f"{g.V1}/applicationTemplates/<template_id>/instantiate")
    def instantiate(template_id):
        template = next((t for t in catalogue.TEMPLATES if t["id"] == template_id), None)
        if template is None:
            return g.not_found(template_id)
        display_name = request_json().get("displayName")
        if not isinstance(display_name, str) or not display_name.strip():
            return g.bad_request(
                "Invalid value specified for property 'displayName' of resource 'Application'."
            )
        with store.lock:
            application = new_application(display_name, template_id)
            sp = new_service_principal(application, template_id)
            store.applications[application["id"]] = application
            store.service_principals[sp["id"]] = sp
        g.created(context, application["id"], sp["id"], application["appId"])
        return json_response(
            {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#"
                "microsoft.graph.applicationServicePrincipal",
                "application": application,
                "servicePrincipal": sp,
            },
            201,
        )

    @app.get(f"{g.V1}/applications")
    def listApplications():
        with store.lock:
            items = list(store.applications.values())
        return g.listing(items, "applications", "application")

    @app.post(f"{g.V1}/applications")
    @g.with_body(APPLICATION_WRITABLE, "application")
    def createApplication(body):
        if not body.get("displayName"):
            return g.bad_request(
                "Invalid value specified for property 'displayName' of resource 'Application'."
            )
        with store.lock:
            application = new_application(body["displayName"])
            uri = identifier_uris.refused(store, application, body.get("identifierUris"))
            if uri:
                return g.bad_request(identifier_uris.message(uri), "HostNameNotOnVerifiedDomain")
            g.merge(application, body)
            store.applications[application["id"]] = application
        g.created(context, application["id"], application["appId"])
        return g.entity(application, "applications", "application", 201)

    def _find(key: str, by_app_id: bool):
        found = store.find_app_by_app_id(key) if by_app_id else store.applications.get(key)
        if found is None or g.hidden(context, found["id"], found["appId"]):
            return None
        return found

    def get_application(key: str, by_app_id: bool):
        with store.lock:
            found = _find(key, by_app_id)
        return g.entity(found, "applications", "application") if found else g.not_found(key)

    @g.with_body(APPLICATION_WRITABLE, "application")
    def update_application(body, key: str, by_app_id: bool):
        with store.lock:
            found = _find(key, by_app_id)
            if found is None:
                return g.not_found(key)
            uri = identifier_uris.refused(store, found, body.get("identifierUris"))
            if uri:
                return g.bad_request(identifier_uris.message(uri), "HostNameNotOnVerifiedDomain")
            g.merge(found, body)
            sync_reply_urls(store, found)
        return g.no_content()

    def delete_application(key: str, by_app_id: bool):
        with store.lock:
            found = _find(key, by_app_id)
            if found is None:
                return g.not_found(key)
            _delete_application(store, found)
        return g.no_content()

    g.key_routes(app, "applications", "Application", get_application, update_application, delete_application)
