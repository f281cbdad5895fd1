"""Discovery of the twin's sides (twin.aws, twin.azure); a side that does not exist is skipped.

A side is a subpackage exposing:
  register(router, context) -> None      adds host patterns -> WSGI apps
  inventory(context) -> dict[str, Any]   objects that exist, keyed by account nickname
  env_lines(context) -> list[str]        optional: extra `export` lines for `twin env`
  reset(context) -> None                 optional: back to the state right after start
"""
import importlib
from types import ModuleType

SIDES = ("twin.aws", "twin.azure")


def discover() -> list[ModuleType]:
    found = []
    for name in SIDES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        if hasattr(module, "register"):  # an empty directory is not a side yet
            found.append(module)
    return found
