"""/policies/claimsMappingPolicies (Graph v1.0 "claimsMappingPolicy resource type")."""

import uuid

from twin.azure.claims_policy import PolicyError, parse_definition
from twin.azure.graph import common as g

WRITABLE = {"definition", "displayName", "isOrganizationDefault", "description"}
ENTITY_SET = "policies/claimsMappingPolicies"


def register(app, store, context) -> None:
    def find(policy_id: str):
        policy = store.claims_mapping_policies.get(policy_id)
        return None if policy is None or g.hidden(context, policy_id) else policy

    @app.get(f"{g.V1}/policies/claimsMappingPolicies")
    def listClaimsMappingPolicies():
        with store.lock:
            items = list(store.claims_mapping_policies.values())
        return g.listing(items, ENTITY_SET, "claimsMappingPolicy")

    @app.post(f"{g.V1}/policies/claimsMappingPolicies")
    @g.with_body(WRITABLE, "claimsMappingPolicy")
    def createClaimsMappingPolicy(body):
        if not body.get("displayName"):
            return g.bad_request("Invalid value specified for property 'displayName' of resource 'Policy'.")
        try:
            parse_definition(body.get("definition"))
        except PolicyError as e:
            return g.bad_request(
                f"Invalid value specified for property 'definition' of resource 'Policy': {e}"
            )
        policy = {
            "id": str(uuid.uuid4()),
            "deletedDateTime": None,
            "description": None,
            "isOrganizationDefault": False,
        }
        g.merge(policy, body)
        with store.lock:
            store.claims_mapping_policies[policy["id"]] = policy
        g.created(context, policy["id"])
        return g.entity(policy, ENTITY_SET, "claimsMappingPolicy", 201)

    @app.get(f"{g.V1}/policies/claimsMappingPolicies/<policy_id>")
    def getClaimsMappingPolicy(policy_id):
        with store.lock:
            policy = find(policy_id)
        return g.entity(policy, ENTITY_SET, "claimsMappingPolicy") if policy else g.not_found(policy_id)

    @app.patch(f"{g.V1}/policies/claimsMappingPolicies/<policy_id>")
    @g.with_body(WRITABLE, "claimsMappingPolicy")
    def updateClaimsMappingPolicy(body, policy_id):
        if "definition" in body:
            try:
                parse_definition(body["definition"])
            except PolicyError as e:
                return g.bad_request(
                    f"Invalid value specified for property 'definition' of resource 'Policy': {e}"
                )
        with store.lock:
            policy = find(policy_id)
            if policy is None:
                return g.not_found(policy_id)
            g.merge(policy, body)
        return g.no_content()

    @app.delete(f"{g.V1}/policies/claimsMappingPolicies/<policy_id>")
    def deleteClaimsMappingPolicy(policy_id):
        with store.lock:
            if find(policy_id) is None:
                return g.not_found(policy_id)
            del store.claims_mapping_policies[policy_id]
            for linked in store.sp_claims_policies.values():
                if policy_id in linked:
                    linked.remove(policy_id)
        return g.no_content()
