"""./lab demo's time limits (tools/demo.sh): a bad value stops it at once, naming the input and the
accepted forms, before the toolchain, the compile or the twin are touched."""

import os
import subprocess
from pathlib import Path

import pytest

LAB = Path(__file__).resolve().parents[2] / "lab"


def demo(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ENTRAIDC_DEMO_")} | env
    command = [str(LAB), "demo", *args]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize(
    ("args", "env", "named", "value"),
    [
        (["--time-limit", "0"], {}, "--time-limit", "0"),
        (["--time-limit", "20min"], {}, "--time-limit", "20min"),
        (["--teardown-limit", "-5"], {}, "--teardown-limit", "-5"),
        ([], {"ENTRAIDC_DEMO_TIME_LIMIT": "soon"}, "ENTRAIDC_DEMO_TIME_LIMIT", "soon"),
        ([], {"ENTRAIDC_DEMO_TEARDOWN_LIMIT": "1.5"}, "ENTRAIDC_DEMO_TEARDOWN_LIMIT", "1.5"),
    ],
)
def test_a_bad_limit_is_refused_naming_it_before_anything_runs(args, env, named, value):
    result = demo(*args, **env)
    assert result.returncode == 2
    assert result.stderr == (
        f"lab demo: {named} must be a positive whole number of minutes (20), or of minutes or seconds "
        f"with a unit (20m, 90s), not '{value}'\n"
    )
    assert "[toolchain" not in result.stdout + result.stderr, "the toolchain step ran"


def test_an_unknown_argument_prints_the_usage():
    result = demo("--timelimit", "5")
    assert result.returncode == 2
    assert "lab demo: unknown argument '--timelimit'" in result.stderr
    assert "usage: ./lab demo [--time-limit D] [--teardown-limit D]" in result.stderr
