"""Every create the Terraform module and the Python automation perform against AWS, found in their
sources (issue 18 point 2), and the bound each must end within when its answer is lost.

A create here is an operation named Create*, Put*, Attach* or Provision* (the verbs of a write that
makes something). The module's are those of its aws_* resources: the table below gives, per resource
type, the operations the aws provider's create function calls, read in the provider at the built
commit (tools/versions.env, AWS_PROVIDER_PSEUDO): internal/service/ssoadmin/permission_set.go
(resourcePermissionSetCreate), permission_set_inline_policy.go (Put, then provisionPermissionSet),
managed_policy_attachment.go (Attach, then provisionPermissionSet), account_assignment.go,
instance_access_control_attributes.go, internal/service/identitystore/user.go and
internal/service/secretsmanager/secret.go. A resource type of the module missing from the table
fails test_every_create_is_walked. The Python automation's are read from its source: the console
operations it calls (aws_console_api.ConsoleApi.call with a literal name) and the boto3 client
methods that are operations of a service the automation uses (botocore's service models).
"""

import ast
import re
from pathlib import Path

import botocore.session
from botocore import xform_name

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "resources" / "entraidc" / "terraform"
PACKAGE = ROOT / "resources" / "entraidc" / "python" / "entraidc"
CREATE_VERBS = ("Create", "Put", "Attach", "Provision")
CONSOLE_SERVICE = "sso-directory"  # the twin's fault service of the console's identitystore operations
BOTO3_SERVICES = ("sso-admin", "identitystore", "secretsmanager", "sts", "organizations")

# aws_* resource type -> (twin fault service, the create operations of its create function).
RESOURCE_CREATES = {
    "aws_ssoadmin_permission_set": ("sso-admin", ("CreatePermissionSet",)),
    "aws_ssoadmin_permission_set_inline_policy": (
        "sso-admin", ("PutInlinePolicyToPermissionSet", "ProvisionPermissionSet")),
    "aws_ssoadmin_managed_policy_attachment": (
        "sso-admin", ("AttachManagedPolicyToPermissionSet", "ProvisionPermissionSet")),
    "aws_ssoadmin_account_assignment": ("sso-admin", ("CreateAccountAssignment",)),
    "aws_ssoadmin_instance_access_control_attributes": (
        "sso-admin", ("CreateInstanceAccessControlAttributeConfiguration",)),
    "aws_identitystore_user": ("identitystore", ("CreateUser",)),
    "aws_secretsmanager_secret": ("secretsmanager", ("CreateSecret",)),
}

# The Python command that performs each create of the automation (a new one needs its phase here).
PYTHON_PHASES = {
    "CreateExternalIdPConfigurationForDirectory": "saml-federate",
    "CreateProvisioningTenant": "scim-enable",
    "CreateBearerToken": "scim-enable",
    "PutSecretValue": "scim-enable",
}

# The bound (README "Choices made where the issues are silent", a create answered twice): a phase in
# which one create's answer is lost ends within it, converged or failed naming the operation.
BOUND_SECONDS = 180
# What the phase itself needs besides the aws provider's retries of the conflict (measured: the
# module's AWS apply here takes about 25 s on an idle machine, the Python phases under 15 s).
WORK_ALLOWANCE_SECONDS = 90
# The aws provider's default when its block sets no max_retries (internal/provider/sdkv2/provider.go).
PROVIDER_DEFAULT_MAX_RETRIES = 25


def module_resource_types() -> set[str]:
    found = set()
    for path in MODULE.rglob("*.tf"):
        found |= set(re.findall(r'^resource\s+"(aws_\w+)"', path.read_text(), flags=re.M))
    return found


def _boto3_operations() -> dict[str, tuple[str, str]]:
    """boto3 method name -> (service, operation) for the services the automation calls."""
    session = botocore.session.get_session()
    found = {}
    for service in BOTO3_SERVICES:
        for operation in session.get_service_model(service).operation_names:
            found.setdefault(xform_name(operation), (service, operation))
    return found


def python_creates() -> dict[str, str]:
    """operation -> twin fault service, for every create call in the automation's source."""
    boto3_operations = _boto3_operations()
    found = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name = node.func.attr
            first = node.args[0] if node.args else None
            if name == "call" and isinstance(first, ast.Constant) and isinstance(first.value, str):
                if first.value.startswith(CREATE_VERBS):
                    found[first.value] = CONSOLE_SERVICE
            elif name in boto3_operations and boto3_operations[name][1].startswith(CREATE_VERBS):
                service, operation = boto3_operations[name]
                found[operation] = service
    return found


def module_creates() -> dict[str, str]:
    """operation -> twin fault service, for the module's resource types (unknown ones: service '?')."""
    found = {}
    for resource_type in sorted(module_resource_types()):
        service, operations = RESOURCE_CREATES.get(resource_type, ("?", (f"<{resource_type}>",)))
        for operation in operations:
            found[operation] = service
    return found


def all_creates() -> list[tuple[str, str, str]]:
    """(service, operation, phase) for every create: phase 'apply' (the module) or a Python command."""
    walked = [(service, operation, "apply") for operation, service in module_creates().items()]
    walked += [(service, operation, PYTHON_PHASES.get(operation, "?"))
               for operation, service in python_creates().items()]
    return sorted(walked, key=lambda c: (c[2] != "apply", c[2], c[1]))


def provider_max_retries() -> int:
    """max_retries of the module's aws provider blocks (each must set the same), else the default."""
    text = (MODULE / "versions.tf").read_text()
    blocks = re.findall(r'^provider "aws" \{.*?^\}', text, flags=re.S | re.M)
    setting = re.compile(r"max_retries\s*=\s*(\S+)")
    values = {setting.search(b).group(1) if setting.search(b) else None for b in blocks}
    assert len(values) == 1, f"the aws provider blocks differ in max_retries: {values}"
    value = values.pop()
    if value is None:
        return PROVIDER_DEFAULT_MAX_RETRIES
    if value.isdigit():
        return int(value)
    local = re.search(rf"\b{re.escape(value.removeprefix('local.'))}\s*=\s*(\d+)", text)
    assert local, f"max_retries = {value}: no such local in versions.tf"
    return int(local.group(1))


def conflict_retry_seconds(max_attempts: int) -> float:
    """The longest the aws provider spends retrying an error that is not throttling (ConflictException)
    before it gives up: attempts 1..max-1 each wait 2^attempt x jitter(30 ms), i.e. up to 2^attempt x
    60 ms, a delay over 300 s becoming jitter(150 s), up to 300 s (internal/conns/backoff_delayer.go,
    v1CompatibleBackoff, maxRetryDelay 300 s in internal/conns/config.go; the attempt number is the
    SDK retry middleware's, aws-sdk-go-v2 aws/retry/middleware.go)."""
    return sum(min(2**attempt * 0.060, 300.0) for attempt in range(1, max_attempts))


def provider_blocks() -> str:
    """The module's provider "aws" blocks as written, for a root module of the same configuration."""
    text = (MODULE / "versions.tf").read_text()
    locals_blocks = re.findall(r"^locals \{.*?^\}", text, flags=re.S | re.M)
    return "\n\n".join(locals_blocks + re.findall(r'^provider "aws" \{.*?^\}', text, flags=re.S | re.M))
