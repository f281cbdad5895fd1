"""Inputs from the environment (the Terraform provisioners' `environment`), checked before any call.

See resources/entraidc/terraform/README.md "Interface with the Python automation".
"""

import os
import re

from . import OWNER_MARKER
from .errors import InputError

_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def require(name: str, what: str, pattern: re.Pattern | None = None) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise InputError(f"{name} is not set: it must hold {what} (the Terraform provisioner sets it).")
    if pattern is not None and not pattern.match(value):
        raise InputError(f"{name}={value!r} is not valid: it must hold {what}.")
    return value


def optional(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def guid(name: str, what: str) -> str:
    return require(name, what, _GUID)


def owner_marker() -> str:
    return optional("ENTRAIDC_OWNER_MARKER", OWNER_MARKER)


def flag(name: str) -> bool:
    return optional(name).lower() in ("1", "true", "yes")
