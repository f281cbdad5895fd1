"""The lifecycle report of one step run: one self-contained HTML page (inline CSS, no script).

``python3 -m entraidc.report --timeline T --html OUT [--junit J] [--outputs O] [--results R]
[--terraform-log L]``. Standard library only, so that the agent's own python3 renders it even when
the run failed before its virtual environment existed. Every input is optional but the timeline:
a step that failed early has no checks, outputs or changes, and the page says so.

Inputs, all written by the step in its work directory and none holding a secret:
the timeline (the phases StageLog recorded), verify's JUnit XML, ``terraform output -json``
(sensitive outputs are skipped), the Python commands' JSON results (``--result-file``, redacted)
and the ``terraform apply``/``destroy`` output as Terraform printed it while it went, of which only
the per-resource lines are read: "Creating..."/"Modifying..."/"Destroying..." when Terraform starts a
change, "Creation/Modifications/Destruction complete after" when it ends (OpenTofu
internal/command/views/hook_ui.go, PreApply and PostApply; no line when the change failed). A
change that started and never completed (the run failed, timed out or was killed) is listed as
not finished: the object may exist. The only links are the access portals' http(s) URLs from the
outputs.
"""

import argparse
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html import escape
from pathlib import Path

RESULT_CLASSES = {
    "passed": "ok",
    "failed": "bad",
    "interrupted": "warn",
    "running": "warn",
    "skipped": "muted",
}
TERRAFORM_DONE = re.compile(
    r"^(?P<address>\S.*?): (?P<what>Creation|Modifications|Destruction) complete after "
)
TERRAFORM_STARTED = re.compile(
    r"^(?P<address>\S.*?): (?P<what>Creating|Modifying|Destroying)\.\.\.(?: \[.*\])?$"
)
# "<address> (local-exec): <line>": a provisioner's own output, whatever it says (hook_ui.go ProvisionOutput).
PROVISIONER_OUTPUT = re.compile(r"^\S.*? \((?:local-exec|remote-exec|file)\): ")
TERRAFORM_WORDS = {"Creation": "created", "Modifications": "updated", "Destruction": "removed"}
STARTED_WORDS = {"Creating": "created", "Modifying": "updated", "Destroying": "removed"}
NOT_FINISHED = "not finished"

LANE_COLUMNS = (
    "<colgroup>" + "".join(f'<col style="width:{w}%">' for w in (22, 20, 8, 8, 10, 32)) + "</colgroup>"
)
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#1d1d1f;max-width:72em}
h1{font-size:1.5em;margin-bottom:.2em}h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;font-size:.92em}th,td{text-align:left;padding:.3em .6em;
border-bottom:1px solid #e4e4e4;vertical-align:top}th{background:#f4f4f6}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
.ok{color:#17702f}.bad{color:#b3261e;font-weight:600}.warn{color:#8a5a00;font-weight:600}.muted{color:#777}
.bar{position:relative;height:.9em;background:#f0f0f3;min-width:12em}
.bar span{position:absolute;top:0;bottom:0;min-width:2px;background:#4a78c2}
.bar span.bad{background:#b3261e}.bar span.warn{background:#d89a00}
table.lanes{table-layout:fixed}.summary{font-size:1.05em}.lane{margin-top:1em;font-weight:600}
"""


def _clock(millis) -> str:
    if millis is None:
        return ""
    return datetime.fromtimestamp(millis / 1000, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _seconds(millis) -> str:
    return "" if millis is None else f"{millis / 1000:.1f} s"


def _result(word: str) -> str:
    return f'<span class="{RESULT_CLASSES.get(word, "")}">{escape(word)}</span>'


def _read_json(path):
    if path and Path(path).is_file():
        return json.loads(Path(path).read_text(encoding="utf-8"))
    return None


def checks(junit_path) -> list[dict]:
    """verify's JUnit XML (junit.py) as rows: account, check, result, detail."""
    if not junit_path or not Path(junit_path).is_file():
        return []
    rows = []
    # The file is our own verify's (junit.py), written in this work directory.
    for case in ET.parse(junit_path).getroot().iter("testcase"):  # noqa: S314
        failure = case.find("failure")
        if failure is None:
            failure = case.find("error")
        skipped = case.find("skipped")
        if failure is not None:
            result, detail = "failed", failure.get("message") or (failure.text or "")
        elif skipped is not None:
            result, detail = "skipped", skipped.get("message") or ""
        else:
            result, detail = "passed", case.findtext("system-out") or ""
        rows.append(
            {
                "account": (case.get("classname") or "").rsplit(".", 1)[-1],
                "check": case.get("name") or "",
                "result": result,
                "detail": detail,
            }
        )
    return rows


def terraform_changes(log_path) -> list[dict]:
    """What Terraform changed, from its apply/destroy output: each resource it finished changing
    (address, "created"/"updated"/"removed"), then each it started and never finished (change "not
    finished", with what it was doing in "doing"), in the order Terraform started them."""
    if not log_path or not Path(log_path).is_file():
        return []
    finished, started = [], {}
    for line in Path(log_path).read_text(encoding="utf-8", errors="replace").splitlines():
        if PROVISIONER_OUTPUT.match(line):
            continue
        done = TERRAFORM_DONE.match(line)
        if done:
            started.pop(done["address"], None)
            finished.append({"address": done["address"], "change": TERRAFORM_WORDS[done["what"]]})
            continue
        begun = TERRAFORM_STARTED.match(line)
        if begun:
            started[begun["address"]] = STARTED_WORDS[begun["what"]]
    pending = [{"address": a, "change": NOT_FINISHED, "doing": doing} for a, doing in started.items()]
    return finished + pending


def command_results(results_path) -> list[dict]:
    if not results_path or not Path(results_path).is_file():
        return []
    lines = Path(results_path).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def flatten(value, path: str = "") -> list[tuple[str, str]]:
    """A command's JSON result as (path, value) rows; a list of per-account maps is keyed by account."""
    if isinstance(value, dict):
        rows = []
        for key, item in value.items():
            if key == "account" and path.endswith(f"[{item}]"):
                continue  # already the row's index
            rows += flatten(item, f"{path}.{key}" if path else str(key))
        return rows
    if isinstance(value, list):
        if value and all(not isinstance(item, (dict, list)) for item in value):
            return [(path, ", ".join(str(item) for item in value))]
        rows = []
        for index, item in enumerate(value):
            name = item.get("account", index) if isinstance(item, dict) else index
            rows += flatten(item, f"{path}[{name}]")
        return rows or [(path, "none")]
    return [(path, "" if value is None else str(value))]


def portals(outputs) -> list[dict]:
    """Access-portal URLs (http or https only) per AWS account from `terraform output -json`."""
    accounts = (outputs or {}).get("aws_accounts") or {}
    if accounts.get("sensitive"):
        return []
    found = []
    for nickname, account in sorted((accounts.get("value") or {}).items()):
        url = (account or {}).get("access_portal_url")
        if isinstance(url, str) and re.match(r"^https?://", url):
            found.append({"account": nickname, "url": url, "instance": account.get("instance_arn") or ""})
    return found


def _table(headers: tuple[str, ...], rows: list[list[str]], css: str = "", columns: str = "") -> str:
    """A table; the cells are HTML already (escaped by the caller)."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    attributes = f' class="{css}"' if css else ""
    return f"<table{attributes}>{columns}<tr>{head}</tr>{body}</table>"


def _bar(phase: dict, start: int, span: int) -> str:
    offset = (phase["startMillis"] - start) * 100 / span
    width = (phase.get("durationMillis") or 0) * 100 / span
    css = RESULT_CLASSES.get(phase["result"], "")
    style = f"left:{offset:.2f}%;width:{width:.2f}%"
    return f'<div class="bar"><span class="{css}" style="{style}"></span></div>'


def _timeline(phases: list[dict], started) -> str:
    if not phases:
        return '<p class="muted">No phase started.</p>'
    start = started if started is not None else min(p["startMillis"] for p in phases)
    end = max(p["startMillis"] + (p.get("durationMillis") or 0) for p in phases)
    span = max(end - start, 1)
    parts = []
    for account in dict.fromkeys(p.get("failedAccount") or p["account"] for p in phases):
        rows = []
        for p in (p for p in phases if (p.get("failedAccount") or p["account"]) == account):
            note = f'<br><span class="muted">{escape(p["message"])}</span>' if p.get("message") else ""
            rows.append(
                [
                    escape(p["phase"]) + note,
                    escape(_clock(p["startMillis"])),
                    "+" + escape(_seconds(p["startMillis"] - start)),
                    escape(_seconds(p.get("durationMillis"))),
                    _result(p["result"]),
                    _bar(p, start, span),
                ]
            )
        label = "all accounts" if account == "all" else account
        headers = ("phase", "start", "offset", "duration", "result", "timeline")
        parts.append(f'<div class="lane">{escape(label)}</div>{_table(headers, rows, "lanes", LANE_COLUMNS)}')
    return "".join(parts)


def _checks(rows: list[dict]) -> str:
    if not rows:
        return '<p class="muted">No verification checks ran in this step.</p>'
    failed = sum(r["result"] == "failed" for r in rows)
    cells = [
        [escape(r["account"]), escape(r["check"]), _result(r["result"]), escape(r["detail"])] for r in rows
    ]
    summary = f"{len(rows) - failed} of {len(rows)} checks passed" + (f", {failed} failed" if failed else "")
    return f"<p>{summary}.</p>" + _table(("account", "check", "result", "detail"), cells)


def _change_cell(change: dict) -> str:
    if change["change"] != NOT_FINISHED:
        return escape(change["change"])
    verb = {"created": "creating", "updated": "updating", "removed": "removing"}[change["doing"]]
    return f'<span class="warn">{verb}, not finished</span>: it may exist'


def _changes(changes: list[dict], results: list[dict]) -> str:
    parts = []
    if changes:
        counts = {word: sum(c["change"] == word for c in changes) for word in TERRAFORM_WORDS.values()}
        summary = ", ".join(f"{n} {word}" for word, n in counts.items())
        unfinished = sum(c["change"] == NOT_FINISHED for c in changes)
        if unfinished:
            summary += f"; {unfinished} not finished"
        cells = [[f"<code>{escape(c['address'])}</code>", _change_cell(c)] for c in changes]
        note = (
            '<p class="muted">Not finished: Terraform started the change and did not report it done before '
            "the run failed or was stopped; the object may exist (outside the state or tainted in it). "
            "Running the step again converges; entraTeardown removes it.</p>"
            if unfinished
            else ""
        )
        parts.append(f"<h3>Terraform: {escape(summary)}</h3>{note}" + _table(("resource", "change"), cells))
    else:
        parts.append('<p class="muted">Terraform created, changed and removed nothing in this step.</p>')
    for result in results:
        data = {k: v for k, v in result.items() if k not in ("command", "ok")}
        cells = [[f"<code>{escape(path)}</code>", escape(value)] for path, value in flatten(data)]
        status = _result("passed" if result.get("ok", True) else "failed")
        parts.append(
            f"<h3>{escape(str(result.get('command', '?')))}: {status}</h3>" + _table(("item", "value"), cells)
        )
    return "".join(parts)


def _portals(found: list[dict]) -> str:
    if not found:
        return '<p class="muted">No access portal in this step\'s outputs.</p>'
    items = "".join(
        f'<li>{escape(p["account"])}: <a href="{escape(p["url"], quote=True)}">{escape(p["url"])}</a>'
        f' <span class="muted">{escape(p["instance"])}</span></li>'
        for p in found
    )
    return f"<ul>{items}</ul>"


def render(
    timeline: dict, check_rows: list[dict], changes: list[dict], results: list[dict], found: list[dict]
) -> str:
    step = str(timeline.get("step", "?"))
    result = str(timeline.get("result", "?"))
    started, finished = timeline.get("startedMillis"), timeline.get("finishedMillis")
    duration = _seconds(finished - started) if started is not None and finished is not None else ""
    error = f'<p class="bad">{escape(str(timeline["error"]))}</p>' if timeline.get("error") else ""
    accounts = ", ".join(str(a) for a in timeline.get("partitions") or [])
    css = {"SUCCESS": "ok", "UNSTABLE": "warn", "FAILURE": "bad", "ABORTED": "warn"}.get(result, "")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(step)} lifecycle report</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(step)}: lifecycle report</h1>"
        f'<p class="summary">Result: <span class="{css}" id="result">{escape(result)}</span>; '
        f"started {escape(_clock(started))}, took {escape(duration)}; "
        f"AWS accounts: {escape(accounts)}.</p>{error}"
        f"<h2>Access portals</h2>{_portals(found)}"
        f"<h2>Phases</h2>{_timeline(timeline.get('phases') or [], started)}"
        f"<h2>Verification checks</h2>{_checks(check_rows)}"
        f"<h2>Created and removed</h2>{_changes(changes, results)}"
        "</body></html>\n"
    )


def main(argv=None) -> int:
    top = argparse.ArgumentParser(prog="python3 -m entraidc.report", description=__doc__.splitlines()[0])
    top.add_argument("--timeline", required=True, help="the phases the step recorded (JSON)")
    top.add_argument("--html", required=True, help="write the report here")
    top.add_argument("--junit", help="verify's JUnit XML")
    top.add_argument("--outputs", help="terraform output -json")
    top.add_argument("--results", help="the Python commands' results, one JSON line each")
    top.add_argument("--terraform-log", help="the terraform apply and destroy output")
    args = top.parse_args(argv)
    timeline = _read_json(args.timeline)
    page = render(
        timeline,
        checks(args.junit),
        terraform_changes(args.terraform_log),
        command_results(args.results),
        portals(_read_json(args.outputs)),
    )
    Path(args.html).write_text(page, encoding="utf-8")
    print(f"lifecycle report: {args.html}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
