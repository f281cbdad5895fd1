#!/usr/bin/env bash
# ./lab test [groovy|python|terraform|all|e2e]: sets up the toolchain (./lab toolchain, cached), runs
# each suite with its native runner, collects JUnit XML under build/test-results/<suite>/ and ends
# with "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"
root="$(dirname "$here")"
results="$root/build/test-results"
py="$ENTRAIDC_CACHE/venv/bin/python"

run_pytest() { # suite-name marker-expression
  mkdir -p "$results/$1"
  (cd "$root" && PYTHONPATH="$root:$root/resources/entraidc/python" "$py" -m pytest -m "$2" \
      --junitxml="$results/$1/pytest.xml" -o junit_suite_name="$1" test/python test/twin test/terraform/twin)
}

maven_tests() { # results-dir groups excluded-groups
  mkdir -p "$1"
  # Offline: the toolchain step resolved everything (Surefire's JUnit Platform provider too).
  (cd "$root" && mvn -o -B -q -Dmaven.repo.local="$ENTRAIDC_CACHE/m2" \
      -Dentraidc.reports="$1" -Dentraidc.groups="$2" -Dentraidc.excludedGroups="$3" \
      -Dsurefire.failIfNoSpecifiedTests=false test)
}

run_python() {
  (cd "$root" && "$py" -m ruff check resources/entraidc/python twin test tools) || lint_failed=1
  run_pytest python "not e2e"
}

run_groovy() { maven_tests "$results/groovy" "" e2e; }

# The reliability suite: tests tagged e2e (JUnit 5 @Tag("e2e"), pytest @pytest.mark.e2e).
run_e2e() {
  local rc=0
  maven_tests "$results/e2e/groovy" e2e "" || rc=1
  run_pytest e2e/python e2e || { [[ $? -eq 5 ]] || rc=1; }  # 5: no test collected
  return $rc
}

run_terraform() {
  mkdir -p "$results/terraform"
  RESULTS_DIR="$results/terraform" "$root/test/terraform/run.sh"
}

suite="${1:-all}"
case "$suite" in
  groovy|python|terraform|e2e) suites=("$suite") ;;
  all) suites=(groovy python terraform) ;;
  *) echo "usage: ./lab test [groovy|python|terraform|all|e2e]" >&2; exit 2 ;;
esac

# Everything the suites need, built or found in the cache (about a second when nothing changed).
"$root/lab" toolchain || { echo "lab test: the toolchain step failed (see above)" >&2; exit 1; }

lint_failed=0
status=0
# The suites start the twin when they need it; stop it afterwards unless it was running already.
twin_was_running=0
"$root/lab" twin status >/dev/null 2>&1 && twin_was_running=1
for s in "${suites[@]}"; do
  rm -rf "${results:?}/$s"
  echo "== suite: $s"
  "run_$s" || status=1
done
if [[ $twin_was_running -eq 0 ]]; then
  "$root/lab" twin stop >/dev/null 2>&1 || true
fi
summary="$("$py" "$here/count_results.py" "$results" "${suites[@]}")" || status=1
[[ $lint_failed -eq 0 ]] || { echo "ruff: lint errors (see above)"; status=1; }
echo "$summary"
exit $status
