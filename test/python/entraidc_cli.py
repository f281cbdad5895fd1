"""Runs `python -m entraidc` as the Terraform provisioners and pipeline steps do, capturing output."""

import json
import os
import subprocess
import sys
from pathlib import Path

from marked_processes import marked

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "resources" / "entraidc" / "python"


def run(args: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("ENTRAIDC_", "AZURE_"))}
    full_env.update(env)
    # ENTRAIDC_TEST_PYTHONPATH: a test's hooks (a sitecustomize, e.g. test/support/graph_bodies).
    full_env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PACKAGE_DIR), env.get("ENTRAIDC_TEST_PYTHONPATH")])
    )
    return subprocess.run(
        [sys.executable, "-m", "entraidc", *args],
        env=marked(full_env),
        cwd=PACKAGE_DIR,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])
