"""The $filter subset Microsoft Graph directory objects answer, as a predicate over dicts.

Reference: Microsoft Graph "Use the $filter query parameter" (eq/ne/ge/le/startswith/endswith,
any() lambdas on collections, and/or/not, string comparison case-insensitive for directory
objects). Anything else is rejected as Graph does, with 400 and "Invalid filter clause".
"""

import re
from collections.abc import Callable

TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>-?\d+(?:\.\d+)?)|(?P<punct>[(),:])"
    r"|(?P<word>[A-Za-z_$@][\w./@$-]*))"
)
COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le"}


class FilterError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, object]]:
    pos, out = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = TOKEN.match(text, pos)
        if not match:
            raise FilterError(f"Invalid filter clause: syntax error at position {pos} in '{text}'.")
        pos = match.end()
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "str":
            out.append(("lit", value[1:-1].replace("''", "'")))
        elif kind == "num":
            out.append(("lit", float(value) if "." in value else int(value)))
        elif kind == "word" and value in ("true", "false", "null"):
            out.append(("lit", {"true": True, "false": False, "null": None}[value]))
        else:
            out.append((kind, value))
    return out


def _get(obj, path: str):
    for part in path.split("/"):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _norm(value):
    return value.casefold() if isinstance(value, str) else value


def _compare(op: str, left, right) -> bool:
    left, right = _norm(left), _norm(right)
    if op == "eq":
        return left == right
    if op == "ne":
        return left != right
    if left is None or right is None:
        return False
    try:
        return {"gt": left > right, "ge": left >= right, "lt": left < right, "le": left <= right}[op]
    except TypeError:
        return False


DIRECTORY_FUNCTIONS = frozenset({"startswith", "endswith"})
STRING_METHODS = {"startswith": str.startswith, "endswith": str.endswith, "contains": str.__contains__}


class _Parser:
    def __init__(self, text: str, functions: frozenset[str]):
        self.text, self.items, self.i = text, _tokens(text), 0
        self.functions = functions

    def peek(self, offset: int = 0):
        j = self.i + offset
        return self.items[j] if j < len(self.items) else (None, None)

    def take(self, kind=None, value=None):
        item = self.peek()
        if (kind and item[0] != kind) or (value is not None and item[1] != value):
            raise FilterError(f"Invalid filter clause: unexpected '{item[1]}' in '{self.text}'.")
        self.i += 1
        return item

    def parse(self) -> Callable[[dict], bool]:
        predicate = self.disjunction(None)
        if self.peek()[0] is not None:
            raise FilterError(f"Invalid filter clause: unexpected '{self.peek()[1]}' in '{self.text}'.")
        return predicate

    def disjunction(self, var):
        parts = [self.conjunction(var)]
        while self.peek() == ("word", "or"):
            self.take()
            parts.append(self.conjunction(var))
        return parts[0] if len(parts) == 1 else (lambda o, ps=parts: any(p(o) for p in ps))

    def conjunction(self, var):
        parts = [self.unary(var)]
        while self.peek() == ("word", "and"):
            self.take()
            parts.append(self.unary(var))
        return parts[0] if len(parts) == 1 else (lambda o, ps=parts: all(p(o) for p in ps))

    def unary(self, var):
        if self.peek() == ("word", "not"):
            self.take()
            inner = self.unary(var)
            return lambda o: not inner(o)
        if self.peek() == ("punct", "("):
            self.take()
            inner = self.disjunction(var)
            self.take("punct", ")")
            return inner
        return self.atom(var)

    def operand(self, var):
        """A value getter: a property path, the lambda variable, or a literal."""
        kind, value = self.take()
        if kind == "lit":
            return lambda o, v=value: v
        if kind != "word":
            raise FilterError(f"Invalid filter clause: unexpected '{value}' in '{self.text}'.")
        if var is not None and (value == var or value.startswith(var + "/")):
            rest = value[len(var) + 1 :]
            return lambda o, r=rest: _get(o, r) if r else o
        return lambda o, p=value: _get(o, p)

    def atom(self, var):
        kind, value = self.peek()
        if kind == "word" and value in STRING_METHODS and self.peek(1) == ("punct", "("):
            if value not in self.functions:
                raise FilterError(f"Unsupported Query: '{value}' is not supported on this collection.")
            self.take()
            self.take("punct", "(")
            left = self.operand(var)
            self.take("punct", ",")
            right = self.operand(var)
            self.take("punct", ")")
            method = STRING_METHODS[value]
            return lambda o: (
                isinstance(left(o), str)
                and isinstance(right(o), str)
                and method(left(o).casefold(), right(o).casefold())
            )
        if kind == "word" and value.endswith("/any") and self.peek(1) == ("punct", "("):
            self.take()
            collection = value[: -len("/any")]
            self.take("punct", "(")
            lambda_var = self.take("word")[1]
            self.take("punct", ":")
            inner = self.disjunction(lambda_var)
            self.take("punct", ")")
            return lambda o: any(inner(item) for item in (_get(o, collection) or []))
        left = self.operand(var)
        op = self.take("word")[1]
        if op not in COMPARISONS:
            raise FilterError(f"Invalid filter clause: unsupported operator '{op}' in '{self.text}'.")
        right = self.operand(var)
        return lambda o: _compare(op, left(o), right(o))


def compile_filter(text: str, functions: frozenset[str] = DIRECTORY_FUNCTIONS) -> Callable[[dict], bool]:
    """``functions``: the string functions the collection supports (directory objects: startswith and
    endswith; applicationTemplates: contains only, per "List applicationTemplates")."""
    return _Parser(text, functions).parse()
