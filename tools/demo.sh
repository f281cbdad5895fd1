#!/usr/bin/env bash
# ./lab demo: the Jenkinsfile's nightly rebuild path, through the pipeline harness, against
# the local twin; prints the stage-labelled log, a per-account summary and the paths of the
# steps' lifecycle reports (HTML, one per step run), kept under build/demo/<run>/.
# ./lab demo [--time-limit D] [--teardown-limit D]: D is minutes (20), or 20m, or 90s; defaults
# ENTRAIDC_DEMO_TIME_LIMIT or 20m, ENTRAIDC_DEMO_TEARDOWN_LIMIT or 10m.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=tools/common.sh
source "$here/common.sh"

usage() { # exit-code
  echo "usage: ./lab demo [--time-limit D] [--teardown-limit D]   (D: minutes, or e.g. 20m, 90s)"
  exit "$1"
}

seconds_of() { # name value: a duration in seconds, or an error naming the input and the fix
  local name="$1" value="$2"
  if [[ "$value" =~ ^([1-9][0-9]*)(m|s)?$ ]]; then
    if [[ "${BASH_REMATCH[2]}" == s ]]; then echo "${BASH_REMATCH[1]}"; else echo $((BASH_REMATCH[1] * 60)); fi
    return
  fi
  echo "lab demo: $name must be a positive whole number of minutes (20), or of minutes or seconds with a unit (20m, 90s), not '$value'" >&2
  exit 2
}

time_limit="${ENTRAIDC_DEMO_TIME_LIMIT:-20m}"
time_limit_name=ENTRAIDC_DEMO_TIME_LIMIT
teardown_limit="${ENTRAIDC_DEMO_TEARDOWN_LIMIT:-10m}"
teardown_limit_name=ENTRAIDC_DEMO_TEARDOWN_LIMIT
while [[ $# -gt 0 ]]; do
  case "$1" in
    --time-limit) [[ $# -ge 2 ]] || usage 2 >&2; time_limit="$2"; time_limit_name=--time-limit; shift 2 ;;
    --teardown-limit) [[ $# -ge 2 ]] || usage 2 >&2; teardown_limit="$2"; teardown_limit_name=--teardown-limit; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "lab demo: unknown argument '$1'" >&2; usage 2 >&2 ;;
  esac
done
time_limit_seconds="$(seconds_of "$time_limit_name" "$time_limit")"
teardown_limit_seconds="$(seconds_of "$teardown_limit_name" "$teardown_limit")"

"$root/lab" toolchain >&2
cd "$root"
mvn -B -q -Dmaven.repo.local="$ENTRAIDC_CACHE/m2" -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/demo-classpath.txt -Dmdep.includeScope=test >&2
# The twin is shared by everything on this machine: hold its test-session lock (as the pytest fixture
# does) so no test session resets it or adds objects mid-demo (issue 11: a test helper's boto3
# AdministratorAccess once showed up in a demo's final inventory).
twin_dir="${ENTRAIDC_TWIN_DIR:-$HOME/.cache/entra-idc/twin}"
mkdir -p "$twin_dir"
exec 9>>"$twin_dir/test-session.lock"
if ! flock -n 9; then
  echo "waiting for the twin's test-session lock ($twin_dir/test-session.lock, up to 45 min)" >&2
  flock -w 2700 9 || { echo "the twin stayed busy for 45 min; run the demo later" >&2; exit 1; }
fi
started_here=0
if ! "$root/lab" twin status >/dev/null 2>&1; then
  "$root/lab" twin start >&2
  started_here=1
fi
status=0
java -cp "target/test-classes:target/classes:$(cat target/demo-classpath.txt)" \
  -Dentraidc.root="$root" -Dentraidc.demo.timeLimitSeconds="$time_limit_seconds" \
  -Dentraidc.demo.teardownLimitSeconds="$teardown_limit_seconds" io.entraidc.demo.LabDemo || status=$?
if [[ $started_here -eq 1 ]]; then
  "$root/lab" twin stop >&2
fi
exit $status
