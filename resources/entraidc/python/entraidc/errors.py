"""Errors that end a command with a clear message (no traceback, never a secret)."""


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

    def __init__(self, operation: str, account: str, console_step: str, cause: str):
        super().__init__(
            f"{operation} failed ({cause}). This operation has no public AWS API; do it by hand "
            f"instead: {console_step}",
            account=account,
        )
        self.operation = operation
        self.console_step = console_step
