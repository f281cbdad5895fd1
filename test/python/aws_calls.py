"""The AWS operations the library calls, found in its source: boto3 client methods (matched against
the botocore service models of the services it uses) and the console operations of
aws_console_api.py (``self.call("<Operation>", ...)``). Used by the tests that check them against
botocore's deprecations and against docs/permissions.md."""

import ast
from dataclasses import dataclass
from pathlib import Path

import botocore.session
from botocore import xform_name

PACKAGE = Path(__file__).resolve().parents[2] / "resources" / "entraidc" / "python" / "entraidc"
SERVICES = ("sso-admin", "identitystore", "secretsmanager", "sts")
# How the library names client variables and parameters.
RECEIVERS = {"sso": "sso-admin", "identitystore": "identitystore", "secrets": "secretsmanager", "s3": "s3"}
HANDED_ONE_CLIENT = {"scim_token_store.py": {"secretsmanager"}}


@dataclass(frozen=True)
class Call:
    service: str
    operation: str
    members: tuple[str, ...]
    where: str


def _models(services=SERVICES):
    session = botocore.session.get_session()
    return {name: session.get_service_model(name) for name in services}


def _operations_by_method(models) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for service, model in models.items():
        for operation in model.operation_names:
            found.setdefault(xform_name(operation), []).append((service, operation))
    return found


def _method_calls_with_constant(tree: ast.AST, method: str) -> list[tuple[ast.Call, str]]:
    """Every ``<x>.<method>("<constant>", ...)`` in the tree, with the constant."""
    return [
        (node, node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def clients_in(tree: ast.AST) -> set[str]:
    """Services whose client the file creates (``.client("sso-admin")``)."""
    return {name for _, name in _method_calls_with_constant(tree, "client")}


def boto3_calls(services=SERVICES) -> list[Call]:
    models = _models(services)
    by_method = _operations_by_method(models)
    calls = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text())
        created = clients_in(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            method, receiver = node.func.attr, node.func.value
            if method == "paginate" and isinstance(receiver, ast.Call) and receiver.args:
                if isinstance(receiver.func, ast.Attribute) and receiver.func.attr == "get_paginator":
                    method = receiver.args[0].value
            # The client's service: the receiver's name where the code names it so (clients handed in as
            # parameters), else the clients the file creates.
            named = RECEIVERS.get(receiver.id) if isinstance(receiver, ast.Name) else None
            allowed = {named} if named else created or HANDED_ONE_CLIENT.get(path.name, set())
            candidates = [(s, o) for s, o in by_method.get(method, []) if s in allowed]
            members = tuple(sorted(k.arg for k in node.keywords if k.arg))
            calls += [Call(s, o, members, f"{path.name}:{node.lineno}") for s, o in candidates]
    return calls


def console_calls() -> list[Call]:
    """The console operations: every string given as the operation of ConsoleApi.call."""
    path = PACKAGE / "aws_console_api.py"
    tree = ast.parse(path.read_text())
    return [
        Call("console", operation, (), f"{path.name}:{node.lineno}")
        for node, operation in _method_calls_with_constant(tree, "call")
    ]


def deprecated_uses(calls: list[Call]) -> list[str]:
    models = _models()
    found = []
    for call in calls:
        if call.service not in models:
            continue
        operation = models[call.service].operation_model(call.operation)
        if operation.deprecated:
            found.append(f"{call.where}: {call.service} {call.operation} is deprecated")
        for member in call.members:
            if _member_deprecated(models[call.service], call.operation, member):
                found.append(f"{call.where}: {call.service} {call.operation} {member} is deprecated")
    return found


def _member_deprecated(model, operation: str, member: str) -> bool:
    """Deprecation of a member sits on the member reference in the raw model, not on its shape."""
    description = model._service_description
    input_name = description["operations"][operation].get("input", {}).get("shape", "")
    members = description["shapes"].get(input_name, {}).get("members", {})
    return bool(members.get(member, {}).get("deprecated"))
