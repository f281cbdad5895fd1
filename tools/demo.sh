#!/usr/bin/env bash
# ./lab demo: the Jenkinsfile's nightly rebuild path, through the pipeline harness, against
# the local twin; prints the stage-labelled log, a per-account summary and the paths of the
# steps' lifecycle reports (HTML, one per step run).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=tools/common.sh
source "$here/common.sh"

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
  -Dentraidc.root="$root" io.entraidc.demo.LabDemo || status=$?
if [[ $started_here -eq 1 ]]; then
  "$root/lab" twin stop >&2
fi
exit $status
