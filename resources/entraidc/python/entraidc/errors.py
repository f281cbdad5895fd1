"""Errors that end a command with a clear message (no traceback, never a secret)."""

# The error codes AWS answers when IAM refuses an action (JSON protocols / query protocols).
ACCESS_DENIED = ("AccessDeniedException", "AccessDenied")


def permission_hint(code: str | None) -> str:
    """What to do about an IAM refusal, whose AWS message names the action; empty for other errors."""
    if code not in ACCESS_DENIED:
        return ""
    return (" The profile's IAM policy lacks that action: attach the policies of entra-idc's "
            "docs/permissions.md (section AWS) for the phases you run.")


class EntraIdcError(Exception):
    """A failure the user can act on; the message says what to do."""

    exit_code = 1

    def __init__(self, message: str, account: str | None = None):
        super().__init__(message)
        self.account = account


class InputError(EntraIdcError):
    """Bad input or a missing prerequisite, found before anything was changed."""

    exit_code = 2


class GraphError(EntraIdcError):
    """A Microsoft Graph (or Key Vault) call that failed for good."""

    def __init__(self, call: str, status: int, code: str, detail: str):
        super().__init__(f"{call} failed: HTTP {status} {code}: {detail}", account="azure-id")
        self.call = call
        self.status = status
        self.code = code


class ConsoleStepError(EntraIdcError):
    """An IAM Identity Center operation without public API failed; do the console step by hand."""

    def __init__(self, operation: str, account: str, console_step: str, cause: str, kind: str = ""):
        super().__init__(
            f"{operation} failed ({cause}). This operation has no public AWS API; do it by hand "
            f"instead: {console_step}",
            account=account,
        )
        self.operation = operation
        self.console_step = console_step
        self.kind = kind  # the service's error type (e.g. ConflictException), "" when it did not answer
