"""Writes JUnit XML for the Terraform suite.

junit.py step NAME EXIT_CODE LOG_FILE OUT_XML   one test case from a command's exit code and log
junit.py tofu-test JSON_FILE OUT_XML            one test case per run block, from `tofu test -json`
"""

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def write(out: Path, suite: str, cases: list[tuple[str, str, str | None, str]]) -> None:
    """cases: (classname, name, failure message or None, details)."""
    failures = sum(1 for case in cases if case[2] is not None)
    root = ET.Element("testsuite", name=suite, tests=str(len(cases)), failures=str(failures))
    for classname, name, failure, details in cases:
        case = ET.SubElement(root, "testcase", classname=classname, name=name)
        if failure is not None:
            ET.SubElement(case, "failure", message=failure).text = details
        elif details:
            ET.SubElement(case, "system-out").text = details
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)


def step(name: str, exit_code: str, log_file: str, out: str) -> int:
    log = Path(log_file).read_text(errors="replace")[-20000:]
    failure = None if exit_code == "0" else f"exit status {exit_code}"
    write(Path(out), "terraform", [("terraform", name, failure, log)])
    return 0


def tofu_test(json_file: str, out: str) -> int:
    runs: dict[tuple[str, str], str] = {}
    messages: dict[tuple[str, str], list[str]] = {}
    file_errors: list[str] = []
    for line in Path(json_file).read_text().splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        key = (message.get("@testfile", ""), message.get("@testrun", ""))
        if message.get("type") == "test_run":
            run = message["test_run"]
            # OpenTofu reports each run once, with its status; Terraform adds "progress".
            if run.get("progress", "complete") == "complete" and "status" in run:
                runs[(run["path"], run["run"])] = run["status"]
        elif message.get("type") == "diagnostic":
            diag = message.get("diagnostic", {})
            text = f"{diag.get('severity')}: {diag.get('summary')}: {diag.get('detail', '')}"
            if key[1]:
                messages.setdefault(key, []).append(text)
            elif diag.get("severity") == "error":
                file_errors.append(text)
    cases = []
    for (path, run), status in runs.items():
        details = "\n".join(messages.get((path, run), []))
        cases.append((path, run, None if status == "pass" else f"run {status}", details))
    if file_errors or not cases:
        cases.append(
            ("tofu test", "test files load and run", "errors outside any run", "\n".join(file_errors))
        )
    write(Path(out), "tofu-test", cases)
    return 0


def summary(json_file: str) -> int:
    for line in Path(json_file).read_text().splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("type") in ("test_run", "test_summary", "diagnostic"):
            if message.get("type") != "test_run" or "status" in message["test_run"]:
                print(message.get("@message", ""))
                detail = message.get("diagnostic", {}).get("detail")
                if detail:
                    print("  " + detail.replace("\n", "\n  "))
    return 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    sys.exit({"step": step, "tofu-test": tofu_test, "summary": summary}[command](*args))
