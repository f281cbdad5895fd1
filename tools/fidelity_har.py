"""./lab fidelity har FILE: compare the console calls in a browser HAR recording with what
resources/entraidc/python/entraidc/aws_console_api.py sends and reads (RELIED_ON).

Record it once in a real account: browser developer tools > Network > Preserve log, do the tutorial's
console steps by hand (change identity source, enable automatic provisioning, generate a token),
then Export HAR. Only member names, JSON types and statuses are printed: no value of the recording
(tokens, cookies, signatures, IDs) ever is, and nothing is written. Exit 0 when every operation the
project relies on that the recording holds matches; 1 on a mismatch; 2 on bad input.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "resources" / "entraidc" / "python"))
from entraidc.aws_console_api import RELIED_ON  # noqa: E402

PREFIXES = ("AWSIdentityStoreService.", "SWBService.")


def json_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}[type(value)]


def paths(value, prefix: str = "") -> dict[str, str]:
    """Every member path of a JSON document with its type ("a.b", "a[].b")."""
    found: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found[path] = json_type(item)
            found.update(paths(item, path))
    elif isinstance(value, list):
        for item in value:
            found.update(paths(item, f"{prefix}[]"))
    return found


def _header(headers: list[dict], name: str) -> str:
    return next((h.get("value", "") for h in headers if h.get("name", "").lower() == name.lower()), "")


def _body(text: str | None) -> dict:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def exchanges(har: dict) -> list[dict]:
    found = []
    for entry in har.get("log", {}).get("entries", []):
        request, response = entry.get("request", {}), entry.get("response", {})
        target = _header(request.get("headers", []), "X-Amz-Target")
        if not target.startswith(PREFIXES):
            continue
        found.append(
            {
                "operation": target.split(".", 1)[1],
                "status": response.get("status"),
                "request": paths(_body((request.get("postData") or {}).get("text"))),
                "response": paths(_body((response.get("content") or {}).get("text"))),
            }
        )
    return found


def compare(exchange: dict) -> list[str]:
    """Lines for one recorded exchange; a line starting with "MISMATCH" fails the check."""
    relied = RELIED_ON.get(exchange["operation"])
    if relied is None:
        return [f"  not used by the project ({len(exchange['response'])} response members)"]
    lines = []
    for side in ("request", "response"):
        seen = exchange[side]
        for path, kind in sorted(relied[side].items()):
            if path not in seen:
                in_list = path.rsplit("[]", 1)[0] + "[]" if "[]" in path else ""
                if in_list and not any(p.startswith(in_list) for p in seen):
                    lines.append(f"  {side} {path}: absent in the recording (empty list?), not checked")
                    continue
                verb = "sends" if side == "request" else "reads"
                lines.append(f"MISMATCH {side} {path}: missing (the project {verb} it)")
            elif seen[path] != kind:
                lines.append(f"MISMATCH {side} {path}: type {seen[path]}, the project expects {kind}")
            else:
                lines.append(f"  {side} {path}: match")
        for path in sorted(set(seen) - set(relied[side])):
            if side == "request":
                lines.append(f"  request {path}: extra (the console sends it, the project does not)")
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: ./lab fidelity har FILE", file=sys.stderr)
        return 2
    try:
        har = json.loads(Path(argv[0]).read_text())
    except (OSError, ValueError) as exc:
        print(
            f"fidelity har: {argv[0]} is not a readable HAR (JSON) file: {type(exc).__name__}",
            file=sys.stderr,
        )
        return 2
    found = exchanges(har)
    if not found:
        print(
            f"fidelity har: {argv[0]} holds no AWSIdentityStoreService.* or SWBService.* call",
            file=sys.stderr,
        )
        return 2
    failed = 0
    for exchange in found:
        print(f"{exchange['operation']} (HTTP {exchange['status']})")
        lines = compare(exchange)
        failed += sum(line.startswith("MISMATCH") for line in lines)
        print("\n".join(lines))
    missing = sorted(set(RELIED_ON) - {e["operation"] for e in found})
    if missing:
        print(f"not in the recording (unchecked): {', '.join(missing)}")
    print(f"{len(found)} exchange(s), {failed} mismatch(es)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
