"""`abac` (Step 5): SAML claims https://aws.amazon.com/SAML/Attributes/AccessControl:<Name> on each app.

NOT PURE TERRAFORM: separate Python command — claims of a gallery app are a Microsoft Graph
claims-mapping policy, which the azurerm provider cannot manage.
https://learn.microsoft.com/graph/api/resources/claimsmappingpolicy and
https://learn.microsoft.com/entra/identity-platform/reference-claims-mapping-policy-type (ClaimsSchema
entries {Source, ID, SamlClaimType}); assignment: POST servicePrincipals/{id}/claimsMappingPolicies/$ref.
"""

import json
import re

import botocore.exceptions

from . import output
from .aws import identity_center_instance, session
from .errors import InputError
from .inputs import owner_marker
from .marker import policy_is_marked, policy_name
from .targets import entra_app, selected_accounts

CLAIM_PREFIX = "https://aws.amazon.com/SAML/Attributes/AccessControl:"
# Matches the Terraform module's access-control attribute Department (locals.tf abac_attributes).
DEFAULT_ATTRIBUTES = ("Department=user.department",)
_ATTRIBUTE = re.compile(r"^([A-Za-z0-9_.:/=+@-]{1,128})=user\.([A-Za-z][A-Za-z0-9_]*)$")


def parse_attributes(specs) -> dict[str, str]:
    parsed = {}
    for spec in specs or DEFAULT_ATTRIBUTES:
        match = _ATTRIBUTE.match(spec)
        if not match:
            raise InputError(
                f"--attribute {spec!r}: write NAME=user.<attribute>, e.g. Department=user.department"
            )
        parsed[match.group(1)] = match.group(2)
    return parsed


def definition(attributes: dict[str, str]) -> str:
    schema = [
        {"Source": "user", "ID": source, "SamlClaimType": CLAIM_PREFIX + name}
        for name, source in sorted(attributes.items())
    ]
    return json.dumps(
        {"ClaimsMappingPolicy": {"Version": 1, "IncludeBasicClaimSet": "true", "ClaimsSchema": schema}},
        separators=(",", ":"),
    )


def _parsed(definition: str):
    try:
        return json.loads(definition)
    except (TypeError, ValueError):
        return definition


def policies_named(graph, name: str) -> list[dict]:
    return [p for p in graph.list("/policies/claimsMappingPolicies") if p.get("displayName") == name]


def ensure_policy(graph, sp_id: str, nickname: str, attributes: dict[str, str], marker: str) -> bool:
    name = policy_name(marker, f"ABAC claims ({nickname})")
    wanted = definition(attributes)
    existing = policies_named(graph, name)
    changed = False
    if existing:
        policy = existing[0]
        if [_parsed(d) for d in policy.get("definition") or []] != [_parsed(wanted)]:
            graph.patch(f"/policies/claimsMappingPolicies/{policy['id']}", {"definition": [wanted]})
            changed = True
    else:
        policy = graph.post(
            "/policies/claimsMappingPolicies",
            {"displayName": name, "definition": [wanted], "isOrganizationDefault": False},
        )
        changed = True
    assigned = list(graph.list(f"/servicePrincipals/{sp_id}/claimsMappingPolicies"))
    for other in assigned:
        if other["id"] != policy["id"] and policy_is_marked(other, marker):
            graph.delete(f"/servicePrincipals/{sp_id}/claimsMappingPolicies/{other['id']}/$ref")
    if not any(p["id"] == policy["id"] for p in assigned):
        graph.post(
            f"/servicePrincipals/{sp_id}/claimsMappingPolicies/$ref",
            {"@odata.id": f"{graph.base_url}/policies/claimsMappingPolicies/{policy['id']}"},
            retry_not_found=True,
        )
        changed = True
    return changed


def delete_policies(graph, nickname: str, marker: str) -> int:
    removed = 0
    for policy in policies_named(graph, policy_name(marker, f"ABAC claims ({nickname})")):
        graph.delete(f"/policies/claimsMappingPolicies/{policy['id']}")
        removed += 1
    return removed


def identity_center_keys(acct) -> list[str] | None:
    """The access-control attribute keys Terraform set on the instance (None when ABAC is off)."""
    sess = session(acct)
    instance = identity_center_instance(acct, sess)
    try:
        config = sess.client("sso-admin").describe_instance_access_control_attribute_configuration(
            InstanceArn=instance.instance_arn
        )
    except botocore.exceptions.ClientError as err:
        if err.response["Error"]["Code"] == "ResourceNotFoundException":
            return None
        raise
    attributes = config.get("InstanceAccessControlAttributeConfiguration", {}).get(
        "AccessControlAttributes", []
    )
    return sorted(a["Key"] for a in attributes)


def run(ctx, args) -> dict:
    marker = owner_marker()
    attributes = parse_attributes(args.attribute)
    results = []
    for acct in selected_accounts(args):
        keys = identity_center_keys(acct)
        missing = sorted(set(keys or []) - set(attributes))
        if missing:
            raise InputError(
                f"Identity Center has access-control attribute(s) {', '.join(missing)} with no claim: pass "
                f"--attribute {missing[0]}=user.<Entra attribute> for each",
                account=acct.nickname,
            )
        if not keys:
            output.log(
                acct.nickname, "no access-control attributes in Identity Center yet (enable_abac = false?)"
            )
        app = entra_app(ctx.graph, acct.nickname, marker)
        changed = ensure_policy(ctx.graph, app.sp["id"], acct.nickname, attributes, marker)
        claims = ", ".join(f"AccessControl:{n} <- user.{s}" for n, s in sorted(attributes.items()))
        output.log("azure-id", f"{app.display_name!r}: {claims}" + ("" if changed else " (already in place)"))
        results.append({"account": acct.nickname, "claims": sorted(attributes), "changed": changed})
    return {"accounts": results}
