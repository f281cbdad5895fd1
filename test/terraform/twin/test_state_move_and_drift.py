"""The root module with the real OpenTofu, providers and Python automation against the twin:
state of the layout before modules/entraidc-command moves into it without any change, an
unchanged lab plans exit 0 (`plan -detailed-exitcode`), and a change made behind Terraform's
back plans exit 2 and is named.

OpenTofu's exit codes: https://opentofu.org/docs/cli/commands/plan/ (-detailed-exitcode: 0 no
changes, 1 error, 2 changes); moved blocks: https://opentofu.org/docs/language/modules/develop/refactoring/.
"""

import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import boto3
import pytest
from tofu_twin import MODULE, ROOT, tofu_runner

# main before modules/entraidc-command: one terraform_data per command in entra.tf, and the
# subscription check with a data source of its own.
OLD_LAYOUT = "3057c6cffd787e9823279dfcda5f760ab65c6226"
SAML_PHASE_MOVES = {
    'terraform_data.entra_user["NikkiWolf"]': (
        'module.entra_users["saml"].terraform_data.run["entra-users/NikkiWolf"]'
    ),
    **{
        f'terraform_data.{old}["{key}"]': f'module.{old}.terraform_data.run["{command}/{key}"]'
        for old, command, keys in (
            ("entra_app", "entra-app", ("aws-commercial", "aws-govcloud")),
            ("entra_assign", "entra-assign", ("aws-commercial/NikkiWolf", "aws-govcloud/NikkiWolf")),
            ("saml_federate", "saml-federate", ("aws-commercial", "aws-govcloud")),
        )
        for key in keys
    },
    **{
        f"module.{account}[0].aws_ssoadmin_permission_set.{old}": (
            f'module.{account}[0].aws_ssoadmin_permission_set.this["{name}"]'
        )
        for account in ("aws_commercial", "aws_govcloud")
        for old, name in (
            ("regional_admin", "RegionalAdmin"),
            ("administrator_access", "AdministratorAccess"),
        )
    },
}
REGIONAL_ADMIN = 'module.aws_govcloud[0].aws_ssoadmin_permission_set.this["RegionalAdmin"]'


def export_old_layout(target: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", OLD_LAYOUT, "resources/entraidc/terraform"],
        capture_output=True,
        check=False,
    )
    assert archive.returncode == 0, f"git archive {OLD_LAYOUT}: {archive.stderr.decode()}"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def switch_to_current_layout(work: Path) -> None:
    """Replaces the configuration, keeping state and .terraform, as a pipeline checkout would."""
    for path in work.iterdir():
        if path.name in ("modules",) or path.suffix == ".tf":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in MODULE.iterdir():
        if path.name == "modules":
            shutil.copytree(path, work / "modules")
        elif path.suffix == ".tf":
            shutil.copy(path, work)


def register_key_vault(environ: dict) -> None:
    """The old layout registers no resource provider (resource_provider_registrations = "none" alone): it
    ran in subscriptions that had Microsoft.KeyVault registered, which the twin's fresh one has not."""
    import requests
    from azure.identity import EnvironmentCredential

    token = EnvironmentCredential().get_token("https://management.azure.com/.default").token
    done = requests.post(
        f"https://management.azure.com/subscriptions/{environ['ARM_SUBSCRIPTION_ID']}"
        "/providers/Microsoft.KeyVault/register?api-version=2022-09-01",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert done.status_code == 200, done.text


@pytest.fixture
def tofu(twin_environ, twin_reset, tmp_path):
    export_old_layout(tmp_path)
    register_key_vault(twin_environ)
    run = tofu_runner(tmp_path / "resources" / "entraidc" / "terraform")
    yield run
    run("destroy", "-auto-approve", "-input=false", expect=(0, 1))


def live_objects(twin_admin) -> dict:
    """The twin's inventory without Entra's recycle bin: a deleted user stays there when the login
    is app-only, which may not purge it (403 as Graph documents; test_azure_findings_twin.py)."""
    status, inventory = twin_admin("GET", "/inventory")
    assert status == 200, inventory
    inventory["azure-id"].pop("deletedItems")
    return inventory


def planned(tofu, *args: str) -> tuple[int, dict]:
    """plan -detailed-exitcode, and the plan as `show -json` reads it."""
    plan = tofu("plan", "-input=false", "-detailed-exitcode", "-out=plan.bin", *args, expect=(0, 2))
    code = plan.returncode
    return code, json.loads(tofu("show", "-json", "plan.bin").stdout)


def changed(plan: dict) -> dict[str, list[str]]:
    return {
        change["address"]: change["change"]["actions"]
        for change in plan.get("resource_changes", [])
        if change["change"]["actions"] != ["no-op"]
    }


@pytest.mark.e2e
@pytest.mark.timeout(1800)
def test_old_state_moves_without_change_and_drift_is_named(tofu, twin_admin):
    before = live_objects(twin_admin)
    tofu("init", "-input=false")
    tofu("apply", "-auto-approve", "-input=false")
    code, plan = planned(tofu)
    # The defect this module had: the check's own data source is read again at every apply.
    assert (code, changed(plan)) == (2, {"data.azurerm_subscription.current": ["read"]}), changed(plan)

    switch_to_current_layout(tofu.work)
    tofu("init", "-input=false")
    code, plan = planned(tofu)
    assert changed(plan) == {}, "the new layout must plan no create, update, replace or delete"
    moved = {
        change["previous_address"]: change["address"]
        for change in plan["resource_changes"]
        if change.get("previous_address")
    }
    assert moved == SAML_PHASE_MOVES
    tofu("apply", "-input=false", "plan.bin")

    code, plan = planned(tofu)
    assert (code, changed(plan)) == (0, {}), "an unchanged lab plans exit 0"

    session = boto3.Session(profile_name="aws-govcloud")
    admin = session.client("sso-admin")
    instance = admin.list_instances()["Instances"][0]["InstanceArn"]
    arns = admin.list_permission_sets(InstanceArn=instance)["PermissionSets"]
    regional = next(
        arn
        for arn in arns
        if admin.describe_permission_set(InstanceArn=instance, PermissionSetArn=arn)["PermissionSet"]["Name"]
        == "RegionalAdmin"
    )
    # As the console does, with every field (the twin answers a number for an omitted SessionDuration).
    admin.update_permission_set(
        InstanceArn=instance, PermissionSetArn=regional, Description="by hand", SessionDuration="PT1H"
    )
    code, plan = planned(tofu)
    assert (code, changed(plan)) == (2, {REGIONAL_ADMIN: ["update"]})

    tofu("destroy", "-auto-approve", "-input=false")
    assert live_objects(twin_admin) == before, "destroy through the module's provisioners left objects behind"
