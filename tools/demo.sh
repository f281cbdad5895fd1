#!/usr/bin/env bash
# ./lab demo: the Jenkinsfile's nightly rebuild path, through the pipeline harness, against
# the local twin; prints the stage-labelled log and a per-account summary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=tools/common.sh
source "$here/common.sh"

"$root/lab" toolchain >&2
cd "$root"
mvn -B -q -Dmaven.repo.local="$ENTRAIDC_CACHE/m2" -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/demo-classpath.txt -Dmdep.includeScope=test >&2
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
