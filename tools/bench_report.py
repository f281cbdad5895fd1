"""./lab bench: turns the recorded runs in build/bench/ into the figures table and bench.json.

`bench_report.py DIR` reads what tools/bench.sh left in DIR: machine-start.json / machine-end.json,
timings.tsv ("name seconds" lines: twin start, cached toolchain, ./lab test), and for each run
NAME.log (lines "EPOCH text", from tools/bench_watch.py) with NAME.json (wall, exit, memory
peak, SCIM poll). Runs: rebuild-both, rebuild-one, saml-rerun (BenchRun.groovy) and direct
(bench_direct.sh). Prints the table (figure, value, goal, met?), the per-phase profile of the
rebuild, and writes DIR/bench.json. A missing run is reported "not measured", never guessed.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from pathlib import Path

# StageLog.groovy: "[step › phase › account] finished in 12.3 s" / "FAILED after 12.3 s: ...".
PHASE_END = re.compile(
    r"^\[(?P<step>[\w-]+) › (?P<phase>[^›\]]+) › (?P<account>[\w-]+)\] "
    r"(?:finished in|FAILED after) (?P<s>\d+(?:\.\d+)?) s"
)
STEP_LINE = re.compile(r"^\[(?P<step>entra\w+) › ")
BENCH = re.compile(r"^BENCH seconds (?P<what>\S+) (?P<s>\d+(?:\.\d+)?)$")
# Terraform's apply output: "azurerm_key_vault.this: Creation complete after 2m11s [id=...]".
KEY_VAULT_CREATED = re.compile(
    r"azurerm_key_vault\.[\w\[\]\"-]+: Creation complete after (?:(?P<m>\d+)m)?(?P<s>\d+)s"
)
STILL = re.compile(
    r"(?P<address>[\w.\[\]\"/@-]+): Still (?:creating|destroying|modifying)\.\.\. "
    r"\[(?:(?P<m>\d+)m)?(?P<s>\d+)s elapsed\]"
)
# Every azurerm resource's create or destroy time; in this module they run one after the other
# (resource group, Key Vault, role assignment), each mostly the provider's own fixed wait.
AZURERM_DONE = re.compile(
    r"azurerm_\w+\.\w+: (?:Creation|Destruction) complete after (?:(?P<m>\d+)m)?(?P<s>\d+)s"
)
TERRAFORM_PHASES = ("plan", "apply", "destroy", "drift check")
PYTHON_PHASES = ("preflight", "sweep", "verify", "scim-enable", "abac", "teardown")
RETRY = re.compile(r"\b(retry|retrying|Retrying|throttl\w*|Throttl\w*|Rate exceeded|Retry-After)\b")
ENTRA_CYCLE_MIN = 40
RUNS = ("rebuild-both", "direct", "rebuild-one", "saml-rerun")
GIB = 1024**3


def read_log(path: Path) -> list[tuple[float, str]]:
    """Lines of a bench_watch log as (epoch seconds, text)."""
    lines = []
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stamp, _, text = raw.partition(" ")
        try:
            lines.append((float(stamp), text))
        except ValueError:
            continue
    return lines


def phases(lines: list[tuple[float, str]]) -> list[dict]:
    """Every closed phase, in log order: step, phase, account, seconds, ok."""
    found = []
    for _, text in lines:
        m = PHASE_END.match(text)
        if m:
            found.append(
                {
                    "step": m["step"],
                    "phase": m["phase"],
                    "account": m["account"],
                    "seconds": float(m["s"]),
                    "ok": "finished in" in text,
                }
            )
    return found


def phase_profile(found: list[dict]) -> list[dict]:
    """Seconds per (step, phase), repeated phases (sweep, init) summed, in first-seen order."""
    profile: dict[tuple[str, str], dict] = {}
    for p in found:
        entry = profile.setdefault(
            (p["step"], p["phase"]), {"step": p["step"], "phase": p["phase"], "seconds": 0.0, "runs": 0}
        )
        entry["seconds"] = round(entry["seconds"] + p["seconds"], 1)
        entry["runs"] += 1
    return list(profile.values())


def step_spans(lines: list[tuple[float, str]]) -> list[dict]:
    """Wall seconds of each step run: its first labelled line to its last, one run per contiguous stretch."""
    spans: list[dict] = []
    for stamp, text in lines:
        m = STEP_LINE.match(text)
        if not m:
            continue
        if spans and spans[-1]["step"] == m["step"]:
            spans[-1]["end"] = stamp
        else:
            spans.append({"step": m["step"], "start": stamp, "end": stamp})
    return [{"step": s["step"], "seconds": round(s["end"] - s["start"], 1)} for s in spans]


def bench_seconds(lines: list[tuple[float, str]]) -> dict[str, float]:
    """The "BENCH seconds WHAT N" lines of BenchRun.groovy."""
    return {m["what"]: float(m["s"]) for _, text in lines if (m := BENCH.match(text))}


def key_vault_wait(lines: list[tuple[float, str]]) -> float | None:
    """Seconds Terraform reported for creating the Key Vault (the azurerm provider's fixed wait), summed."""
    waits = [
        int(m["m"] or 0) * 60 + int(m["s"]) for _, text in lines if (m := KEY_VAULT_CREATED.search(text))
    ]
    return float(sum(waits)) if waits else None


def waits(lines: list[tuple[float, str]]) -> dict[str, float]:
    """Longest "Still creating... [Ns elapsed]" per resource address: where apply and destroy wait."""
    longest: dict[str, float] = {}
    for _, text in lines:
        m = STILL.search(text)
        if m:
            longest[m["address"]] = max(longest.get(m["address"], 0), int(m["m"] or 0) * 60 + int(m["s"]))
    return dict(sorted(longest.items(), key=lambda kv: -kv[1]))


def azurerm_waits(lines: list[tuple[float, str]]) -> float:
    return float(
        sum(int(m["m"] or 0) * 60 + int(m["s"]) for _, text in lines if (m := AZURERM_DONE.search(text)))
    )


def time_split(total: float, found: list[dict], lines: list[tuple[float, str]]) -> dict[str, float]:
    """Where a run's seconds go: Terraform phases (and of them the azurerm waits), Python phases,
    prepare (probe, copy, init), and what lies outside every phase (harness, stages, step start-up)."""
    split = {"terraform phases": 0.0, "python phases": 0.0, "prepare": 0.0, "outputs": 0.0}
    for p in found:
        if p["phase"].startswith(TERRAFORM_PHASES):
            split["terraform phases"] += p["seconds"]
        elif p["phase"] in PYTHON_PHASES:
            split["python phases"] += p["seconds"]
        elif p["phase"] in split:
            split[p["phase"]] += p["seconds"]
    split["of terraform: azurerm create/destroy"] = azurerm_waits(lines)
    split["outside every phase"] = total - sum(p["seconds"] for p in found)
    return {k: round(v, 1) for k, v in split.items()}


def retries(lines: list[tuple[float, str]]) -> int:
    return sum(1 for _, text in lines if RETRY.search(text))


def spread(values: list[float]) -> dict | None:
    if not values:
        return None
    return {
        "n": len(values),
        "min": round(min(values), 3),
        "median": round(statistics.median(values), 3),
        "max": round(max(values), 3),
    }


def show(stats: dict | None, unit: str = "s", digits: int = 1) -> str:
    if stats is None:
        return "not measured"
    if stats["n"] == 1:
        return f"{stats['median']:.{digits}f} {unit}".strip()
    return (
        f"{stats['median']:.{digits}f} {unit} (min {stats['min']:.{digits}f}, max {stats['max']:.{digits}f}, "
        f"n={stats['n']})"
    ).replace("  ", " ")


def figure(
    name: str,
    stats: dict | None,
    goal: str,
    limit: float | None,
    unit: str = "s",
    digits: int = 1,
    note: str = "",
) -> dict:
    """One row; met is judged on the median, None when there is no goal or no value."""
    met = None if stats is None or limit is None else stats["median"] <= limit
    return {
        "figure": name,
        "value": show(stats, unit, digits) + (f"; {note}" if note else ""),
        "goal": goal,
        "met": met,
        "stats": stats,
    }


def ratio(name: str, numerator: float | None, denominator: float | None, limit: float, label: str) -> dict:
    """A ratio of two single runs (each over a minute, so measured once), with the denominator's seconds."""
    measured = bool(numerator and denominator)
    stats = spread([numerator / denominator]) if measured else None
    note = f"{label} {denominator:.1f} s" if measured else ""
    return figure(name, stats, f"≤ {limit:.2f}", limit, unit="", digits=2, note=note)


def load_run(directory: Path, name: str) -> dict | None:
    log, meta = directory / f"{name}.log", directory / f"{name}.json"
    if not (log.exists() and meta.exists()):
        return None
    lines = read_log(log)
    run = json.loads(meta.read_text())
    run.update(lines=lines, phases=phases(lines), bench=bench_seconds(lines))
    return run


def read_timings(path: Path) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            name, _, value = line.partition(" ")
            if value.strip():
                timings.setdefault(name, []).append(float(value))
    return timings


def compute(directory: Path) -> dict:
    runs = {n: load_run(directory, n) for n in RUNS}
    timings = read_timings(directory / "timings.tsv")
    both, one, rerun, direct = (runs[n] for n in ("rebuild-both", "rebuild-one", "saml-rerun", "direct"))
    rows = []

    total = both["bench"].get("build") if both and both["exit"] == 0 else None
    kv = key_vault_wait(both["lines"]) if both else None
    net = None if total is None or kv is None else total - kv
    rows.append(
        figure(
            "nightly rebuild, both partitions: total − Key Vault wait",
            spread([net] if net is not None else []),
            "≤ 90 s",
            90,
            note=f"total {total:.1f} s, Key Vault wait {kv:.0f} s" if net is not None else "",
        )
    )

    ratios = []
    if rerun and rerun["exit"] == 0 and "entraSamlSetup-first" in rerun["bench"]:
        first = rerun["bench"]["entraSamlSetup-first"]
        ratios = [v / first for k, v in rerun["bench"].items() if k.startswith("entraSamlSetup-rerun-")]
    rows.append(
        figure(
            "unchanged re-run of entraSamlSetup / first run",
            spread(ratios),
            "≤ 0.25",
            0.25,
            unit="",
            digits=2,
            note=f"first run {rerun['bench']['entraSamlSetup-first']:.1f} s" if ratios else "",
        )
    )

    one_total = one["bench"].get("build") if one and one["exit"] == 0 else None
    rows.append(
        ratio(
            "both partitions / one partition (rebuild)",
            total,
            one_total,
            1.3,
            "one partition (aws-commercial)",
        )
    )
    direct_total = direct["wall_s"] if direct and direct["exit"] == 0 else None
    rows.append(
        ratio("steps through the harness / same commands run directly", total, direct_total, 1.10, "direct")
    )

    scim = [s for r in (both, rerun, one) if r for s in r.get("scim_richroe_s", {}).values()]
    rows.append(
        figure(
            "SCIM: entraScimEnable start → RichRoe in the identity store (per account)",
            spread(scim),
            f"report (Entra's provisioning cycle: {ENTRA_CYCLE_MIN} min = {ENTRA_CYCLE_MIN * 60} s)",
            None,
        )
    )

    peak = both["memory_peak"]["tree_rss"] / GIB if both else None
    note = ""
    if both:
        mp = both["memory_peak"]
        note = (
            f"PSS {mp['tree_pss'] / GIB:.2f} GiB, up to {mp['processes']} processes; "
            f"harness JVM itself {mp['root_rss'] / GIB:.2f} GiB"
        )
    rows.append(
        figure(
            "peak memory (sum of RSS) of the agent-side processes, rebuild",
            spread([peak] if peak else []),
            "≤ 2 GiB",
            2.0,
            unit="GiB",
            digits=2,
            note=note,
        )
    )

    rows.append(figure("twin start", spread(timings.get("twin-start", [])), "report", None))
    rows.append(figure("cached ./lab toolchain", spread(timings.get("toolchain", [])), "report", None))
    rows.append(
        figure(
            "./lab test, warm machine (--with-test)",
            spread(timings.get("lab-test", [])),
            "≤ 25 min = 1500 s",
            1500,
        )
    )

    profile = {}
    for name, run in runs.items():
        if run:
            profile[name] = {
                "wall_s": run["wall_s"],
                "exit": run["exit"],
                "bench": run["bench"],
                "steps": step_spans(run["lines"]),
                "phases": phase_profile(run["phases"]),
                "key_vault_wait_s": key_vault_wait(run["lines"]),
                "longest_waits_s": dict(list(waits(run["lines"]).items())[:8]),
                "retry_lines": retries(run["lines"]),
                "cpu_s": run.get("cpu_s"),
                "loadavg": run.get("loadavg"),
                "time_split_s": time_split(
                    run["bench"].get("build", run["wall_s"]), run["phases"], run["lines"]
                ),
                "memory_peak": run["memory_peak"],
                "scim_richroe_s": run.get("scim_richroe_s"),
                "scim_poll_errors": run.get("scim_poll_errors"),
            }
    machine = {
        k: json.loads((directory / f"machine-{k}.json").read_text())
        for k in ("start", "end")
        if (directory / f"machine-{k}.json").exists()
    }
    return {"machine": machine, "figures": rows, "runs": profile}


def met_text(met: bool | None) -> str:
    return {True: "yes", False: "NO", None: "—"}[met]


def render(result: dict) -> str:
    """The figures as a Markdown table (what the README holds), the machine, and the rebuild's phases."""
    out = []
    m = result["machine"]
    if "start" in m:
        s = m["start"]
        end = m.get("end", {})
        out.append(
            f"machine: {s['nproc']} CPUs, {s['mem_gib']:.1f} GiB memory; {s['date']}; load average "
            f"(1/5/15 min) at start {' '.join(s['loadavg'])}, at end {' '.join(end.get('loadavg', ['?']))}"
        )
        out.append("")
    out.append("| figure | value | goal | met? |")
    out.append("|---|---|---|---|")
    for r in result["figures"]:
        out.append(f"| {r['figure']} | {r['value']} | {r['goal']} | {met_text(r['met'])} |")
    runs = result["runs"]
    failed = [f"{n} (exit {r['exit']}, see {n}.log)" for n, r in runs.items() if r["exit"] != 0]
    if failed:
        out += ["", "runs that failed (their figures are not measured): " + ", ".join(failed)]
    columns = [n for n in RUNS if n in runs and n != "saml-rerun"]  # saml-rerun runs the SAML step 4 times
    if columns:
        out += [
            "",
            "seconds per phase (repeated phases summed):",
            "",
            "| step | phase | " + " | ".join(columns) + " |",
            "|---|---|" + "---|" * len(columns),
        ]
        rows: dict[tuple[str, str], dict[str, float]] = {}
        for name in columns:
            for p in runs[name]["phases"]:
                rows.setdefault((p["step"], p["phase"]), {})[name] = p["seconds"]
        for (step, phase), seconds in rows.items():
            cells = " | ".join(f"{seconds[n]:.1f}" if n in seconds else "" for n in columns)
            out.append(f"| {step} | {phase} | {cells} |")
    for name in [n for n in RUNS if n in runs]:
        run = runs[name]
        load = run.get("loadavg") or {}
        out += [
            "",
            f"{name}: {run['wall_s']:.1f} s wall, {run.get('cpu_s') or 0:.0f} s CPU, exit {run['exit']}, "
            "load average "
            f"{' '.join(load.get('start', ['?']))} → {' '.join(load.get('end', ['?']))}; steps: "
            + ", ".join(f"{s['step']} {s['seconds']:.1f} s" for s in run["steps"]),
            "  where the time goes: " + ", ".join(f"{k} {v:.1f} s" for k, v in run["time_split_s"].items()),
            f"  lines mentioning a retry or throttling: {run['retry_lines']}",
        ]
        if run["longest_waits_s"]:
            out.append(
                "  longest waits ('Still …' lines): "
                + ", ".join(f"{a} {s:.0f} s" for a, s in run["longest_waits_s"].items())
            )
    return "\n".join(out)


def main(argv: list[str]) -> int:
    directory = Path(argv[0] if argv else "build/bench")
    result = compute(directory)
    (directory / "bench.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(render(result))
    print(f"\nwritten: {directory / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
