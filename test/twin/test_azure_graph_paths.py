"""Every Microsoft Graph path and method the twin serves exists in the official Python SDK.

Reference: the request builders of msgraph-sdk (v1.0) and msgraph-beta-sdk (beta) on PyPI —
each builder passes its URL template ("{+baseurl}/servicePrincipals/{servicePrincipal%2Did}/
...") to its base class and defines get/post/patch/put/delete for the methods Graph serves.
"""

import importlib.util
import re
from pathlib import Path

import pytest
from azure_inprocess import AzureTwin

TEMPLATE = re.compile(r'super\(\).__init__\(request_adapter, "([^"]+)"')
METHOD = re.compile(r"^    async def (get|post|patch|put|delete)\(", re.MULTILINE)


def sdk_operations(package: str) -> set[tuple[str, str]]:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.submodule_search_locations, f"{package} is not installed"
    operations = set()
    for path in Path(spec.submodule_search_locations[0], "generated").rglob("*_request_builder.py"):
        text = path.read_text()
        template = TEMPLATE.search(text)
        if template is None:
            continue
        url = re.sub(r"\{\?[^}]*\}$", "", template.group(1)).removeprefix("{+baseurl}")
        url = re.sub(r"\{[^}]+\}", "{}", url)
        operations |= {(m.upper(), url) for m in METHOD.findall(text)}
    return operations


def served_operations(twin: AzureTwin, prefix: str) -> set[tuple[str, str]]:
    app = twin.context.router.find("graph.microsoft.com", "/")
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefix + "/"):
            continue
        path = re.sub(r"<[^>]+>", "{}", rule.rule.removeprefix(prefix))
        served |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return served


@pytest.fixture(scope="module")
def twin(tmp_path_factory):
    return AzureTwin(tmp_path_factory.mktemp("azure"))


def test_every_served_graph_operation_is_in_the_sdk_of_its_version(twin):
    app = twin.context.router.find("graph.microsoft.com", "/")
    versions = {rule.rule.split("/")[1] for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert versions <= {"v1.0", "beta"}, f"routes outside /v1.0 and /beta: {versions}"
    served = served_operations(twin, "/v1.0")
    # The surface the library's scripts use must be there (the comparison is not vacuous).
    assert ("POST", "/applicationTemplates/{}/instantiate") in served
    assert ("POST", "/servicePrincipals/{}/synchronization/jobs/{}/provisionOnDemand") in served
    assert ("PUT", "/servicePrincipals/{}/synchronization/secrets") in served
    assert len(served) > 50
    for prefix, package in (("/v1.0", "msgraph"), ("/beta", "msgraph_beta")):
        missing = sorted(served_operations(twin, prefix) - sdk_operations(package))
        assert missing == [], f"served under {prefix} but absent from {package}: {missing}"


def test_the_sdk_comparison_catches_an_invented_path(twin):
    operations = sdk_operations("msgraph")
    assert ("POST", "/servicePrincipals/{}/addTokenSigningCertificate") in operations
    assert ("POST", "/servicePrincipals/{}/synchronization/jobs/{}/start") in operations
    assert ("POST", "/servicePrincipals/{}/startProvisioning") not in operations
    assert ("GET", "/servicePrincipals/{}/synchronization/jobs/{}/start") not in operations
