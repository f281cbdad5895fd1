"""Inputs of a lifecycle report (entraidc.report) as a failed entraScimEnable run leaves them."""

import json
import subprocess
import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[2] / "resources" / "entraidc" / "python"
STARTED = 1764547200000  # 2025-12-01 00:00:00 UTC
PORTAL = "https://d-906700aaaa.awsapps.com/start"

TIMELINE = {
    "step": "entraScimEnable",
    "partitions": ["aws-commercial", "aws-govcloud"],
    "result": "FAILURE",
    "error": "entraScimEnable: scim-enable failed in aws-govcloud: exit code 1. Next: <fix> & run again",
    "startedMillis": STARTED,
    "finishedMillis": STARTED + 90_000,
    "phases": [
        {
            "phase": "prepare",
            "account": "all",
            "startMillis": STARTED,
            "durationMillis": 5000,
            "result": "passed",
        },
        {
            "phase": "apply scim",
            "account": "all",
            "startMillis": STARTED + 5000,
            "durationMillis": 60000,
            "result": "passed",
        },
        {
            "phase": "scim-enable",
            "account": "all",
            "failedAccount": "aws-govcloud",
            "startMillis": STARTED + 65000,
            "durationMillis": 20000,
            "result": "failed",
            "message": "scim-enable failed in aws-govcloud: exit code 1",
        },
        {
            "phase": "verify",
            "account": "all",
            "startMillis": STARTED + 85000,
            "durationMillis": 4000,
            "result": "interrupted",
        },
    ],
}
JUNIT = """<?xml version='1.0' encoding='utf-8'?>
<testsuites name="entraidc-verify"><testsuite name="entraidc-verify.aws-commercial" tests="3">
<testcase classname="entraidc.verify.aws-commercial" name="Step 1: Entra application exists">
<system-out>app 1234</system-out></testcase>
<testcase classname="entraidc.verify.aws-commercial" name="Step 4: RichRoe provisioned">
<failure message="RichRoe not in the identity store">RichRoe not in the identity store</failure></testcase>
<testcase classname="entraidc.verify.aws-commercial" name="Step 5: ABAC claim">
<skipped message="abac off"/></testcase>
</testsuite></testsuites>
"""
OUTPUTS = {
    "aws_accounts": {
        "sensitive": False,
        "value": {
            "aws-commercial": {
                "access_portal_url": PORTAL,
                "instance_arn": "arn:aws:sso:::instance/ssoins-1",
            },
            "aws-govcloud": {"access_portal_url": "javascript:alert(1)"},
        },
    },
    "secret_thing": {"sensitive": True, "value": "s3cr3t-value"},
}
RESULTS = [
    {
        "command": "sweep",
        "ok": True,
        "accounts": [{"account": "aws-commercial", "permissionSets": ["arn:ps-orphan"], "secrets": []}],
        "azure": {"resourceGroups": []},
    },
    {"command": "scim-enable", "ok": False, "error": "RichRoe did not appear"},
]
TERRAFORM_LOG = """module.entra_users.terraform_data.command["NikkiWolf"]: Creating...
module.entra_users.terraform_data.command["NikkiWolf"]: Creation complete after 2s [id=abc]
aws_ssoadmin_permission_set.regional_admin["aws-govcloud"]: Modifications complete after 1s [id=arn:ps-1]
aws_secretsmanager_secret.scim["aws-commercial"]: Destruction complete after 0s
module.x.terraform_data.command["y"] (local-exec): {"ok": true}
Apply complete! Resources: 1 added, 1 changed, 1 destroyed.
"""


def write_inputs(directory: Path) -> dict[str, Path]:
    paths = {
        name: directory / name
        for name in ("timeline.json", "junit.xml", "outputs.json", "results.jsonl", "terraform.log")
    }
    paths["timeline.json"].write_text(json.dumps(TIMELINE))
    paths["junit.xml"].write_text(JUNIT)
    paths["outputs.json"].write_text(json.dumps(OUTPUTS))
    paths["results.jsonl"].write_text("".join(json.dumps(r) + "\n" for r in RESULTS))
    paths["terraform.log"].write_text(TERRAFORM_LOG)
    return paths


def render(directory: Path) -> Path:
    """Renders the report with the agent's way (python3 -m entraidc.report, from python/)."""
    paths = write_inputs(directory)
    html = directory / "report.html"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "entraidc.report",
            "--timeline",
            paths["timeline.json"],
            "--html",
            html,
            "--junit",
            paths["junit.xml"],
            "--outputs",
            paths["outputs.json"],
            "--results",
            paths["results.jsonl"],
            "--terraform-log",
            paths["terraform.log"],
        ],
        cwd=PYTHON_DIR,
        check=True,
        capture_output=True,
    )
    return html
