"""Check results as a text table and as JUnit XML (one testsuite per account)."""

import xml.etree.ElementTree as ET
from dataclasses import dataclass


@dataclass
class Check:
    account: str
    name: str
    status: str  # "pass", "fail" or "skip"
    detail: str = ""


def table(checks: list[Check]) -> str:
    rows = [("ACCOUNT", "CHECK", "RESULT", "DETAIL")] + [
        (c.account, c.name, c.status.upper(), c.detail) for c in checks
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = ["  ".join(row[i].ljust(widths[i]) for i in range(3)) + "  " + row[3] for row in rows]
    failed = sum(c.status == "fail" for c in checks)
    lines.append(
        f"{len(checks) - failed} of {len(checks)} checks passed" + (f", {failed} failed" if failed else "")
    )
    return "\n".join(line.rstrip() for line in lines)


def write(checks: list[Check], path: str) -> None:
    root = ET.Element("testsuites", name="entraidc-verify")
    for account in dict.fromkeys(c.account for c in checks):
        mine = [c for c in checks if c.account == account]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"entraidc-verify.{account}",
            tests=str(len(mine)),
            failures=str(sum(c.status == "fail" for c in mine)),
            skipped=str(sum(c.status == "skip" for c in mine)),
        )
        for check in mine:
            case = ET.SubElement(suite, "testcase", classname=f"entraidc.verify.{account}", name=check.name)
            if check.status == "fail":
                ET.SubElement(case, "failure", message=check.detail).text = check.detail
            elif check.status == "skip":
                ET.SubElement(case, "skipped", message=check.detail)
            elif check.detail:
                ET.SubElement(case, "system-out").text = check.detail
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
