"""The contract ledger (docs/contracts/*.yaml, rendered into docs/contracts.md) is complete and true to its
own references: a row for every external call the code makes (contract_calls.py), each row with a
source and the places that call it, every behaviour's test present, every permission in the
user-facing policy (docs/permissions.md) and every permission there needed by a row, the AWS rows'
signing names and hosts those of botocore, and the rendered files current."""

import ast
import inspect
import re
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import botocore.session
import contract_calls
import pytest
from entraidc.aws import ACCOUNTS
from entraidc.aws_console_api import ConsoleApi
from test_permissions_aws import PREFIX, documented_actions

from tools import contract_ledger

ROOT = Path(__file__).resolve().parents[2]
LEDGER = contract_ledger.load()
ROWS = {(kind, row["op"]): row for kind, rows in LEDGER.items() for row in rows}


def test_every_call_of_the_code_has_a_row():
    calls = contract_calls.all_calls()
    assert len(calls) > 140  # the scan sees the code of every kind
    assert {kind for kind, _ in calls} == set(contract_ledger.KINDS)
    missing = sorted(f"{kind}: {op} (called in {', '.join(sorted(where))})"
                     for (kind, op), where in calls.items() if (kind, op) not in ROWS)
    assert missing == [], "add a row to docs/contracts/<kind>.yaml for each"


def test_every_client_call_names_its_path_where_it_is_made():
    assert contract_calls.unreadable_calls() == []


def test_each_row_names_the_places_that_call_it():
    calls = contract_calls.all_calls()
    wrong = []
    for key, row in ROWS.items():
        listed, found = set(row["used_in"]), calls.get(key, set())
        if found and found != listed:
            wrong.append(f"{key[0]}: {key[1]}: used_in should be {sorted(found)}, is {sorted(listed)}")
        elif listed and not found:
            wrong.append(f"{key[0]}: {key[1]}: no longer called: remove the row, or empty used_in and say in "
                         "note who calls it")
    assert wrong == [], "tools/contract_ledger.py --update-used-in rewrites used_in from the code"


def test_a_row_no_code_calls_says_why():
    assert [op for (_, op), row in ROWS.items() if not row["used_in"] and not row.get("note")] == []


def test_each_row_names_a_source():
    assert [f"{kind}: {op}" for (kind, op), row in ROWS.items() if not row["source"]] == []


def _pins() -> dict[str, str]:
    """The versions the product pins: Python packages (requirements.txt), providers and OpenTofu
    (tools/versions.env)."""
    pins = dict(re.findall(r"^([\w-]+)==([\w.]+)$",
                           (ROOT / "resources/entraidc/python/requirements.txt").read_text(), re.M))
    env = dict(re.findall(r"^(\w+)=(\S+)$", (ROOT / "tools/versions.env").read_text(), re.M))
    pins["terraform-provider-aws"] = env["AWS_PROVIDER_VERSION"]
    pins["terraform-provider-azurerm"] = env["AZURERM_PROVIDER_VERSION"]
    return pins


def test_sources_name_the_versions_the_product_pins():
    pins = _pins()
    cited = {(row["op"], name, version) for row in ROWS.values() for source in row["source"]
             for name, version in re.findall(r"\b(botocore|azure-identity|terraform-provider-aws|"
                                             r"terraform-provider-azurerm) v?(\d[\w.]*\d)", source)}
    assert len(cited) > 30
    assert sorted(f"{op}: {name} {version} (pinned {pins[name]})" for op, name, version in cited
                  if version != pins[name]) == []


def test_no_row_is_contradicted():
    """A row a reviewer found contradicted by its source is fixed (twin first), then reviewed again."""
    assert [f"{kind}: {op}" for (kind, op), row in ROWS.items() if row["review"] == "contradicted"] == []


def test_no_row_is_listed_twice():
    ops = [(kind, row["op"]) for kind, rows in LEDGER.items() for row in rows]
    assert len(ops) == len(set(ops))


def _python_tests(path: Path) -> set[str]:
    """test names of a pytest file: functions, and Class::method."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{m.name}" for m in node.body if isinstance(m, ast.FunctionDef)}
    return names


def _groovy_tests(path: Path) -> set[str]:
    text = path.read_text()
    return set(re.findall(r"@Test\b[^\n]*\n(?:\s*@[^\n]+\n)*\s*(?:public\s+)?void\s+(\w+)\s*\(", text))


def _tofu_tests(path: Path) -> set[str]:
    return set(re.findall(r'^run\s+"([\w-]+)"', path.read_text(), re.M))


def test_exists(reference: str) -> str | None:
    """None when ``file::name`` names a test that exists, else why not."""
    file, _, name = reference.partition("::")
    path = ROOT / file
    if not name or not path.is_file():
        return f"{reference}: no file {file}" if name else f"{reference}: not file::test"
    if path.suffix == ".py":
        names = _python_tests(path)
    elif path.suffix in (".groovy", ".java"):
        names = _groovy_tests(path)
    elif path.name.endswith(".tftest.hcl"):
        names = _tofu_tests(path)
    else:
        return f"{reference}: not a test file"
    return None if name in names else f"{reference}: no test {name} in {file}"


test_exists.__test__ = False


def test_every_behaviour_names_a_test_that_exists():
    references = [b["test"] for row in ROWS.values() for b in row["behaviours"] if "test" in b]
    assert len(references) > 50
    assert [why for why in map(test_exists, references) if why] == []


def test_the_existence_check_can_fail():
    assert test_exists("test/python/test_contracts.py::test_no_row_is_listed_twice") is None
    assert test_exists("test/python/test_contracts.py::test_nothing_of_the_kind")
    assert test_exists("test/python/test_nothing.py::test_x")


def _permissions(kinds) -> set[str]:
    return {p for kind in kinds for row in LEDGER[kind] for p in row["permission"] if p != "none"}


AWS_SECTION = (ROOT / "docs/permissions.md").read_text().split("## AWS\n", 1)[1].split("## Azure\n", 1)[0]
AZURE_SECTION = (ROOT / "docs/permissions.md").read_text().split("## Azure\n", 1)[1]


def test_the_aws_permissions_are_the_policy_documented():
    needed = {p for p in _permissions(LEDGER) if not p.startswith(("graph:", "azure-role:"))}
    # The phase policies, and the state bucket's actions named in the text (the twin does not check S3).
    documented = documented_actions() | set(re.findall(r"`(s3:[A-Za-z]+)`", AWS_SECTION))
    assert sorted(needed - documented) == [], "add these to docs/permissions.md (AWS)"
    assert sorted(documented - needed) == [], "no ledger row needs these: add the row or drop the action"


def test_the_azure_permissions_are_the_policy_documented():
    needed = {p for p in _permissions(LEDGER) if p.startswith(("graph:", "azure-role:"))}
    graph = {f"graph:{n}" for n in re.findall(r"^\| `([A-Za-z.]+)` \| (?:SAML|SCIM)", AZURE_SECTION, re.M)}
    roles = {f"azure-role:{n}" for n in re.findall(r"^\| \*\*([A-Za-z ]+)\*\*", AZURE_SECTION, re.M)}
    assert len(graph) >= 5 and len(roles) >= 3
    assert sorted(needed - (graph | roles)) == [], "add these to docs/permissions.md (Azure)"
    assert sorted((graph | roles) - needed) == [], "no ledger row needs these"


@pytest.fixture
def no_endpoint_overrides(monkeypatch, tmp_path):
    for name in [n for n in __import__("os").environ if n.startswith("AWS_ENDPOINT_URL")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))


REGIONS = {"aws": "us-east-1", "aws-us-gov": "us-gov-west-1"}


def test_aws_rows_name_botocores_signing_name_and_hosts(no_endpoint_overrides):
    wrong = []
    for row in LEDGER["aws"]:
        service = row["op"].split()[0]
        hosts = {}
        for partition, region in REGIONS.items():
            client = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="y",
                                           region_name=region).client(service)
            hosts[partition] = client.meta.endpoint_url.split("://", 1)[1]
            signing = client.meta.service_model.signing_name
        if row.get("signing") != signing or row.get("hosts") != hosts:
            wrong.append(f"{row['op']}: signing {signing}, hosts {hosts}")
    assert wrong == []


def test_terraform_rows_need_the_actions_of_the_aws_operations_their_provider_performs():
    """An AWS operation a terraform row says its provider performs is a botocore operation, and the row
    needs its action (the provider's calls are the module's permissions)."""
    session = botocore.session.get_session()
    wrong = []
    for row in LEDGER["terraform"]:
        for api in row.get("api", []):
            service, _, operation = api.partition(" ")
            if service not in PREFIX or service == "console":
                continue
            if operation not in session.get_service_model(service).operation_names:
                wrong.append(f"{row['op']}: {api} is not a {service} operation")
            elif f"{PREFIX[service]}:{operation}" not in row["permission"]:
                wrong.append(f"{row['op']}: needs {PREFIX[service]}:{operation} for {api}")
    assert wrong == []


def test_console_rows_name_the_host_and_signing_name_the_code_uses():
    class NoCredentials:
        def get_credentials(self):
            return None

    hosts = {acct.partition: urlsplit(ConsoleApi(acct, NoCredentials()).identitystore_url).netloc
             for acct in ACCOUNTS.values()}
    call = inspect.getsource(ConsoleApi.call)
    signing = re.search(r'SigV4Auth\(\s*[\w.]+\(\),\s*"([\w-]+)"', call).group(1)
    assert [r["op"] for r in LEDGER["aws-console"] if r["hosts"] != hosts or r["signing"] != signing] == []


def test_the_rendered_files_are_current():
    stale = [str(path.relative_to(ROOT)) for path, text in contract_ledger.rendered(LEDGER).items()
             if path.read_text() != text]
    assert stale == [], "run: ~/.cache/entra-idc/venv/bin/python tools/contract_ledger.py"


def test_every_inferred_matter_says_what_would_settle_it():
    unsettled = [f"{kind}: {row['op']}: {what[:80]}"
                 for kind, row, what in contract_ledger.inferred_rows(LEDGER) if "settle" not in what.lower()]
    assert unsettled == [], "name what would settle it (a HAR capture, one call in a real account)"


def test_the_first_run_list_is_the_inferred_rows():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("**First run against real accounts**", 1)[1].split("\n## ", 1)[0]
    inferred = contract_ledger.inferred_rows(LEDGER)
    assert len(inferred) >= 10
    for kind, row, _ in inferred:
        assert f"`{kind}` `{row['op']}`" in section
