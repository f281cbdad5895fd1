"""The toolchain's OpenTofu run on a copy of the root module against the twin."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
MODULE = ROOT / "resources" / "entraidc" / "terraform"
CACHE = Path(os.environ.get("ENTRAIDC_CACHE", Path.home() / ".cache" / "entra-idc"))
TOFU = CACHE / "bin" / "tofu"


def tofu_runner(work: Path):
    """run(*args, expect=(0,)): tofu in work with the twin's environment; destroys at teardown."""
    if not (TOFU.exists() and (CACHE / "tofurc").exists()):
        pytest.skip("OpenTofu and the providers are not built yet; run ./lab toolchain terraform")
    (work.parent / "python").symlink_to(MODULE.parent / "python")
    env = dict(
        os.environ,
        TF_CLI_CONFIG_FILE=str(CACHE / "tofurc"),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
        ENTRAIDC_PYTHON=str(CACHE / "venv" / "bin" / "python"),
    )

    def run(*args: str, expect: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
        done = subprocess.run(  # noqa: S603 - the toolchain's OpenTofu
            [str(TOFU), *args, "-no-color"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode in expect, (
            f"tofu {' '.join(args)}: exit {done.returncode}\n{done.stdout[-6000:]}\n{done.stderr[-6000:]}"
        )
        return done

    run.work = work
    return run
