"""Trims a copy of the hashicorp/azurerm provider source to the services this module uses.

The provider registers every Azure service in generated or hand-kept lists; the resource code is
left as it is and only these lists shrink:
  internal/provider/services.go, services_gen.go   the registered services (typed, untyped, framework)
  internal/clients/client.go, client_gen.go        one API client per service, built at start
Clients still used by any package the trimmed provider compiles are kept, so the result is the
same provider with fewer resources. usage: trim_azurerm_provider.py SOURCE_DIR SERVICE...
"""

import re
import sys
from pathlib import Path

from go_package_sources import compiled_module_dirs, non_test_sources, run_trim

MODULE = "github.com/hashicorp/terraform-provider-azurerm"


def drop_unused_imports(text: str) -> str:
    head, sep, rest = text.partition("\nimport (\n")
    block, sep2, body = rest.partition("\n)\n")
    kept = []
    for line in block.splitlines():
        m = re.fullmatch(r'\t(?:(\w+) )?"([^"]+)"', line)
        if m:
            alias = m.group(1) or m.group(2).rsplit("/", 1)[-1]
            if not re.search(rf"\b{re.escape(alias)}\.", body):
                continue
        kept.append(line)
    return head + sep + "\n".join(kept) + sep2 + body


def trim_registrations(src: Path, keep: set[str]) -> None:
    for name in ("services.go", "services_gen.go"):
        path = src / "internal/provider" / name
        lines = [line for line in path.read_text().splitlines()
                 if not (m := re.fullmatch(r"\t+(\w+)\.Registration\{\},", line)) or m.group(1) in keep]
        path.write_text(drop_unused_imports("\n".join(lines) + "\n"))
    found = set(re.findall(r"(\w+)\.Registration\{\}", (src / "internal/provider/services.go").read_text()))
    if keep - found:
        sys.exit(f"trim_azurerm_provider: no service named {sorted(keep - found)}")


def compiled_sources(src: Path, skip: Path) -> str:
    return "\n".join(f.read_text() for directory in compiled_module_dirs(src, MODULE) if directory != skip
                     for f in non_test_sources(directory))


def trim_clients(src: Path) -> int:
    clients_dir = src / "internal/clients"
    used = compiled_sources(src, clients_dir)
    used += "\n".join(f.read_text() for f in non_test_sources(clients_dir)
                      if f.name not in ("client.go", "client_gen.go"))
    kept = 0
    for name in ("client.go", "client_gen.go"):
        path = clients_dir / name
        text = path.read_text()
        fields = re.findall(r"^\t(\w+)\s+\*\w+\.(?:Auto)?Client$", text, flags=re.M)
        for field in fields:
            if re.search(rf"\.{field}\.", used):
                kept += 1
                continue
            text = re.sub(rf"^\t{field}\s+\*\w+\.(?:Auto)?Client\n", "", text, flags=re.M)
            built = rf"^\tif client\.{field}, err = [^\n]*\{{\n[^\n]*\n\t\}}\n\n?"
            text = re.sub(built, "", text, flags=re.M)
            text = re.sub(rf"^\tclient\.{field} = [^\n]*\n", "", text, flags=re.M)
        path.write_text(drop_unused_imports(text))
    return kept


if __name__ == "__main__":
    run_trim("trim_azurerm_provider", trim_registrations, trim_clients, "service clients")
