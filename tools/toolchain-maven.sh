#!/usr/bin/env bash
# Maven dependencies (Groovy 2.4.21, groovy-cps, JUnit 5) and the plugins the tests and
# ./lab demo use, into the cache's local repository, resolved once per pom.xml content.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"
root="$(dirname "$here")"

stamp="$ENTRAIDC_CACHE/m2/.resolved-$(cat "$root/pom.xml" "$0" | sha256sum | cut -c1-16)"
if [[ -f "$stamp" ]]; then
  progress "maven: cached ($ENTRAIDC_CACHE/m2)"
  exit 0
fi
progress "maven: resolving dependencies and plugins"
# dependency:build-classpath too: ./lab demo runs it, and must work offline afterwards.
(cd "$root" && mvn -B -q -Dmaven.repo.local="$ENTRAIDC_CACHE/m2" -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$ENTRAIDC_CACHE/m2/.classpath-probe" -Dmdep.includeScope=test)
# Surefire fetches its JUnit Platform provider (surefire-junit-platform, junit-platform-launcher) only
# when it runs tests, which -DskipTests skips: run one test of the harness that needs nothing else, so
# that `mvn -o test` (./lab test, a network namespace) finds everything right after this step.
probe_reports="$(mktemp -d)"
(cd "$root" && mvn -B -q -Dmaven.repo.local="$ENTRAIDC_CACHE/m2" surefire:test -Dtest=ProgramStateTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dentraidc.reports="$probe_reports")
rm -rf "$probe_reports"
touch "$stamp"
