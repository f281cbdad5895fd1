"""SCIM filters (RFC 7644 section 3.4.2.2) as IAM Identity Center supports them: only ``eq``,
combined with ``and`` ("Limitations from SCIM specification": "Only eq with and is supported")."""
import json
import re

from twin.aws.scim.errors import ScimError

TERM = re.compile(r'^\s*(?P<attr>[A-Za-z][\w.:$-]*)\s+(?P<op>[A-Za-z]+)\s+'
                  r'(?P<value>"(?:[^"\\]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)\s*$')
SPLIT_AND = re.compile(r'\s+and\s+(?=(?:[^"]*"[^"]*")*[^"]*$)', re.IGNORECASE)


def parse(text: str | None, allowed: dict[str, str]) -> list[tuple[str, object]]:
    """[(canonical attribute, value)] for a filter; allowed maps lower-case attribute names to canonical."""
    if not text:
        return []
    terms = []
    for part in SPLIT_AND.split(text.strip()):
        match = TERM.match(part)
        if not match or "(" in part or re.search(r"\s(or|not)\s", f" {part} ", re.IGNORECASE):
            raise ScimError(400, f"Filter {text!r} is not supported; use <attribute> eq \"<value>\" "
                            "joined by and", "invalidFilter")
        if match["op"].lower() != "eq":
            raise ScimError(400, f"Filter operator {match['op']!r} is not supported; only eq",
                            "invalidFilter")
        attr = allowed.get(match["attr"].lower())
        if attr is None:
            raise ScimError(400, f"Filtering on {match['attr']!r} is not supported", "invalidFilter")
        terms.append((attr, json.loads(match["value"])))
    return terms
