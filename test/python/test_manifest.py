"""The manifest the pipeline steps copy by names every packaged file (tools/manifest.py)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_manifest_lists_exactly_the_packaged_files():
    check = subprocess.run(
        [sys.executable, str(REPO / "tools/manifest.py"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_manifest_names_the_module_and_the_automation():
    names = (REPO / "resources/entraidc/manifest.txt").read_text().splitlines()
    assert "terraform/versions.tf" in names
    assert "python/requirements.txt" in names
    assert "python/label_lines.py" in names
