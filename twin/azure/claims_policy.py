"""Extra SAML claims from the claims-mapping policies assigned to a service principal.

Reference: Microsoft identity platform "Claims mapping policy type" (definition is a JSON
string {"ClaimsMappingPolicy": {"Version": 1, "IncludeBasicClaimSet": "true",
"ClaimsSchema": [{"Source": "user", "ID": "<attribute>", "SamlClaimType": "<uri>"}]}}).
"""

import json


class PolicyError(ValueError):
    pass


def parse_definition(definition: list) -> list[dict]:
    if not isinstance(definition, list) or len(definition) != 1 or not isinstance(definition[0], str):
        raise PolicyError("definition must be a collection holding one JSON string")
    try:
        policy = json.loads(definition[0])["ClaimsMappingPolicy"]
        schema = policy.get("ClaimsSchema", [])
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise PolicyError(f"definition is not a ClaimsMappingPolicy document: {e}") from e
    if not isinstance(schema, list) or not all(isinstance(entry, dict) for entry in schema):
        raise PolicyError("ClaimsSchema must be a list of objects")
    return schema


def _user_value(user: dict, attribute: str) -> str | None:
    lowered = attribute.lower()
    for key, value in user.items():
        if key.lower() == lowered and isinstance(value, str | int | bool):
            return str(value)
    return None


def saml_claims(policies: list[dict], user: dict) -> list[tuple[str, str]]:
    claims = []
    for policy in policies:
        for entry in parse_definition(policy["definition"]):
            claim_type = entry.get("SamlClaimType")
            if entry.get("Source", "").lower() != "user" or not claim_type:
                continue
            value = _user_value(user, entry.get("ID", ""))
            if value:
                claims.append((claim_type, value))
    return claims
