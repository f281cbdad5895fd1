"""The lifecycle report's renderer (entraidc.report): what the page shows, and that it is self-contained."""

import json
from html.parser import HTMLParser

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
