"""What the trimmed provider builds compile: shared by tools/trim_*_provider.py."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path


def compiled_module_dirs(src: Path, module: str) -> list[Path]:
    """Directories of the module's own packages that `go build .` in src compiles."""
    go_list = ["go", "list", "-deps", "-f", "{{.ImportPath}} {{.Dir}}", "."]
    out = subprocess.run(go_list,  # noqa: S603,S607 - the Go toolchain on PATH, fixed arguments
                         cwd=src, check=True, capture_output=True, text=True).stdout
    dirs = []
    for line in out.splitlines():
        import_path, _, directory = line.partition(" ")
        if import_path.startswith(module + "/"):
            dirs.append(Path(directory))
    return dirs


def non_test_sources(directory: Path) -> list[Path]:
    return [f for f in directory.glob("*.go") if not f.name.endswith("_test.go")]


def run_trim(name: str, trim_lists: Callable[[Path, set[str]], None],
             trim_clients: Callable[[Path], int], what: str) -> None:
    """The command line of both trim scripts: SOURCE_DIR SERVICE..."""
    src, *services = sys.argv[1:]
    root = Path(src)
    trim_lists(root, set(services))
    for _ in range(3):  # dropping clients can only shrink what compiles; stop at a fixpoint
        kept = trim_clients(root)
    print(f"{name}: {len(services)} services, {kept} {what} kept")
