"""Puts every line of a tool's output under the stage label "step › phase › account".

Standard library only, and any Python 3.8+ (the agent's python3, before the automation's
virtual environment exists): annotations stay unevaluated (the __future__ import below).
Reads stdin, writes stdout line by line (unbuffered). The account of a line is taken from
an explicit "[aws-commercial]"-style tag (printed by the entraidc commands), else from a
Terraform address ("module.aws_govcloud.…"; "azurerm_…" and the Entra provisioners
"module.entra_…" are azure-id; other instances keyed '["aws-commercial' or
'["saml-federate/aws-commercial'), else the
phase's default. A line with an AWS access denial ("... is not authorized to perform: <action> ...",
as Terraform's aws provider prints it) is followed by a line that points at docs/permissions.md,
unless it already does. With --error-account-file, the account of the last error line is written
there so the pipeline step can name it when the phase fails. With --state-locked-file, that file is
created when a line says the Terraform state is locked by another run: Terraform's own refusal
("Error acquiring the state lock", OpenTofu internal/command/clistate/state.go) or state-lock's
(state_lock.py), so the step can say what to do instead of its usual next step.
"""

from __future__ import annotations

import argparse
import re
import sys

ACCOUNTS = ("aws-commercial", "aws-govcloud", "azure-id")
_TAG = re.compile(r"\[(aws-commercial|aws-govcloud|azure-id)\]\s?")
_ADDRESS_RULES = (
    (re.compile(r"module\.aws_commercial\b"), "aws-commercial"),
    (re.compile(r"module\.aws_govcloud\b"), "aws-govcloud"),
    (re.compile(r"\bazurerm_|\bazurerm\b|module\.entra_"), "azure-id"),
    (re.compile(r'\["(?:[a-z-]+/)?aws-commercial'), "aws-commercial"),
    (re.compile(r'\["(?:[a-z-]+/)?aws-govcloud'), "aws-govcloud"),
)
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_ERROR = re.compile(r"\b(Error|ERROR|FAILED|Traceback)\b")
_STATE_LOCKED = re.compile(r"Error acquiring the state lock|ERROR: the Terraform state is locked \(")
_DENIED = re.compile(r"is not authorized to perform: ([\w-]+:\w+)")
PERMISSIONS_HINT = ("hint: the profile's IAM policy lacks {action}: attach the policies of entra-idc's "
                    "docs/permissions.md (section AWS) for the phases you run")


def account_of(line: str, default: str) -> tuple[str, str]:
    """Returns (account, line without its account tag)."""
    tag = _TAG.search(line)
    if tag:
        return tag.group(1), line[: tag.start()] + line[tag.end():]
    for pattern, account in _ADDRESS_RULES:
        if pattern.search(line):
            return account, line
    return default, line


def label_stream(source, sink, step: str, phase: str, default: str, error_file: str | None,
                 state_locked_file: str | None = None) -> None:
    for raw in source:
        line = _COLOUR.sub("", raw.rstrip("\n"))
        account, text = account_of(line, default)
        sink.write(f"[{step} › {phase} › {account}] {text}\n")
        denied = _DENIED.search(text)
        if denied and "docs/permissions.md" not in text:
            hint = PERMISSIONS_HINT.format(action=denied.group(1))
            sink.write(f"[{step} › {phase} › {account}] {hint}\n")
        sink.flush()
        if error_file and _ERROR.search(line):
            with open(error_file, "w", encoding="utf-8") as out:
                out.write(account)
        if state_locked_file and _STATE_LOCKED.search(line):
            open(state_locked_file, "w", encoding="utf-8").close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--step", required=True)
    parser.add_argument("--phase", required=True)
    parser.add_argument("--account", default="all")
    parser.add_argument("--error-account-file")
    parser.add_argument("--state-locked-file")
    args = parser.parse_args(argv)
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
    label_stream(stdin, sys.stdout, args.step, args.phase, args.account, args.error_account_file,
                 args.state_locked_file)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
