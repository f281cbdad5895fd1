#!/usr/bin/env bash
# ./lab bench [--with-test]: measures the speed and memory figures of issue 14 in one run and
# prints them as a table (figure, value, goal, met?); writes build/bench/bench.json next to the
# raw logs. Runs against the twin (start it inside a private namespace: /work/ns-run NAME ./lab bench
# on a shared machine). About 25 minutes on 2 cores; --with-test adds ./lab test (about 25 min).
#   rebuild-both  the Jenkinsfile's nightly rebuild, both partitions, through the harness
#   direct        the rebuild's Terraform and Python commands without the harness (bench_direct.sh)
#   rebuild-one   the same rebuild for aws-commercial alone
#   saml-rerun    entraSamlSetup, 3 unchanged re-runs, entraScimEnable(abac), entraTeardown
#   twin start (3x), cached ./lab toolchain (3x), optionally ./lab test (1x)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=tools/common.sh
source "$here/common.sh"
with_test=0
for arg in "$@"; do
  case "$arg" in
    --with-test) with_test=1 ;;
    *) echo "usage: ./lab bench [--with-test]" >&2; exit 2 ;;
  esac
done
py="$ENTRAIDC_CACHE/venv/bin/python"
out="$root/build/bench"
reps=3
rm -rf "$out"
mkdir -p "$out"
cd "$root"

machine() { # start|end
  printf '{"nproc": %s, "mem_gib": %s, "loadavg": ["%s", "%s", "%s"], "date": "%s"}\n' "$(nproc)" \
    "$(awk '/MemTotal/ { printf "%.2f", $2 / 1048576 }' /proc/meminfo)" \
    $(cut -d' ' -f1-3 /proc/loadavg) "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$out/machine-$1.json"
}
seconds() { # name command...: appends "name seconds" to timings.tsv
  local name="$1" t0 t1
  shift
  t0=$(date +%s.%N)
  "$@" > "$out/$name.out" 2>&1
  t1=$(date +%s.%N)
  awk -v n="$name" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s %.3f\n", n, b - a }' >> "$out/timings.tsv"
}
watch() { # name scim-accounts command...
  local name="$1" accounts="$2"
  shift 2
  echo "bench: $name" >&2
  "$py" "$here/bench_watch.py" --out "$out/$name" --scim-accounts "$accounts" -- "$@" || echo "bench: $name failed (see $out/$name.log)" >&2
}

machine start
for _ in $(seq $reps); do seconds toolchain "$root/lab" toolchain; done

# The test classpath from Maven's own compiler call (offline: the dependency plugin is not in the cache).
echo "bench: compiling the harness" >&2
mvn -B -o -X -Dmaven.repo.local="$ENTRAIDC_CACHE/m2" -DskipTests test-compile > "$out/mvn-test-compile.log" 2>&1
classpath=$(sed -n 's/^\[DEBUG\] -d [^ ]*test-classes -classpath \([^ ]*\) .*/\1/p' "$out/mvn-test-compile.log" | head -n 1)
[[ -n "$classpath" ]] || { echo "bench: no test classpath in $out/mvn-test-compile.log" >&2; exit 1; }

# As ./lab demo: hold the twin's test-session lock so no test session resets it mid-run.
twin_dir="${ENTRAIDC_TWIN_DIR:-$HOME/.cache/entra-idc/twin}"
mkdir -p "$twin_dir"
exec 9>>"$twin_dir/test-session.lock"
flock -w 2700 9 || { echo "bench: the twin stayed busy for 45 min" >&2; exit 1; }
for _ in $(seq $reps); do
  "$root/lab" twin stop >/dev/null 2>&1 || true
  seconds twin-start "$root/lab" twin start
done
eval "$("$root/lab" twin env)"

# The bench's own agent cache: Terraform's plugin cache is not safe for concurrent inits
# (developer.hashicorp.com/terraform/cli/config/config-file, "Provider Plugin Cache"), and other runs on a
# shared machine init into the toolchain's one.
export ENTRAIDC_BENCH_AGENT_CACHE="$out/agent-cache"
harness=(java -cp "$classpath" -Dentraidc.root="$root" io.entraidc.bench.BenchRun)
# The direct run right after the harness run it is compared with: the load of a shared machine drifts.
watch rebuild-both aws-commercial,aws-govcloud "${harness[@]}" rebuild both
"$root/lab" twin reset >/dev/null
watch direct "" "$here/bench_direct.sh" "$out/direct-work" aws-commercial aws-govcloud
rm -rf "$out/direct-work"
watch rebuild-one aws-commercial "${harness[@]}" rebuild aws-commercial
watch saml-rerun aws-commercial,aws-govcloud "${harness[@]}" saml-rerun $reps

# ./lab test stops a twin it did not find running; it finds this one running and leaves it.
exec 9>&-
if [[ $with_test -eq 1 ]]; then
  echo "bench: ./lab test" >&2
  seconds lab-test "$root/lab" test || true
fi
"$root/lab" twin stop >/dev/null 2>&1 || true
machine end
"$py" "$here/bench_report.py" "$out"
