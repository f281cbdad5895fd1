"""The lifecycle report as a browser shows it: one render in headless Chromium (Debian's package,
installed by `./lab toolchain`), the phases and checks looked up in the DOM it built."""

import shutil
import subprocess

import pytest
from report_fixture import render
from test_lifecycle_report import Page

# As the machine notes advise for a closed network: no background connections, no first-run work.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def test_chromium_renders_the_phases_and_checks(tmp_path):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("chromium is not installed: run ./lab toolchain (it installs Debian's chromium package)")
    html = render(tmp_path)
    dom = subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    page = Page(dom)
    text = page.joined()
    assert page.tags.count("tr") > 10, dom[:2000]
    for phase in (
        "prepare 2025-12-01 00:00:00 UTC +0.0 s 5.0 s passed",
        "apply scim 2025-12-01 00:00:05 UTC +5.0 s 60.0 s passed",
        "scim-enable failed in aws-govcloud: exit code 1 2025-12-01 00:01:05 UTC +65.0 s 20.0 s failed",
    ):
        assert phase in text, text
    for check in ("Step 1: Entra application exists passed", "Step 4: RichRoe provisioned failed"):
        assert check in text, text
    assert "Result: FAILURE" in text
