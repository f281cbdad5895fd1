"""Sums JUnit XML results per suite and prints the closing line "N passed, N failed".

Exits non-zero when any test failed or when no test ran at all.
"""

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def count(xml_file: Path) -> tuple[int, int]:
    root = ET.parse(xml_file).getroot()  # noqa: S314 - reports written by our own test runners
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    passed = failed = 0
    for suite in suites:
        for case in suite.iter("testcase"):
            if case.find("skipped") is not None:
                continue
            if case.find("failure") is not None or case.find("error") is not None:
                failed += 1
            else:
                passed += 1
    return passed, failed


def main(results_dir: str, suites: list[str]) -> int:
    passed = failed = 0
    for suite in suites:
        for xml_file in sorted(Path(results_dir, suite).glob("**/*.xml")):
            p, f = count(xml_file)
            passed += p
            failed += f
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
