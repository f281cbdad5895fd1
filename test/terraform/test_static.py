"""Static checks of the Terraform module that plan-level tests cannot make.

Run by test/terraform/run.sh after `tofu init` in a copy of the module:
ENTRAIDC_TF_MODULE is the module source, ENTRAIDC_TF_WORKDIR the initialised copy,
ENTRAIDC_TOFU the OpenTofu binary.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ALLOWED_PROVIDERS = {"hashicorp/aws", "hashicorp/azurerm"}
ALLOWED_RESOURCE_TYPES = re.compile(r"^(aws_|azurerm_)[a-z0-9_]+$|^terraform_data$")
COMMAND_MODULE = "./modules/entraidc-command"
MODULE_CALLS = {
    "aws_commercial": "./modules/identity-center",
    "aws_govcloud": "./modules/identity-center",
    "entra_users": COMMAND_MODULE,
    "entra_app": COMMAND_MODULE,
    "entra_assign": COMMAND_MODULE,
    "saml_federate": COMMAND_MODULE,
}
PROVISIONER_COMMANDS = {"entra-users", "entra-app", "entra-assign", "saml-federate"}
BLOCK_HEADER = re.compile(r'^\s*(resource|data|ephemeral|provider|module)\s+"([^"]+)"', re.MULTILINE)


def env_path(name: str) -> Path:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run this through test/terraform/run.sh")
    return Path(value)


@pytest.fixture(scope="module")
def module_dir() -> Path:
    return env_path("ENTRAIDC_TF_MODULE")


@pytest.fixture(scope="module")
def tf_files(module_dir: Path) -> dict[Path, str]:
    files = {path: path.read_text() for path in sorted(module_dir.rglob("*.tf"))}
    assert files, f"no .tf file under {module_dir}"
    return files


@pytest.fixture(scope="module")
def config() -> dict:
    """The module's configuration as OpenTofu reads it (`tofu show -json -config`)."""
    result = subprocess.run(  # noqa: S603 - the toolchain's own OpenTofu binary
        [str(env_path("ENTRAIDC_TOFU")), "show", "-json", "-config", "-no-color"],
        cwd=env_path("ENTRAIDC_TF_WORKDIR"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {"configuration": json.loads(result.stdout)}


def all_modules(module: dict, path: str = "root"):
    yield path, module
    for name, call in module.get("module_calls", {}).items():
        yield from all_modules(call["module"], f"{path}.{name}")


def lock_files() -> list[Path]:
    files = [env_path("ENTRAIDC_TF_WORKDIR") / ".terraform.lock.hcl"]
    terraform_157 = os.environ.get("ENTRAIDC_TF_WORKDIR_TERRAFORM_157")
    if terraform_157:  # Terraform 1.5.7's lock file, when run.sh built one
        files.append(Path(terraform_157) / ".terraform.lock.hcl")
    return files


@pytest.mark.parametrize("lock_index", [0, 1])
def test_lock_file_holds_only_aws_and_azurerm(lock_index):
    files = lock_files()
    if lock_index >= len(files):
        pytest.skip("Terraform 1.5.7 was not built by the toolchain")
    lock = files[lock_index].read_text()
    providers = re.findall(r'^provider\s+"([^"]+)"', lock, re.MULTILINE)
    short = {"/".join(address.split("/")[-2:]) for address in providers}
    assert short == ALLOWED_PROVIDERS, f"{files[lock_index]}: {providers}"


def test_tf_files_declare_only_aws_azurerm_and_terraform_data(tf_files):
    seen = []
    for path, text in tf_files.items():
        for kind, name in BLOCK_HEADER.findall(text):
            seen.append((path.name, kind, name))
            if kind in ("resource", "data", "ephemeral"):
                assert ALLOWED_RESOURCE_TYPES.match(name), f"{path}: {kind} {name}"
            elif kind == "provider":
                assert name in ("aws", "azurerm"), f"{path}: provider {name}"
            elif kind == "module":
                assert name in MODULE_CALLS, f"{path}: module {name}"
        for source in re.findall(r'source\s*=\s*"([^"]+)"', text):
            assert source in ALLOWED_PROVIDERS or source in set(MODULE_CALLS.values()), (
                f"{path}: source {source}"
            )
    assert any(kind == "resource" and name == "terraform_data" for _, kind, name in seen)


def test_configuration_uses_only_aws_azurerm_and_terraform_data(config):
    root = config["configuration"]
    providers = {cfg["name"]: cfg["full_name"] for cfg in root["provider_config"].values()}
    # "terraform" is the built-in provider of terraform_data, nothing to install.
    assert set(providers) == {"aws", "azurerm", "terraform"}, providers
    assert providers["terraform"].endswith("builtin/terraform"), providers
    for path, module in all_modules(root["root_module"]):
        for resource in module.get("resources", []):
            assert ALLOWED_RESOURCE_TYPES.match(resource["type"]), f"{path}: {resource['address']}"
            if resource["type"] != "terraform_data":
                provider = resource["provider_config_key"].split(".")[0].split(":")[-1]
                assert provider in ("aws", "azurerm"), f"{path}: {resource['address']} uses {provider}"


def test_aws_providers_use_the_hardcoded_profiles(config):
    providers = config["configuration"]["provider_config"]
    for alias, nickname in (("commercial", "aws-commercial"), ("govcloud", "aws-govcloud")):
        expressions = providers[f"aws.{alias}"]["expressions"]
        for argument in ("profile", "region"):
            references = expressions[argument].get("references", [])
            assert f'local.aws_accounts["{nickname}"].{argument}' in references, (
                alias,
                argument,
                expressions,
            )
    # locals.tf holds the literals the references resolve to (the plan tests check the values).
    # The only inputs: the two phase switches and which AWS accounts to federate.
    assert config["configuration"]["root_module"].get("variables", {}).keys() == {
        "enable_scim",
        "enable_abac",
        "aws_accounts",
    }


def test_every_provisioner_resource_is_labelled_not_pure_terraform(tf_files):
    header = re.compile(
        r"^# NOT PURE TERRAFORM: .+ — .+\n(?:#.*\n)*resource \"terraform_data\"", re.MULTILINE
    )
    total = sum(text.count('resource "terraform_data"') for text in tf_files.values())
    labelled = sum(len(header.findall(text)) for text in tf_files.values())
    assert total > 0 and labelled == total, f"{labelled} of {total} terraform_data resources are labelled"


def command_calls(config: dict) -> dict[str, dict]:
    calls = config["configuration"]["root_module"]["module_calls"]
    return {name: call for name, call in calls.items() if call["source"] == COMMAND_MODULE}


def test_every_command_call_names_its_tutorial_step_and_reason(config):
    """The module's label is generic; each call's not_pure_terraform says what and why."""
    calls = command_calls(config)
    assert calls.keys() == {name for name, source in MODULE_CALLS.items() if source == COMMAND_MODULE}
    for name, call in calls.items():
        reason = call["expressions"]["not_pure_terraform"].get("constant_value")
        assert reason and re.search(r"\bSteps? \d", reason) and len(reason) > 60, (name, reason)


def test_terraform_data_lives_only_in_the_command_module(config):
    for path, module in all_modules(config["configuration"]["root_module"]):
        for resource in module.get("resources", []):
            if resource["type"] == "terraform_data":
                assert path.split(".")[-1] in command_calls(config), f"{path}: {resource['address']}"


def test_provisioners_run_constant_commands_with_inputs_from_self(config):
    calls = command_calls(config)
    commands = {name: call["expressions"]["command"].get("constant_value") for name, call in calls.items()}
    assert set(commands.values()) == PROVISIONER_COMMANDS, commands
    module = next(iter(calls.values()))["module"]
    provisioners = []
    for resource in module["resources"]:
        for provisioner in resource.get("provisioners", []):
            provisioners.append(provisioner)
            expressions = provisioner["expressions"]
            assert provisioner["type"] == "local-exec", resource["address"]
            command = expressions["command"]
            assert "constant_value" in command, (
                f"{resource['address']}: command must not interpolate anything"
            )
            assert re.fullmatch(
                r'exec "\$\{ENTRAIDC_PYTHON:-python3\}" -m entraidc "\$ENTRAIDC_COMMAND" (create|destroy)',
                command["constant_value"],
            ), command["constant_value"]
            for argument in ("environment", "working_dir"):
                references = expressions[argument]["references"]
                # each.key: "<command>/<instance key>", the only way a destroy-time provisioner
                # can know its command.
                allowed = [ref in ("self", "each.key") or ref.startswith("self.") for ref in references]
                assert all(allowed), (
                    resource["address"],
                    references,
                )
    assert len(provisioners) == 2, "one terraform_data resource with a create and a destroy provisioner"


def test_no_check_block_reads_data_of_its_own(tf_files):
    """A check-scoped data source is read again at every apply: plan -detailed-exitcode would
    always answer 2 ("changes"), and drift could not be told from an unchanged lab."""
    for path, text in tf_files.items():
        for match in re.finditer(r'^check\s+"([^"]+)"\s*\{', text, re.MULTILINE):
            depth, end = 1, match.end()
            while depth:
                depth += {"{": 1, "}": -1}.get(text[end], 0)
                end += 1
            assert not re.search(r'^\s*data\s+"', text[match.end() : end], re.MULTILINE), (
                f"{path}: check {match.group(1)} has a data source of its own"
            )


def test_scim_token_secret_is_deleted_without_recovery_window(tf_files, module_dir):
    text = (module_dir / "modules/identity-center/scim_secret.tf").read_text()
    assert re.search(r"recovery_window_in_days\s*=\s*0\b", text)
    assert "secret_string" not in "".join(tf_files.values()), "Terraform must never hold a secret value"


def test_terraform_never_reads_or_writes_a_secret_value(config):
    value_bearing = {
        "azurerm_key_vault_secret",  # the data source would copy the password into state
        "aws_secretsmanager_secret_version",
        "random_password",
    }
    for path, module in all_modules(config["configuration"]["root_module"]):
        for resource in module.get("resources", []):
            assert resource["type"] not in value_bearing, f"{path}: {resource['address']}"


def test_nikki_attributes_owned_by_scim_are_ignored_after_creation(module_dir):
    text = (module_dir / "modules/identity-center/users.tf").read_text()
    block = re.search(r"ignore_changes\s*=\s*\[(.*?)\]", text, re.DOTALL)
    assert block, "aws_identitystore_user.nikki must ignore the attributes Entra's SCIM updates"
    ignored = {name.strip() for name in block.group(1).split(",") if name.strip()}
    assert {"display_name", "name", "emails", "phone_numbers", "addresses", "title"} <= ignored
    assert "user_name" not in ignored, "user_name is the key SCIM matches on; it stays managed"
