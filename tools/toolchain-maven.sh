#!/usr/bin/env bash
# Maven dependencies (Groovy 2.4.21, groovy-cps, JUnit 5) into the cache's local repository,
# resolved once per pom.xml content.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"
root="$(dirname "$here")"

stamp="$ENTRAIDC_CACHE/m2/.resolved-$(sha256sum "$root/pom.xml" | cut -c1-16)"
if [[ -f "$stamp" ]]; then
  progress "maven: cached ($ENTRAIDC_CACHE/m2)"
  exit 0
fi
progress "maven: resolving dependencies and plugins"
(cd "$root" && mvn -B -q -Dmaven.repo.local="$ENTRAIDC_CACHE/m2" -DskipTests test-compile)
touch "$stamp"
