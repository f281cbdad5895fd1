"""docs/permissions.md (Azure) covers every Microsoft Graph, Key Vault and ARM call the automation
makes, and names exactly the permission set the twin grants and preflight requires. Its per-call table
is generated from the contract ledger (tools/contract_ledger.py); the calls are found by contract_calls.py."""

import re
from pathlib import Path

import contract_calls
from entraidc import azure_permissions

from twin.azure import catalogue

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs/permissions.md").read_text()
AZURE = DOC[DOC.index("## Azure") :]

ROW = re.compile(r"^\| (graph|keyvault|arm) \| (GET|POST|PATCH|PUT|DELETE) \| `([^`]+)` \| ([^|]+) \|", re.M)


def code_calls() -> set[tuple[str, str, str]]:
    """(service, method, path) of every Graph, Key Vault and ARM call, as contract_calls.py finds them."""
    return {
        (kind, *op.split(" ", 1))
        for kind, op in contract_calls.python_calls()
        if kind in ("graph", "keyvault", "arm")
    }


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
