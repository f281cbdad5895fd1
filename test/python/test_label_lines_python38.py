"""label_lines.py runs on the agent's python3 before any virtual environment exists, so it must
run on every Python the steps accept there: 3.8 and later (AgentPrerequisites.LABELLER_PYTHON_MIN).
No 3.8 interpreter is installed here, so this checks what a newer Python would accept and 3.8
would not: grammar (ast feature_version), evaluated annotations (PEP 563 keeps them strings;
``tuple[str, str]`` and ``str | None`` fail at definition time before 3.9/3.10), and the standard
library names added after 3.8 (the "What's New in Python 3.9–3.13" pages)."""

import ast
import pathlib

LABELLER = pathlib.Path(__file__).parents[2] / "resources/entraidc/python/label_lines.py"
NEWER_THAN_38 = {"removeprefix", "removesuffix", "pairwise", "bit_count", "cache", "zoneinfo", "tomllib",
                 "graphlib", "kw_only", "slots", "strict", "TaskGroup", "batched", "StrEnum"}


def _tree():
    return ast.parse(LABELLER.read_text(encoding="utf-8"), feature_version=(3, 8))


def test_grammar_is_python_38():
    _tree()  # SyntaxError otherwise


def test_annotations_are_never_evaluated():
    tree = _tree()
    annotated = [node for node in ast.walk(tree)
                 if isinstance(node, (ast.FunctionDef, ast.AnnAssign, ast.arg))
                 and (getattr(node, "returns", None) or getattr(node, "annotation", None))]
    future = [node for node in tree.body if isinstance(node, ast.ImportFrom) and node.module == "__future__"
              and any(alias.name == "annotations" for alias in node.names)]
    assert not annotated or future, "annotations such as tuple[str, str] fail on 3.8 without PEP 563"


def test_no_standard_library_name_newer_than_38():
    tree = _tree()
    names = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names |= {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {kw.arg for node in ast.walk(tree) if isinstance(node, ast.Call)
              for kw in node.keywords if kw.arg}
    names |= {alias.name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
              for alias in node.names}
    assert not names & NEWER_THAN_38
