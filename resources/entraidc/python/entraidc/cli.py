"""python3 -m entraidc <command> ...: the provisioner entry points and the separate script commands."""

import argparse
import importlib
import json
import sys

import botocore.exceptions
import requests

from . import output
from .errors import EntraIdcError, permission_hint

LIFECYCLE = {
    "entra-users": "entra_users",
    "entra-app": "entra_apps",
    "entra-assign": "entra_assign",
    "saml-federate": "saml_federation",
}
SCRIPTS = ("preflight", "scim-enable", "abac", "verify", "teardown", "sweep", "state-lock")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python3 -m entraidc", description=__doc__)
    top.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    top.add_argument(
        "--result-file",
        metavar="PATH",
        help="also append the result as one JSON line to PATH (secrets redacted; for the lifecycle report)",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="command")
    for name in LIFECYCLE:
        sub = commands.add_parser(
            name,
            help=f"{name} create|destroy (called by Terraform provisioners; "
            "inputs from ENTRAIDC_* environment variables)",
        )
        sub.add_argument("action", choices=("create", "destroy"))
    accounts = ("aws-commercial", "aws-govcloud")

    def script(name, help_text):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument(
            "--account",
            action="append",
            choices=accounts,
            help="limit to this AWS account (repeatable; default both)",
        )
        return sub

    preflight = script("preflight", "check logins, permissions, profiles and Identity Center instances")
    preflight.add_argument(
        "--phase",
        choices=("saml", "scim"),
        default="saml",
        help="the phase whose Microsoft Graph permissions to require (default saml; scim adds provisioning)",
    )
    scim = script(
        "scim-enable", "automatic provisioning: Identity Center tenant and token, Entra job, RichRoe"
    )
    scim.add_argument("--timeout", type=float, default=600, help="seconds to wait for RichRoe (default 600)")
    abac = script("abac", "SAML claims https://aws.amazon.com/SAML/Attributes/AccessControl:<Name> in Entra")
    abac.add_argument(
        "--attribute",
        action="append",
        metavar="NAME=SOURCE",
        help="claim name and Entra user attribute, e.g. Department=user.department "
        "(default: Department=user.department, as the Terraform module)",
    )
    verify = script("verify", "check every tutorial result that an API can show; table and JUnit XML")
    verify.add_argument("--junit", metavar="PATH", help="write JUnit XML here")
    verify.add_argument(
        "--phase",
        choices=("saml", "scim"),
        default="scim",
        help="saml: Steps 1-3 only; scim (default): also Step 4 and account access",
    )
    verify.add_argument("--abac", action="store_true", help="also check Step 5 (ABAC)")
    teardown = script("teardown", "stop provisioning, delete tokens and tenants, restore the identity source")
    teardown.add_argument(
        "--all-marked",
        action="store_true",
        help="also delete every Entra object carrying the ownership marker "
        "(after a failed setup whose Terraform state is gone)",
    )
    sweep = script(
        "sweep", "delete AWS and Azure objects tagged as ours that the Terraform state does not hold"
    )
    source = sweep.add_mutually_exclusive_group(required=True)
    source.add_argument("--state", metavar="FILE", help="`terraform show -json` or `state pull` output")
    source.add_argument(
        "--terraform-dir",
        metavar="DIR",
        help="read the state with `terraform show -json` in DIR, in memory "
        "($ENTRAIDC_TERRAFORM, else terraform)",
    )
    sweep.add_argument(
        "--plan",
        metavar="FILE",
        help="with --terraform-dir: the plan of an apply that failed on a create answered with a conflict; "
        "an access-control attribute configuration it was creating, found exactly as planned, is deleted",
    )
    lock = commands.add_parser(
        "state-lock",
        help="release a Terraform state lock left by a killed run, when its holder is certainly dead",
    )
    lock.add_argument("--terraform-dir", metavar="DIR", required=True, help="the initialised root module")
    return top


SCRIPT_MODULES = {
    "preflight": "preflight",
    "scim-enable": "scim_enable",
    "abac": "abac",
    "verify": "verify",
    "teardown": "teardown",
    "sweep": "orphans",
    "state-lock": "state_lock",
}


def _run(args) -> dict:
    from .aws import ACCOUNTS
    from .aws_console_api import configured_endpoint
    from .azure_context import AzureContext

    for acct in ACCOUNTS.values():
        configured_endpoint(acct)  # a bad ENTRAIDC_CONSOLE_ENDPOINT_* stops every command before any call
    ctx = AzureContext()
    if args.command in LIFECYCLE:
        module = importlib.import_module(f".{LIFECYCLE[args.command]}", __package__)
        return getattr(module, args.action)(ctx)
    module = importlib.import_module(f".{SCRIPT_MODULES[args.command]}", __package__)
    return module.run(ctx, args)


def _unexpected(err: Exception) -> str:
    """One line for failures of the underlying SDKs (no traceback, which could quote request data)."""
    if isinstance(err, botocore.exceptions.ClientError):
        error = err.response.get("Error", {})
        return (f"AWS {err.operation_name} failed: {error.get('Code')}: {error.get('Message')}"
                f"{permission_hint(error.get('Code'))}")
    return f"{type(err).__name__}: {err}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    label = f"{args.command} {getattr(args, 'action', '')}".strip()
    try:
        data = _run(args)
    except EntraIdcError as err:
        return _fail(args, label, err.account or "entra-idc", str(err), err.exit_code)
    except (
        botocore.exceptions.BotoCoreError,
        botocore.exceptions.ClientError,
        requests.RequestException,
    ) as err:
        return _fail(args, label, "entra-idc", _unexpected(err), 1)
    data = {"command": label, "ok": data.pop("ok", True), **data}
    _record(args, data)
    if args.command in LIFECYCLE or args.json:
        # One line: the provisioners' log shows it, the pipeline steps parse it.
        print(output.redact(json.dumps(data, sort_keys=True, default=str)), flush=True)
    else:
        human = data.pop("table", None)
        print(output.redact(human if human else json.dumps(data, indent=2, sort_keys=True, default=str)))
    return 0 if data["ok"] else 1


def _fail(args, label: str, account: str, message: str, code: int) -> int:
    output.log(account, f"ERROR: {message}")
    _record(args, {"command": label, "ok": False, "error": message})
    if args.json or args.command in LIFECYCLE:
        print(output.redact(json.dumps({"command": label, "ok": False, "error": message})), flush=True)
    return code


def _record(args, data: dict) -> None:
    if args.result_file:
        with open(args.result_file, "a", encoding="utf-8") as results:
            results.write(output.redact(json.dumps(data, sort_keys=True, default=str)) + "\n")


if __name__ == "__main__":
    sys.exit(main())
