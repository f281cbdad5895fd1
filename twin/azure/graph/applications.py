"""/applicationTemplates (+ instantiate) and /applications.

References: Graph v1.0 "applicationTemplate: instantiate" (201 with an
applicationServicePrincipal {application, servicePrincipal}; the objects can take a few
seconds to replicate), "Create application", "Update application", "Delete application".
"""

from twin.azure import catalogue
from twin.azure.graph import identifier_uris
from twin.azure.graph.common import (
    V1,
    bad_request,
    check_properties,
    created,
    entity,
    hidden,
    listing,
    merge,
    no_content,
    not_found,
)
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
    @app.get(f"{V1}/applicationTemplates")
    def listApplicationTemplates():
        # "List applicationTemplates": $filter only on displayName or categories, e.g. with eq or
        # contains(); startswith is not documented there and is refused.
        return listing(
            [catalogue.template_view(t) for t in catalogue.TEMPLATES],
            "applicationTemplates",
            "applicationTemplate",
            functions=frozenset({"contains"}),
        )

    @app.get(f"{V1}/applicationTemplates/<template_id>")
    def getApplicationTemplate(template_id):
        template = next((t for t in catalogue.TEMPLATES if t["id"] == template_id), None)
        if template is None:
            return not_found(template_id)
        return entity(catalogue.template_view(template), "applicationTemplates", "applicationTemplate")

    @app.post(f"{V1}/applicationTemplates/<template_id>/instantiate")
    def instantiate(template_id):
        template = next((t for t in catalogue.TEMPLATES if t["id"] == template_id), None)
        if template is None:
            return not_found(template_id)
        display_name = request_json().get("displayName")
        if not isinstance(display_name, str) or not display_name.strip():
            return bad_request(
                "Invalid value specified for property 'displayName' of resource 'Application'."
            )
        with store.lock:
            application = new_application(display_name, template_id)
            sp = new_service_principal(application, template_id)
            store.applications[application["id"]] = application
            store.service_principals[sp["id"]] = sp
        created(context, application["id"], sp["id"], application["appId"])
        return json_response(
            {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#"
                "microsoft.graph.applicationServicePrincipal",
                "application": application,
                "servicePrincipal": sp,
            },
            201,
        )

    @app.get(f"{V1}/applications")
    def listApplications():
        with store.lock:
            items = list(store.applications.values())
        return listing(items, "applications", "application")

    @app.post(f"{V1}/applications")
    def createApplication():
        body = request_json()
        error = check_properties(body, APPLICATION_WRITABLE, "application")
        if error:
            return error
        if not body.get("displayName"):
            return bad_request(
                "Invalid value specified for property 'displayName' of resource 'Application'."
            )
        with store.lock:
            application = new_application(body["displayName"])
            uri = identifier_uris.refused(store, application, body.get("identifierUris"))
            if uri:
                return bad_request(identifier_uris.message(uri), "HostNameNotOnVerifiedDomain")
            merge(application, body)
            store.applications[application["id"]] = application
        created(context, application["id"], application["appId"])
        return entity(application, "applications", "application", 201)

    def _find(key: str, by_app_id: bool):
        found = store.find_app_by_app_id(key) if by_app_id else store.applications.get(key)
        if found is None or hidden(context, found["id"], found["appId"]):
            return None
        return found

    def get_application(key: str, by_app_id: bool):
        with store.lock:
            found = _find(key, by_app_id)
        return entity(found, "applications", "application") if found else not_found(key)

    def update_application(key: str, by_app_id: bool):
        body = request_json()
        error = check_properties(body, APPLICATION_WRITABLE, "application")
        if error:
            return error
        with store.lock:
            found = _find(key, by_app_id)
            if found is None:
                return not_found(key)
            uri = identifier_uris.refused(store, found, body.get("identifierUris"))
            if uri:
                return bad_request(identifier_uris.message(uri), "HostNameNotOnVerifiedDomain")
            merge(found, body)
            sync_reply_urls(store, found)
        return no_content()

    def delete_application(key: str, by_app_id: bool):
        with store.lock:
            found = _find(key, by_app_id)
            if found is None:
                return not_found(key)
            _delete_application(store, found)
        return no_content()

    app.add_url_rule(
        f"{V1}/applications/<key>",
        "getApplication",
        get_application,
        methods=["GET"],
        defaults={"by_app_id": False},
    )
    app.add_url_rule(
        f"{V1}/applications/<key>",
        "updateApplication",
        update_application,
        methods=["PATCH"],
        defaults={"by_app_id": False},
    )
    app.add_url_rule(
        f"{V1}/applications/<key>",
        "deleteApplication",
        delete_application,
        methods=["DELETE"],
        defaults={"by_app_id": False},
    )
    app.add_url_rule(
        f"{V1}/applications(appId='<key>')",
        "getApplicationByAppId",
        get_application,
        methods=["GET"],
        defaults={"by_app_id": True},
    )
    app.add_url_rule(
        f"{V1}/applications(appId='<key>')",
        "updateApplicationByAppId",
        update_application,
        methods=["PATCH"],
        defaults={"by_app_id": True},
    )
    app.add_url_rule(
        f"{V1}/applications(appId='<key>')",
        "deleteApplicationByAppId",
        delete_application,
        methods=["DELETE"],
        defaults={"by_app_id": True},
    )
