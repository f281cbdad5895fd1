"""docs/permissions.md (Azure) covers every Microsoft Graph, Key Vault and ARM call the automation
makes, and names exactly the permission set the twin grants and preflight requires."""

import re
from pathlib import Path

from entraidc import azure_permissions

from twin.azure import catalogue

ROOT = Path(__file__).resolve().parents[2]
CODE = ROOT / "resources/entraidc/python/entraidc"
DOC = (ROOT / "docs/permissions.md").read_text()
AZURE = DOC[DOC.index("## Azure") :]

GRAPH_CALL = re.compile(
    r"\b(?:self\.|ctx\.)?graph\.(get|post|patch|put|delete|list|request)\(\s*"
    r'(?:"(GET|POST|PATCH|PUT|DELETE)",\s*)?f?"(/[^"]*)"'
)
VAULT_CALL = re.compile(r'self\._call\(\s*"(GET|PUT|DELETE|PATCH)",\s*f?"([^"]+)"')
# ArmClient's get/list/delete/post, called as arm.… (and self.… inside arm.py); a path that is not a
# string literal is an id read from a listing: {id}.
ARM_CALL = re.compile(r'\barm\.(get|list|delete|post)\(\s*(?:f?"([^"]+)"|[\w\[\]"\']+,)')
ARM_SELF = re.compile(r'\bself\.(get|list|delete|post)\(\s*f?"([^"]+)"')
ROW = re.compile(r"^\| (graph|keyvault|arm) \| (GET|POST|PATCH|PUT|DELETE) \| `([^`]+)` \| ([^|]+) \|", re.M)


def placeholders(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{id}", path)


def code_calls() -> set[tuple[str, str, str]]:
    found = set()
    for source in CODE.glob("*.py"):
        text = source.read_text()
        for verb, method, path in GRAPH_CALL.findall(text):
            found.add(("graph", method or ("GET" if verb == "list" else verb.upper()), placeholders(path)))
        found |= {("keyvault", m, placeholders(p)) for m, p in VAULT_CALL.findall(text)}
        arm = ARM_CALL.findall(text) + (ARM_SELF.findall(text) if source.name == "arm.py" else [])
        found |= {("arm", "GET" if v == "list" else v.upper(), placeholders(p or "{id}")) for v, p in arm}
    return found


def test_every_call_of_the_code_is_in_the_azure_table():
    documented = {(s, m, p) for s, m, p, _ in ROW.findall(AZURE)}
    calls = code_calls()
    assert len(calls) > 40  # the scan sees the code, of each service
    assert {service for service, _, _ in calls} == {"graph", "keyvault", "arm"}
    assert calls - documented == set()


def test_the_table_names_only_the_granted_permissions():
    granted = set(catalogue.AUTOMATION_GRANTS)
    for service, _, path, permission in ROW.findall(AZURE):
        if service == "graph" and not permission.startswith("none"):
            named = set(
                re.findall(
                    r"[A-Z][A-Za-z]+\.[A-Za-z.]+All|Policy\.ReadWrite\.ApplicationConfiguration", permission
                )
            )
            assert named and named <= granted, (path, permission)


def test_doc_twin_and_preflight_agree_on_the_set():
    listed = set(re.findall(r"^\| `([A-Za-z.]+)` \| (?:SAML|SCIM)", AZURE, re.M))
    required = {name for name, _, _ in azure_permissions.needed("scim")}
    assert listed == set(catalogue.AUTOMATION_GRANTS) == required
