"""/policies/claimsMappingPolicies (Graph v1.0 "claimsMappingPolicy resource type")."""

import uuid

from twin.azure.claims_policy import PolicyError, parse_definition
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
from twin.azure.web import request_json

WRITABLE = {"definition", "displayName", "isOrganizationDefault", "description"}
ENTITY_SET = "policies/claimsMappingPolicies"


def register(app, store, context) -> None:
    def find(policy_id: str):
        policy = store.claims_mapping_policies.get(policy_id)
        return None if policy is None or hidden(context, policy_id) else policy

    @app.get(f"{V1}/policies/claimsMappingPolicies")
    def listClaimsMappingPolicies():
        with store.lock:
            items = list(store.claims_mapping_policies.values())
        return listing(items, ENTITY_SET, "claimsMappingPolicy")

    @app.post(f"{V1}/policies/claimsMappingPolicies")
    def createClaimsMappingPolicy():
        body = request_json()
        error = check_properties(body, WRITABLE, "claimsMappingPolicy")
        if error:
            return error
        if not body.get("displayName"):
            return bad_request("Invalid value specified for property 'displayName' of resource 'Policy'.")
        try:
            parse_definition(body.get("definition"))
        except PolicyError as e:
            return bad_request(f"Invalid value specified for property 'definition' of resource 'Policy': {e}")
        policy = {
            "id": str(uuid.uuid4()),
            "deletedDateTime": None,
            "description": None,
            "isOrganizationDefault": False,
        }
        merge(policy, body)
        with store.lock:
            store.claims_mapping_policies[policy["id"]] = policy
        created(context, policy["id"])
        return entity(policy, ENTITY_SET, "claimsMappingPolicy", 201)

    @app.get(f"{V1}/policies/claimsMappingPolicies/<policy_id>")
    def getClaimsMappingPolicy(policy_id):
        with store.lock:
            policy = find(policy_id)
        return entity(policy, ENTITY_SET, "claimsMappingPolicy") if policy else not_found(policy_id)

    @app.patch(f"{V1}/policies/claimsMappingPolicies/<policy_id>")
    def updateClaimsMappingPolicy(policy_id):
        body = request_json()
        error = check_properties(body, WRITABLE, "claimsMappingPolicy")
        if error:
            return error
        if "definition" in body:
            try:
                parse_definition(body["definition"])
            except PolicyError as e:
                return bad_request(
                    f"Invalid value specified for property 'definition' of resource 'Policy': {e}"
                )
        with store.lock:
            policy = find(policy_id)
            if policy is None:
                return not_found(policy_id)
            merge(policy, body)
        return no_content()

    @app.delete(f"{V1}/policies/claimsMappingPolicies/<policy_id>")
    def deleteClaimsMappingPolicy(policy_id):
        with store.lock:
            if find(policy_id) is None:
                return not_found(policy_id)
            del store.claims_mapping_policies[policy_id]
            for linked in store.sp_claims_policies.values():
                if policy_id in linked:
                    linked.remove(policy_id)
        return no_content()
