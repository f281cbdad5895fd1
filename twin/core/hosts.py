"""The marked block of /etc/hosts that points the twin's real hostnames at loopback.

Only the lines between the markers are ever written or removed.
"""
from pathlib import Path

BEGIN = "# entra-idc twin begin"
END = "# entra-idc twin end"


def _without_block(text: str) -> list[str]:
    kept, inside = [], False
    for line in text.splitlines():
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif not inside:
            kept.append(line)
    return kept


def write_block(path: Path, hostnames: list[str], address: str = "127.0.0.1") -> None:
    lines = _without_block(path.read_text() if path.exists() else "")
    lines += [BEGIN] + [f"{address} {name}" for name in sorted(set(hostnames))] + [END]
    # Written in place: /etc/hosts is often a bind mount that cannot be renamed over.
    path.write_text("\n".join(lines) + "\n")


def remove_block(path: Path) -> None:
    if not path.exists():
        return
    text = path.read_text()
    if BEGIN not in text:
        return
    path.write_text("\n".join(_without_block(text)) + "\n")


def block_hostnames(path: Path) -> list[str]:
    names, inside = [], False
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.strip() == BEGIN:
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside and line.split():
            names.extend(line.split()[1:])
    return names
