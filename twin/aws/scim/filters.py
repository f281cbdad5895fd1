"""SCIM filters (RFC 7644 section 3.4.2.2) exactly as IAM Identity Center accepts them.

SCIM implementation developer guide: ListUsers "Supported filter combinations: (userName),
(externalId), (groups.value), (id and manager), (manager and id)", ListGroups "(displayName),
(externalId), (members.value), (id and member), and (member and id)", id alone "valid" for both;
"Supported comparison operator in filters: eq"; "Filter must be specified as: <filterAttribute> eq
"<filterValue>""; "Limitations from SCIM specification": "Only eq with and is supported".
Attribute names and the operator are case-insensitive (RFC 7644 3.4.2.2).

Anything else is a ValidationException: 400 with the detail AWS's SCIM server sends for one
("Request is unparsable, syntactically incorrect, or violates schema.", a real answer quoted in
slashdevops/idp-scim-sync#30) and no scimType (that answer has none). *Inferred*: that a filter
refusal carries that same detail; the spelling ``members`` (the Group attribute, RFC 7643 4.2)
for the guide's "member".
"""
import json
import re

from twin.aws.scim.errors import ScimError

VALIDATION_DETAIL = "Request is unparsable, syntactically incorrect, or violates schema."
TERM = re.compile(r'^\s*(?P<attr>[A-Za-z][\w.]*)\s+eq\s+(?P<value>"(?:[^"\\]|\\.)*")\s*$', re.IGNORECASE)
SPLIT_AND = re.compile(r'\s+and\s+(?=(?:[^"]*"[^"]*")*[^"]*$)', re.IGNORECASE)
USER_COMBINATIONS = ({"userName"}, {"externalId"}, {"groups.value"}, {"id"}, {"id", "manager"})
GROUP_COMBINATIONS = ({"displayName"}, {"externalId"}, {"members.value"}, {"id"}, {"id", "members"})


def _refuse() -> ScimError:
    return ScimError(400, VALIDATION_DETAIL)


def parse(text: str | None, combinations: tuple[set[str], ...]) -> dict[str, str]:
    """{canonical attribute: value} for a filter that is one of ``combinations``; {} for no filter."""
    if not text:
        return {}
    canonical = {name.lower(): name for combination in combinations for name in combination}
    terms: dict[str, str] = {}
    for part in SPLIT_AND.split(text.strip()):
        match = TERM.match(part)
        attr = canonical.get(match["attr"].lower()) if match else None
        if attr is None or attr in terms:
            raise _refuse()
        terms[attr] = json.loads(match["value"])
    if set(terms) not in combinations:
        raise _refuse()
    return terms
