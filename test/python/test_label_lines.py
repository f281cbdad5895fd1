"""The log labeller used by the pipeline steps (resources/entraidc/python/label_lines.py)."""

import io
import subprocess
import sys
from pathlib import Path

import label_lines

SCRIPT = Path(__file__).resolve().parents[2] / "resources/entraidc/python/label_lines.py"


def test_account_from_python_tag_terraform_address_or_default():
    assert label_lines.account_of("[aws-govcloud] token stored", "all") == ("aws-govcloud", "token stored")
    federate = 'module.saml_federate.terraform_data.run["saml-federate/aws-commercial"] (local-exec): done'
    assert label_lines.account_of(federate, "all")[0] == "aws-commercial"
    assert (
        label_lines.account_of("module.aws_govcloud.aws_ssoadmin_permission_set.x: Creating...", "all")[0]
        == "aws-govcloud"
    )
    assert label_lines.account_of("azurerm_key_vault.this: Creation complete", "all")[0] == "azure-id"
    entra_app = 'module.entra_app.terraform_data.run["entra-app/aws-govcloud"]: Creating...'
    assert label_lines.account_of(entra_app, "all")[0] == "azure-id", "an Entra object is in azure-id"
    assert label_lines.account_of("Plan: 3 to add, 0 to change, 0 to destroy.", "all") == (
        "all",
        "Plan: 3 to add, 0 to change, 0 to destroy.",
    )


def test_every_line_is_labelled_and_error_account_recorded(tmp_path):
    error_file = tmp_path / "error-account"
    source = io.StringIO("Initializing...\n[aws-govcloud] Error: instance not found\n\n")
    sink = io.StringIO()
    label_lines.label_stream(source, sink, "entraSamlSetup", "apply", "all", str(error_file))
    assert sink.getvalue().splitlines() == [
        "[entraSamlSetup › apply › all] Initializing...",
        "[entraSamlSetup › apply › aws-govcloud] Error: instance not found",
        "[entraSamlSetup › apply › all] ",
    ]
    assert error_file.read_text() == "aws-govcloud"


def test_runs_as_a_pipe_with_the_system_python():
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--step",
            "entraTeardown",
            "--phase",
            "destroy",
            "--account",
            "azure-id",
        ],
        input="bye\n",
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "[entraTeardown › destroy › azure-id] bye\n"


def test_colour_codes_are_removed_before_the_account_is_found():
    sink = io.StringIO()
    source = io.StringIO("\x1b[0m\x1b[1mazurerm_resource_group.this: Creating...\x1b[0m\n")
    label_lines.label_stream(source, sink, "entraSamlSetup", "apply", "all", None)
    assert sink.getvalue() == "[entraSamlSetup › apply › azure-id] azurerm_resource_group.this: Creating...\n"


def _locked_after(text: str, locked) -> bool:
    label_lines.label_stream(io.StringIO(f"{text}\n"), io.StringIO(), "entraSamlSetup", "plan saml", "all",
                             None, state_locked_file=str(locked))
    found = locked.is_file()
    locked.unlink(missing_ok=True)
    return found


def test_a_state_lock_held_by_another_run_is_recorded(tmp_path):
    """Terraform's refusal (OpenTofu clistate/state.go) and state-lock's (state_lock.py) mark it locked."""
    locked = tmp_path / "state-locked"
    assert _locked_after("Error: Error acquiring the state lock", locked)
    assert _locked_after("[aws-commercial] ERROR: the Terraform state is locked (s3://b/k.tflock: lock 1 "
                         "(OperationTypeApply) taken by a@b", locked)
    assert not _locked_after("Error: instance not found", locked)
