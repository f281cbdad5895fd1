"""Every external call the product's code makes, found in its source, as (kind, operation) -> the places
("file:function") that make it. docs/contracts/*.yaml must hold a row for each (test_contracts.py).

Kinds: graph, keyvault, arm (the REST clients' calls, the patterns test_permissions_doc.py reads), http
(direct requests calls), azure-cli (the commands the credentials run), aws (boto3 client operations,
aws_calls.py), aws-console (aws_console_api.py), terraform (resource and data blocks of the module, its
backends), jenkins (the steps and Declarative constructs vars/, src/ and the Jenkinsfile call)."""

import ast
import functools
import re
from collections import defaultdict
from pathlib import Path

import aws_calls

ROOT = Path(__file__).resolve().parents[2]
CODE = ROOT / "resources/entraidc/python/entraidc"
TERRAFORM = ROOT / "resources/entraidc/terraform"
HARNESS = ROOT / "test/groovy/io/entraidc/harness"

GRAPH_CALL = re.compile(
    r"\b(?:self\.|ctx\.)?graph\.(get|post|patch|put|delete|list|request)\(\s*"
    r'(?:"(GET|POST|PATCH|PUT|DELETE)",\s*)?f?"(/[^"]*)"'
)
VAULT_CALL = re.compile(r'self\._call\(\s*"(GET|PUT|DELETE|PATCH)",\s*f?"([^"]+)"')
# ArmClient's get/list/delete/post, called as arm.… (and self.… inside arm.py); a path that is not a
# string literal is an id read from a listing: {id}.
ARM_CALL = re.compile(r'\barm\.(get|list|delete|post)\(\s*(?:f?"([^"]+)"|[\w\[\]"\']+,)')
ARM_SELF = re.compile(r'\bself\.(get|list|delete|post)\(\s*f?"([^"]+)"')
AZ_ARGV = re.compile(r'\[\s*"az"\s*,\s*"([a-z][\w-]*)"(?:\s*,\s*"([a-z][\w-]*)")?')
HTTP_CALL = re.compile(r"\brequests\.(get|post|put|patch|delete|head)\(")
# azure-identity's credentials that run the Azure CLI, and the command each runs.
CLI_CREDENTIALS = {"AzureCliCredential": "az account get-access-token"}
# The commands the azurerm provider's Azure CLI authentication runs (go-azure-sdk
# auth/azure_cli_authorizer.go, internal/azurecli/azcli.go).
PROVIDER_CLI_COMMANDS = {
    "azurerm": ("az version", "az account show", "az account list", "az account get-access-token"),
}
TF_BLOCK = re.compile(r'^\s*(resource|data)\s+"([\w-]+)"\s+"([\w-]+)"', re.M)
TF_PROVIDER_BLOCK = re.compile(r'^\s*provider\s+"([\w-]+)"', re.M)
BACKEND = re.compile(r'backend\s+"(\w+)"')


def placeholders(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{id}", path)


def _python_functions(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, qualified name) of every function, innermost last."""
    found = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = f"{prefix}{child.name}"
                found.append((child.lineno, child.end_lineno, name))
                visit(child, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(text), "")
    return found


def _python_place(path: Path, text: str, line: int, functions=None) -> str:
    functions = functions if functions is not None else _python_functions(text)
    inside = [f for f in functions if f[0] <= line <= f[1]]
    name = max(inside, key=lambda f: f[0])[2] if inside else "<module>"
    return f"{path.name}:{name}"


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def python_calls() -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source in sorted(CODE.glob("*.py")):
        text = source.read_text()
        functions = _python_functions(text)

        def add(kind, op, match, source=source, text=text, functions=functions):
            found[(kind, op)].add(_python_place(source, text, _line(text, match.start()), functions))

        for m in GRAPH_CALL.finditer(text):
            verb, method, path = m.groups()
            add("graph", f"{method or ('GET' if verb == 'list' else verb.upper())} {placeholders(path)}", m)
        for m in VAULT_CALL.finditer(text):
            add("keyvault", f"{m.group(1)} {placeholders(m.group(2))}", m)
        arm = [*ARM_CALL.finditer(text), *(ARM_SELF.finditer(text) if source.name == "arm.py" else [])]
        for m in arm:
            verb, path = m.group(1), m.group(2)
            add("arm", f"{'GET' if verb == 'list' else verb.upper()} {placeholders(path or '{id}')}", m)
        for m in HTTP_CALL.finditer(text):
            caller = _python_place(source, text, _line(text, m.start()), functions)
            add("http", f"{m.group(1).upper()} {caller}", m)
        for m in AZ_ARGV.finditer(text):  # the Azure CLI run directly: ["az", "<group>", "<command>", ...]
            add("azure-cli", " ".join(w for w in ("az", m.group(1), m.group(2)) if w), m)
        for credential, command in CLI_CREDENTIALS.items():
            for m in re.finditer(rf"\b{credential}\(", text):
                add("azure-cli", command, m)
    return found


# Any call of the three REST clients, whether or not its path is a literal the patterns above can read.
CLIENT_CALLS = {
    "graph": (
        re.compile(r"\b(?:self\.|ctx\.)?graph\.(?:get|post|patch|put|delete|list|request)\("),
        GRAPH_CALL,
    ),
    "keyvault": (re.compile(r"\bself\._call\("), VAULT_CALL),
    "arm": (re.compile(r"\barm\.(?:get|list|delete|post)\("), ARM_CALL),
}


def unreadable_calls() -> list[str]:
    """Client calls whose operation the scan cannot read (a path built elsewhere): each would escape the
    ledger, so the code must name its path where it calls."""
    found = []
    for source in sorted(CODE.glob("*.py")):
        text = source.read_text()
        for kind, (any_call, readable) in CLIENT_CALLS.items():
            read = {m.start() for m in readable.finditer(text)}
            for m in any_call.finditer(text):
                if m.start() not in read and not (kind == "keyvault" and source.name != "keyvault.py"):
                    found.append(f"{kind} call in {_python_place(source, text, _line(text, m.start()))}")
    return found


def created_clients() -> set[str]:
    """Every AWS service the package creates a boto3 client for (``.client("<service>")``), so a client
    of a service added later is scanned too."""
    return {name for path in CODE.glob("*.py") for name in aws_calls.clients_in(ast.parse(path.read_text()))}


def aws_public_calls() -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    texts = {}
    for call in aws_calls.boto3_calls(tuple(sorted(set(aws_calls.SERVICES) | created_clients()))):
        name, line = call.where.split(":")
        text = texts.setdefault(name, (CODE / name).read_text())
        found[("aws", f"{call.service} {call.operation}")].add(_python_place(CODE / name, text, int(line)))
    return found


def aws_console_calls() -> dict[tuple[str, str], set[str]]:
    path = CODE / "aws_console_api.py"
    text = path.read_text()
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for call in aws_calls.console_calls():
        line = int(call.where.split(":")[1])
        found[("aws-console", call.operation)].add(_python_place(path, text, line))
    return found


def terraform_calls() -> dict[tuple[str, str], set[str]]:
    """Each resource and data source type of the module, the provider blocks' authentication, and
    the state backends the steps configure."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for source in sorted(TERRAFORM.rglob("*.tf")):
        where = source.relative_to(TERRAFORM).as_posix()
        text = source.read_text()
        for block, kind, name in TF_BLOCK.findall(text):
            prefix = "data." if block == "data" else ""
            found[("terraform", f"{block} {kind}")].add(f"{where}:{prefix}{kind}.{name}")
        for provider in TF_PROVIDER_BLOCK.findall(text):
            found[("terraform", f"provider {provider}")].add(f"{where}:provider.{provider}")
            for command in PROVIDER_CLI_COMMANDS.get(provider, ()):
                found[("azure-cli", command)].add(f"terraform/{where}:provider.{provider}")
    for source in sorted(TERRAFORM.rglob("*.tf")):
        where = f"{source.relative_to(TERRAFORM).as_posix()}:terraform"
        for m in BACKEND.finditer(source.read_text()):
            found[("terraform", f"backend {m.group(1)}")].add(where)
    for source in sorted((ROOT / "src").rglob("*.groovy")):
        text = _groovy_code(source, keep_strings=True)
        for m in BACKEND.finditer(text):
            found[("terraform", f"backend {m.group(1)}")].add(_groovy_place(source, text, m.start()))
    return found


def _groovy_list(path: Path, name: str) -> list[str]:
    """The string items of ``NAME = [...]`` in a harness source."""
    text = path.read_text()
    m = re.search(rf"\b{name}\s*=\s*\[(.*?)\]", text, re.S)
    return re.findall(r"'(\w+)'", m.group(1)) if m else []


def jenkins_vocabulary() -> tuple[set[str], set[str]]:
    """The steps and bindings, and the Declarative constructs, the pipeline harness emulates (a name
    it does not know fails every harness test), so each one a pipeline calls is an external contract."""
    steps = set()
    for name in ("BLOCK_STEPS", "SIMPLE_STEPS", "BINDINGS"):
        steps |= set(_groovy_list(HARNESS / "PipelineHarness.groovy", name))
    declarative = set()
    for name in ("DECLARATIVE_BLOCKS", "POST_CONDITIONS"):
        declarative |= set(_groovy_list(HARNESS / "HarnessScript.groovy", name))
    for name in ("WRAPPERS", "JOB_PROPERTIES", "OTHER"):
        declarative |= set(_groovy_list(HARNESS / "DeclarativeOptions.groovy", name))
    script = (HARNESS / "HarnessScript.groovy").read_text()
    declarative |= set(re.findall(r"context == 'triggers' && name in \['(\w+)', '(\w+)'\]", script)[0])
    declarative |= {"logRotator", "choice", "booleanParam", "string", "label", "stage"}
    return steps, declarative


# A method definition: "<modifiers and type> name(params) {" on one line.
GROOVY_METHOD = re.compile(
    r"^[ \t]*(?:[\w<>\[\], ]*?[\w>\]][ \t]+)(\w+)[ \t]*\([^;{\n]*\)[ \t]*\{[ \t]*$", re.M
)
NOT_METHODS = ("if", "for", "while", "switch", "catch", "else")
STEP_CALL = re.compile(r"(?<![\w.])(?:steps\.)?(\w+)\s*(?=[({]|\s+\w+\s*:)")


def _groovy_code(source: Path, keep_strings: bool = False) -> str:
    """The source with comments (and single-quoted strings, unless kept) blanked, offsets kept."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", lambda m: " " * len(m.group(0)), source.read_text(), flags=re.S)
    return text if keep_strings else re.sub(r"'(?:[^'\\\n]|\\.)*'", lambda m: " " * len(m.group(0)), text)


def _groovy_place(source: Path, text: str, offset: int) -> str:
    """"file:method" of the method a Groovy offset lies in ("Jenkinsfile" for the pipeline script)."""
    if source.name == "Jenkinsfile":
        return "Jenkinsfile"
    before = [m.group(1) for m in GROOVY_METHOD.finditer(text)
              if m.group(1) not in NOT_METHODS and m.start(1) < offset]
    return f"{source.relative_to(ROOT).as_posix()}:{before[-1] if before else '<script>'}"


def jenkins_calls() -> dict[tuple[str, str], set[str]]:
    steps, declarative = jenkins_vocabulary()
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    jenkinsfile = ROOT / "Jenkinsfile"
    sources = [*sorted((ROOT / "vars").glob("*.groovy")), *sorted((ROOT / "src").rglob("*.groovy")),
               jenkinsfile]
    for source in sources:
        text = _groovy_code(source)
        defined = {m.start(1) for m in GROOVY_METHOD.finditer(text)}

        def place(offset, source=source, text=text):
            return _groovy_place(source, text, offset)

        words = steps | (declarative if source == jenkinsfile else set())
        for m in STEP_CALL.finditer(text):
            if m.group(1) in words and m.start(1) not in defined:
                found[("jenkins", m.group(1))].add(place(m.start()))
        for m in re.finditer(r"\bsteps\.(\w+)\s*\(", text):  # also a step the harness does not know
            found[("jenkins", m.group(1))].add(place(m.start()))
        for m in re.finditer(r"(?<![\w.])(currentBuild|env|params)\.", text):
            found[("jenkins", m.group(1))].add(place(m.start()))
        for m in re.finditer(r"\bagent\s*\{\s*(label)\b", text):  # its argument is a blanked string
            found[("jenkins", m.group(1))].add(place(m.start()))
        for m in re.finditer(r"@Library\b", text):
            found[("jenkins", "@Library")].add(place(m.start()))
    return found


@functools.cache
def all_calls() -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for part in (python_calls(), aws_public_calls(), aws_console_calls(), terraform_calls(), jenkins_calls()):
        for key, places in part.items():
            found[key] |= places
    return dict(found)
