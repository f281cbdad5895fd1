"""./lab bench's report (tools/bench_report.py) on recorded log lines: phases from the StageLog lines,
step spans, the Key Vault wait from Terraform's apply output, the figures and the table. No timing is
asserted: the inputs are fixed recordings."""

import json

from tools import bench_report as br

# Lines as tools/bench_watch.py records them (arrival time, then the build's line), from a rebuild.
RECORDED = """\
1000.000 BENCH start build
1001.500 [entraSamlSetup › prepare › all] started
1008.600 [entraSamlSetup › prepare › all] finished in 7.1 s
1008.700 [entraSamlSetup › apply saml › all] started
1010.000 [entraSamlSetup › apply saml › azure-id] azurerm_key_vault.scim: Still creating... [1m10s elapsed]
1140.000 [entraSamlSetup › apply saml › azure-id] azurerm_key_vault.scim: Creation complete after 2m11s
1150.200 [entraSamlSetup › apply saml › all] finished in 141.5 s
1150.300 [entraScimEnable › prepare › all] started
1151.000 [entraScimEnable › sweep › all] finished in 0.7 s
1152.000 [entraScimEnable › sweep › all] finished in 1.3 s
1153.000 [entraScimEnable › scim-enable › aws-govcloud] retrying CreateUser after throttling (Retry-After 1)
1160.000 [entraScimEnable › scim-enable › aws-govcloud] FAILED after 6.5 s: exit code 1
1170.000 [entraTeardown › destroy › all] finished in 9.0 s
1171.000 BENCH seconds build 171.000
not a timestamped line
"""


def lines():
    return [
        (float(s), t) for s, _, t in (raw.partition(" ") for raw in RECORDED.splitlines()) if s[0].isdigit()
    ]


def test_phases_are_read_from_finished_and_failed_lines():
    found = br.phases(lines())
    assert [(p["step"], p["phase"], p["seconds"], p["ok"]) for p in found] == [
        ("entraSamlSetup", "prepare", 7.1, True),
        ("entraSamlSetup", "apply saml", 141.5, True),
        ("entraScimEnable", "sweep", 0.7, True),
        ("entraScimEnable", "sweep", 1.3, True),
        ("entraScimEnable", "scim-enable", 6.5, False),
        ("entraTeardown", "destroy", 9.0, True),
    ]
    assert found[4]["account"] == "aws-govcloud"


def test_profile_sums_repeated_phases_in_first_seen_order():
    profile = br.phase_profile(br.phases(lines()))
    assert [(p["step"], p["phase"], p["seconds"], p["runs"]) for p in profile][2] == (
        "entraScimEnable",
        "sweep",
        2.0,
        2,
    )
    assert [p["phase"] for p in profile] == ["prepare", "apply saml", "sweep", "scim-enable", "destroy"]


def test_step_spans_key_vault_wait_retries_and_bench_lines():
    log = lines()
    assert br.step_spans(log) == [
        {"step": "entraSamlSetup", "seconds": 148.7},
        {"step": "entraScimEnable", "seconds": 9.7},
        {"step": "entraTeardown", "seconds": 0.0},
    ]
    assert br.key_vault_wait(log) == 131.0
    assert br.waits(log) == {"azurerm_key_vault.scim": 70}
    assert br.retries(log) == 1
    assert br.bench_seconds(log) == {"build": 171.0}


def test_read_log_skips_lines_without_a_timestamp(tmp_path):
    path = tmp_path / "run.log"
    path.write_text(RECORDED, encoding="utf-8")
    assert br.read_log(path) == lines()


def test_figures_and_table_from_a_recorded_bench_directory(tmp_path):
    (tmp_path / "rebuild-both.log").write_text(RECORDED, encoding="utf-8")
    peak = {
        "tree_rss": 3 * br.GIB // 2,
        "tree_pss": br.GIB,
        "root_rss": br.GIB // 4,
        "processes": 12,
        "samples": 9,
    }
    meta = {
        "wall_s": 175.0,
        "exit": 0,
        "memory_peak": peak,
        "scim_richroe_s": {"aws-commercial": 30.0, "aws-govcloud": 40.0},
    }
    (tmp_path / "rebuild-both.json").write_text(json.dumps(meta))
    rerun = "1.0 BENCH seconds entraSamlSetup-first 100.0\n" + "".join(
        f"2.0 BENCH seconds entraSamlSetup-rerun-{i} {s}\n" for i, s in ((1, 20.0), (2, 30.0), (3, 25.0))
    )
    (tmp_path / "saml-rerun.log").write_text(rerun)
    (tmp_path / "saml-rerun.json").write_text(json.dumps(dict(meta, scim_richroe_s={"aws-commercial": 50.0})))
    (tmp_path / "timings.tsv").write_text("twin-start 3.0\ntwin-start 2.0\ntwin-start 4.0\ntoolchain 1.5\n")
    machine = {"nproc": 2, "mem_gib": 23.4, "loadavg": ["5.0", "4.0", "3.0"], "date": "2026-12-02T02:00:00Z"}
    (tmp_path / "machine-start.json").write_text(json.dumps(machine))

    result = br.compute(tmp_path)
    rows = {r["figure"].split(" (")[0].split(":")[0]: r for r in result["figures"]}
    rebuild = rows["nightly rebuild, both partitions"]
    assert rebuild["stats"]["median"] == 171.0 - 131.0
    assert rebuild["met"] is True
    ratio = rows["unchanged re-run of entraSamlSetup / first run"]["stats"]
    assert (ratio["n"], ratio["min"], ratio["median"], ratio["max"]) == (3, 0.2, 0.25, 0.3)
    assert rows["unchanged re-run of entraSamlSetup / first run"]["met"] is True
    assert rows["both partitions / one partition"]["value"] == "not measured"
    assert rows["both partitions / one partition"]["met"] is None
    assert rows["SCIM"]["stats"] == {"n": 3, "min": 30.0, "median": 40.0, "max": 50.0}
    assert rows["peak memory"]["stats"]["median"] == 1.5
    assert rows["twin start"]["stats"] == {"n": 3, "min": 2.0, "median": 3.0, "max": 4.0}
    assert rows["./lab test, warm machine"]["value"] == "not measured"

    table = br.render(result)
    assert "| figure | value | goal | met? |" in table
    assert "| twin start | 3.0 s (min 2.0, max 4.0, n=3) | report | — |" in table
    assert "| step | phase | rebuild-both |" in table
    assert "| entraSamlSetup | apply saml | 141.5 |" in table
    assert (
        "machine: 2 CPUs, 23.4 GiB memory; 2026-12-02T02:00:00Z; "
        "load average (1/5/15 min) at start 5.0 4.0 3.0"
        in table
    )


def test_time_split_puts_each_phase_in_its_kind_and_keeps_the_rest_outside():
    log = lines()
    split = br.time_split(171.0, br.phases(log), log)
    assert split == {
        "terraform phases": 150.5,
        "python phases": 8.5,
        "prepare": 7.1,
        "outputs": 0.0,
        "of terraform: azurerm create/destroy": 131.0,
        "outside every phase": 4.9,
    }
