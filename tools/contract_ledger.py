"""The contract ledger: docs/contracts/<kind>.yaml, one row per external operation the product performs or
relies on, rendered into docs/contracts.md, the per-call Azure table of docs/permissions.md and the
first-run list of the README (the rows marked inferred).

    ~/.cache/entra-idc/venv/bin/python tools/contract_ledger.py          # rewrite the rendered files
    ~/.cache/entra-idc/venv/bin/python tools/contract_ledger.py --check  # exit 1 when one is stale
    ~/.cache/entra-idc/venv/bin/python tools/contract_ledger.py --update-used-in  # used_in from the code

test/python/test_contracts.py keeps the ledger complete (a row for every call of the code) and true to
its own references (every named test exists, every permission is the user-facing policy's).

A row (one YAML mapping):
  op               the operation: "METHOD /path/{id}" (graph, keyvault, arm), "<service> <Operation>"
                   (aws), the console operation (aws-console), "resource|data|provider|backend <type>"
                   (terraform), the step or construct (jenkins), the command (azure-cli)
  used_in          where the code calls it, "file:function" as test_contracts.py finds them; [] for
                   what the product relies on without calling it (then a note says who calls it)
  source           the owner's sources: page URLs, botocore model, provider or plugin source file
  permission       what it needs: IAM actions ("sso:CreatePermissionSet"), "graph:<permission>",
                   "azure-role:<role>", or "none"; permission_note says more (least-privileged, scope)
  signing, hosts   aws and aws-console: the SigV4 signing name, the host per partition
  api              terraform: the API operations the provider performs for it
  plugin           jenkins: the plugin that provides it
  behaviours       what the product depends on or must survive: each "says", and "test" (file::name)
                   or "not_modelled" (why); "inferred" when no public source settles it
  inferred         what no public source settles about the row, and what would settle it
  review           unreviewed | confirmed | contradicted | unknown, set by a reviewer who read only the
                   row and its sources; review_note says what was read (an unknown row gets inferred)
  note             anything else a reader needs"""

import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "docs" / "contracts"
CONTRACTS_MD = ROOT / "docs" / "contracts.md"
PERMISSIONS_MD = ROOT / "docs" / "permissions.md"
README = ROOT / "README.md"

KINDS = {
    "graph": "Microsoft Graph (https://graph.microsoft.com/v1.0)",
    "keyvault": "Key Vault data plane (https://<vault>.vault.azure.net, api-version 7.4)",
    "arm": "Azure Resource Manager (https://management.azure.com)",
    "http": "Other HTTP requests",
    "azure-cli": "Azure CLI commands the credentials run",
    "aws": "AWS public APIs (boto3; signing name and host per partition from botocore)",
    "aws-console": "AWS console-only operations (aws_console_api.py)",
    "terraform": "Terraform: the module's resources, data sources, provider blocks and backend",
    "jenkins": "Jenkins steps, Declarative constructs and globals",
}
VERDICTS = ("unreviewed", "confirmed", "contradicted", "unknown")
ROW_KEYS = {"op", "used_in", "source", "permission", "permission_note", "behaviours", "inferred", "review",
            "review_note", "signing", "hosts", "api", "plugin", "note"}
BEHAVIOUR_KEYS = {"says", "test", "not_modelled", "inferred"}
PERMISSION = re.compile(r"^(none|[a-z0-9-]+:[A-Za-z0-9*]+|graph:[A-Za-z.]+|azure-role:[A-Za-z ]+)$")

BEGIN = "<!-- generated from docs/contracts/*.yaml by tools/contract_ledger.py ({}); do not edit -->"
END = "<!-- end of generated {} -->"


class LedgerError(ValueError):
    pass


def load(directory: Path = LEDGER) -> dict[str, list[dict]]:
    """kind -> rows, each checked for its shape."""
    ledger = {}
    for kind in KINDS:
        path = directory / f"{kind}.yaml"
        rows = yaml.safe_load(path.read_text()) if path.exists() else []
        for row in rows or []:
            _check_row(kind, row)
        ledger[kind] = rows or []
    extra = {p.stem for p in directory.glob("*.yaml")} - set(KINDS)
    if extra:
        raise LedgerError(f"unknown ledger files {sorted(extra)}: the kinds are {sorted(KINDS)}")
    return ledger


def _check_row(kind: str, row: dict) -> None:
    where = f"{kind}.yaml row {row.get('op')!r}"
    unknown = set(row) - ROW_KEYS
    if unknown:
        raise LedgerError(f"{where}: unknown keys {sorted(unknown)}")
    for key, kind_of in (("op", str), ("used_in", list), ("source", list), ("permission", list),
                         ("behaviours", list), ("review", str)):
        if not isinstance(row.get(key), kind_of):
            raise LedgerError(f"{where}: {key} must be a {kind_of.__name__}")
    if row["review"] not in VERDICTS:
        raise LedgerError(f"{where}: review must be one of {VERDICTS}")
    for permission in row["permission"]:
        if not PERMISSION.match(permission):
            raise LedgerError(f"{where}: permission {permission!r} is not 'none', an IAM action, "
                              "'graph:<permission>' or 'azure-role:<role>'")
    for behaviour in row["behaviours"]:
        if set(behaviour) - BEHAVIOUR_KEYS or "says" not in behaviour:
            raise LedgerError(f"{where}: a behaviour has keys {sorted(behaviour)}; it needs says, and test "
                              "or not_modelled")
        if ("test" in behaviour) == ("not_modelled" in behaviour):
            raise LedgerError(f"{where}: behaviour {behaviour['says'][:60]!r} needs exactly one of test and "
                              "not_modelled")


def inferred_rows(ledger: dict[str, list[dict]]) -> list[tuple[str, dict, str]]:
    """(kind, row, what is inferred and what would settle it), row-level and behaviour-level."""
    found = []
    for kind, rows in ledger.items():
        for row in rows:
            if row.get("inferred"):
                found.append((kind, row, row["inferred"]))
            for behaviour in row["behaviours"]:
                if behaviour.get("inferred"):
                    found.append((kind, row, f"{behaviour['says']} — {behaviour['inferred']}"))
    return found


def _inferred_behaviour(row: dict) -> bool:
    return any(b.get("inferred") for b in row["behaviours"])


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def _link(source: str) -> str:
    return f"<{source}>" if source.startswith("http") else source


def _behaviour(b: dict) -> str:
    held = f"test `{b['test']}`" if "test" in b else f"not modelled: {b['not_modelled']}"
    inferred = f" *inferred*: {b['inferred']}" if b.get("inferred") else ""
    return f"{b['says']} ({held}){inferred}"


def _row_block(kind: str, row: dict) -> str:
    lines = [f"#### `{row['op']}`", ""]
    facts = [("used in", ", ".join(f"`{u}`" for u in row["used_in"]) or "relied on, not called")]
    if row.get("plugin"):
        facts.append(("plugin", row["plugin"]))
    if row.get("signing"):
        facts.append(("signing name", f"`{row['signing']}`"))
    if row.get("hosts"):
        facts.append(("host", "; ".join(f"{p}: `{h}`" for p, h in row["hosts"].items())))
    if row.get("api"):
        facts.append(("API operations", ", ".join(f"`{a}`" for a in row["api"])))
    facts.append(("source", "; ".join(_link(s) for s in row["source"])))
    permission = ", ".join(f"`{p}`" for p in row["permission"])
    if row.get("permission_note"):
        permission += f" ({row['permission_note']})"
    facts.append(("needs", permission))
    if row.get("note"):
        facts.append(("note", row["note"]))
    if row.get("inferred"):
        facts.append(("*inferred*", row["inferred"]))
    facts.append(("review", row["review"] + (f" — {row['review_note']}" if row.get("review_note") else "")))
    lines += [f"- **{name}**: {_cell(value)}" for name, value in facts]
    if row["behaviours"]:
        lines.append("- **behaviours**:")
        lines += [f"  - {_cell(_behaviour(b))}" for b in row["behaviours"]]
    return "\n".join(lines) + "\n"


def render_contracts(ledger: dict[str, list[dict]]) -> str:
    total = sum(len(rows) for rows in ledger.values())
    parts = [
        "# Contract ledger",
        "",
        BEGIN.format("contracts.md"),
        "",
        "Every external operation entra-idc performs or relies on, with where the code uses it, the owner's "
        "source, the permission it needs, the behaviours the product depends on or must survive and the "
        "test that models each (or why none does). What no public source settles is marked *inferred*, "
        "with what would settle it; the README's \"First run against real accounts\" lists those. "
        "`test/python/test_contracts.py` fails when the code makes a call with no row here, a row names "
        "no source, or a behaviour names a test that does not exist. Edit `docs/contracts/<kind>.yaml`, "
        "then run `tools/contract_ledger.py`.",
        "",
        "| kind | rows | with a source | *inferred* | reviewed |",
        "|---|---|---|---|---|",
    ]
    for kind, rows in ledger.items():
        inferred = sum(1 for r in rows if r.get("inferred") or _inferred_behaviour(r))
        reviewed = sum(1 for r in rows if r["review"] != "unreviewed")
        sourced = sum(1 for r in rows if r["source"])
        parts.append(f"| {kind} | {len(rows)} | {sourced} | {inferred} | {reviewed} |")
    parts += [f"| all | {total} | | | |", ""]
    for kind, rows in ledger.items():
        parts += [f"## {kind}: {KINDS[kind]}", ""]
        parts += [_row_block(kind, row) for row in sorted(rows, key=lambda r: r["op"])]
    parts.append(END.format("contracts.md"))
    return "\n".join(parts).rstrip() + "\n"


def render_azure_table(ledger: dict[str, list[dict]]) -> str:
    """The per-call table of docs/permissions.md ("Every call the code makes"), from the ledger."""
    lines = ["| service | method | path | least permission (app-only) | reference |", "|---|---|---|---|---|"]
    for kind in ("graph", "keyvault", "arm"):
        for row in ledger[kind]:
            method, path = row["op"].split(" ", 1)
            names = [p.split(":", 1)[1] for p in row["permission"] if p != "none"]
            permission = " + ".join(names) or "none"
            if row.get("permission_note"):
                permission += f" ({row['permission_note']})"
            reference = ", ".join(f"[{_page(s)}]({s})" for s in row["source"] if s.startswith("http"))
            lines.append(f"| {kind} | {method} | `{path}` | {_cell(permission)} | {reference} |")
    return "\n".join(lines) + "\n"


def _page(url: str) -> str:
    return url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]


def render_first_run(ledger: dict[str, list[dict]]) -> str:
    """One item per inferred matter, naming every row it concerns."""
    rows_of: dict[str, list[str]] = {}
    for kind, row, what in inferred_rows(ledger):
        rows_of.setdefault(what, []).append(f"`{kind}` `{row['op']}`")
    return "".join(f"- {', '.join(rows)}: {_cell(what)}\n" for what, rows in rows_of.items())


def _replace_between(text: str, name: str, body: str, path: Path) -> str:
    begin, end = BEGIN.format(name), END.format(name)
    if begin not in text or end not in text:
        raise LedgerError(f"{path.relative_to(ROOT)} has no generated section {name!r} ({begin} … {end})")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}{end}{tail}"


def rendered(ledger: dict[str, list[dict]]) -> dict[Path, str]:
    """Each rendered file's full text as it must be."""
    return {
        CONTRACTS_MD: render_contracts(ledger),
        PERMISSIONS_MD: _replace_between(
            PERMISSIONS_MD.read_text(), "azure calls", render_azure_table(ledger), PERMISSIONS_MD
        ),
        README: _replace_between(README.read_text(), "first-run list", render_first_run(ledger), README),
    }


def update_used_in(directory: Path = LEDGER) -> list[str]:
    """Rewrites each row's used_in to where the code calls it now (test/python/contract_calls.py), in
    place, leaving the rest of each file as it is; returns the operations changed. Rows the code no
    longer calls, and calls without a row, are left for a person: test_contracts.py names them."""
    sys.path[:0] = [str(ROOT / "test" / "python"), str(ROOT / "resources" / "entraidc" / "python")]
    import contract_calls  # noqa: PLC0415 - the scan needs botocore and the package, only here

    calls = contract_calls.all_calls()
    changed = []
    for kind in KINDS:
        path = directory / f"{kind}.yaml"
        if not path.exists():
            continue
        text = path.read_text()
        for row in yaml.safe_load(text) or []:
            found = sorted(calls.get((kind, row["op"]), set()))
            if found and found != sorted(row["used_in"]):
                text = _with_used_in(text, row["op"], found)
                changed.append(f"{kind}: {row['op']}")
        path.write_text(text)
    return changed


def _with_used_in(text: str, op: str, places: list[str]) -> str:
    """The YAML text with the used_in list of the row whose op is ``op`` replaced."""
    rows = re.finditer(r"^- op: (.*)$", text, re.M)
    start = next(m.end() for m in rows if yaml.safe_load(m.group(1)) == op)
    block = re.compile(r"^  used_in:.*\n(?:  - .*\n)*", re.M).search(text, start)
    listed = "".join(f"  - {yaml.safe_dump(p, default_style=None).splitlines()[0]}\n" for p in places)
    return f"{text[:block.start()]}  used_in:\n{listed}{text[block.end():]}"


def main(argv: list[str]) -> int:
    if "--update-used-in" in argv:
        for op in update_used_in():
            print(f"used_in updated: {op}")
    files = rendered(load())
    stale = [path for path, text in files.items() if not path.exists() or path.read_text() != text]
    if "--check" in argv:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is stale: run tools/contract_ledger.py", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path])
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
