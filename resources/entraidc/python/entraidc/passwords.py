"""Initial passwords for the Entra test users: random, meeting Entra's complexity rules
(https://learn.microsoft.com/entra/identity/authentication/concept-password-ban-bad-combined-policy)."""

import secrets
import string

from . import output

_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "!@#$%^&*-_=+?")


def generate(length: int = 24) -> str:
    alphabet = "".join(_CLASSES)
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if all(any(c in group for c in candidate) for group in _CLASSES):
            return output.secret(candidate)
