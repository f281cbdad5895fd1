"""The lifecycle report's renderer (entraidc.report): what the page shows, and that it is self-contained."""

import json
from html.parser import HTMLParser
from pathlib import Path

from entraidc import report
from report_fixture import PORTAL, TIMELINE, render


class Page(HTMLParser):
    """Tags, link targets, resource references and text of a rendered page."""

    def __init__(self, text: str):
        super().__init__()
        self.tags, self.links, self.sources, self.text = [], [], [], []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs.get("href"))
        self.sources += [attrs[name] for name in ("src", "srcset", "action", "data") if name in attrs]
        if tag == "link":
            self.sources.append(attrs.get("href"))

    def handle_data(self, data):
        self.text.append(data)

    def joined(self) -> str:
        return " ".join(" ".join(self.text).split())


def test_the_page_shows_phases_per_account_checks_changes_and_portals(tmp_path):
    page = render(tmp_path).read_text()
    text = Page(page).joined()
    assert "entraScimEnable: lifecycle report" in text
    assert "Result: FAILURE" in text
    headers = "phase start offset duration result timeline"
    assert f"all accounts {headers} prepare 2025-12-01 00:00:00 UTC +0.0 s 5.0 s passed" in text
    assert "apply scim 2025-12-01 00:00:05 UTC +5.0 s 60.0 s passed" in text
    assert f"aws-govcloud {headers} scim-enable scim-enable failed in aws-govcloud" in text
    assert "verify 2025-12-01 00:01:25 UTC +85.0 s 4.0 s interrupted" in text
    assert "2 of 3 checks passed, 1 failed." in text
    assert "aws-commercial Step 4: RichRoe provisioned failed RichRoe not in the identity store" in text
    assert "Step 5: ABAC claim skipped abac off" in text
    assert "Terraform: 1 created, 1 updated, 1 removed" in text
    assert 'module.entra_users.terraform_data.command["NikkiWolf"] created' in text
    assert 'aws_secretsmanager_secret.scim["aws-commercial"] removed' in text
    assert "(local-exec)" not in text, "a provisioner's output line is not a change"
    assert "sweep: passed item value accounts[aws-commercial].permissionSets arn:ps-orphan" in text
    assert "scim-enable: failed item value error RichRoe did not appear" in text


def test_the_page_is_self_contained_and_links_only_to_the_portals(tmp_path):
    page = render(tmp_path).read_text()
    parsed = Page(page)
    assert parsed.links == [PORTAL], "only http(s) portal URLs are links (not javascript:)"
    assert parsed.sources == []
    assert "script" not in parsed.tags and "iframe" not in parsed.tags
    assert "<style>" in page and "url(" not in page


def test_text_is_escaped_and_sensitive_outputs_are_left_out(tmp_path):
    page = render(tmp_path).read_text()
    assert "Next: &lt;fix&gt; &amp; run again" in page
    assert "<fix>" not in page
    assert "s3cr3t-value" not in page


def test_a_step_that_stopped_early_still_gets_a_page_saying_what_is_missing(tmp_path):
    timeline = tmp_path / "timeline.json"
    timeline.write_text(json.dumps({**TIMELINE, "phases": TIMELINE["phases"][:1], "result": "FAILURE"}))
    html = tmp_path / "report.html"
    missing = str(tmp_path / "absent")
    assert (
        report.main(
            [
                "--timeline",
                str(timeline),
                "--html",
                str(html),
                "--junit",
                missing,
                "--outputs",
                missing,
                "--results",
                missing,
                "--terraform-log",
                missing,
            ]
        )
        == 0
    )
    text = Page(html.read_text()).joined()
    assert "No verification checks ran in this step." in text
    assert "Terraform created, changed and removed nothing in this step." in text
    assert "No access portal in this step's outputs." in text
    assert "prepare" in text


def test_a_list_of_per_account_results_is_keyed_by_account():
    rows = report.flatten(
        {"accounts": [{"account": "aws-govcloud", "secrets": ["s1", "s2"], "changed": False}]}
    )
    assert rows == [("accounts[aws-govcloud].secrets", "s1, s2"), ("accounts[aws-govcloud].changed", "False")]


# What OpenTofu 1.12.6 printed in a real `apply saml` against the twin until the demo's time limit
# stopped it (every CreatePermissionSet throttled): LabDemoEndToEndTest's run, labels stripped.
STOPPED_APPLY = Path(__file__).resolve().parents[1] / "fixtures" / "tofu-output" / "apply-saml-stopped.log"
PERMISSION_SETS = [
    'module.aws_govcloud[0].aws_ssoadmin_permission_set.this["RegionalAdmin"]',
    'module.aws_govcloud[0].aws_ssoadmin_permission_set.this["AdministratorAccess"]',
    'module.aws_commercial[0].aws_ssoadmin_permission_set.this["AdministratorAccess"]',
    'module.aws_commercial[0].aws_ssoadmin_permission_set.this["RegionalAdmin"]',
]


def test_a_stopped_apply_lists_what_it_finished_then_what_it_started_and_never_finished():
    changes = report.terraform_changes(STOPPED_APPLY)
    assert [(c["address"], c["change"]) for c in changes] == [
        ("azurerm_resource_group.this", "created"),
        ("azurerm_key_vault.this", "created"),
        ("azurerm_role_assignment.caller_secrets_officer", "created"),
        *[(address, "not finished") for address in PERMISSION_SETS],
        ('module.entra_users["saml"].terraform_data.run["entra-users/NikkiWolf"]', "not finished"),
        ('module.entra_app.terraform_data.run["entra-app/aws-govcloud"]', "not finished"),
        ('module.entra_app.terraform_data.run["entra-app/aws-commercial"]', "not finished"),
    ]
    assert {c.get("doing") for c in changes if c["change"] == "not finished"} == {"created"}


def test_an_apply_stopped_before_any_create_completed_still_lists_the_creates_it_started(tmp_path):
    # Up to the resource group's completion (23 s): it is still creating, like the permission sets.
    lines = STOPPED_APPLY.read_text().splitlines()
    lines = lines[: next(i for i, line in enumerate(lines) if "Creation complete" in line)]
    assert lines[-1].endswith("Still creating... [20s elapsed]")
    log = tmp_path / "terraform-apply.log"
    log.write_text("\n".join(lines) + "\n")
    changes = report.terraform_changes(log)
    assert [c["address"] for c in changes] == ["azurerm_resource_group.this", *PERMISSION_SETS]
    assert {c["change"] for c in changes} == {"not finished"}
    html = report.render(TIMELINE | {"result": "ABORTED"}, [], changes, [], [])
    text = Page(html).joined()
    assert "Terraform created, changed and removed nothing" not in text
    assert "Terraform: 0 created, 0 updated, 0 removed; 5 not finished" in text
    assert "azurerm_resource_group.this creating, not finished : it may exist" in text


def test_a_change_finished_by_a_later_apply_of_the_same_run_is_not_left_unfinished(tmp_path):
    # terraform-apply.log is appended to by each apply and destroy of a step (EntraRun.terraformChanging).
    log = tmp_path / "terraform-apply.log"
    address = PERMISSION_SETS[0]
    log.write_text(
        f"{address}: Creating...\n"
        "Error: creating SSO Permission Set (RegionalAdmin): operation error SSO Admin: CreatePermissionSet\n"
        f"{address}: Creating...\n"
        f"{address}: Creation complete after 1s [id=arn:aws-us-gov:sso:::permissionSet/ssoins-1/ps-1]\n"
        "aws_secretsmanager_secret.scim: Destroying... [id=arn:aws:secretsmanager:us-east-1:1111:secret:s]\n"
        'module.x.terraform_data.run["y"] (local-exec): Creating...\n'
    )
    assert report.terraform_changes(log) == [
        {"address": address, "change": "created"},
        {"address": "aws_secretsmanager_secret.scim", "change": "not finished", "doing": "removed"},
    ]
