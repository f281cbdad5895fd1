#!/usr/bin/env bash
# ./lab toolchain [python|maven|terraform|chromium|all]: idempotent set-up of everything the tests need.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"

# One toolchain run at a time per cache: ./lab test and ./lab demo call it too, and two builds of
# the same artefact would write the same files.
mkdir -p "$ENTRAIDC_CACHE"
exec 8>>"$ENTRAIDC_CACHE/.toolchain.lock"
flock 8

what="${1:-all}"
case "$what" in
  python)    "$here/toolchain-python.sh"; "$here/toolchain-azcli.sh"; "$here/toolchain-checkov.sh"; "$here/toolchain-chromium.sh" ;;
  maven)     "$here/toolchain-maven.sh" ;;
  terraform) "$here/toolchain-terraform.sh" ;;
  chromium)  "$here/toolchain-chromium.sh" ;;
  all)
    # The downloads (PyPI, Maven Central, Debian) wait on the network, the Go builds on the CPU: run both
    # at once. Each half stops at its first error; the toolchain fails if either did.
    ( "$here/toolchain-python.sh" && "$here/toolchain-azcli.sh" && "$here/toolchain-checkov.sh" &&
      "$here/toolchain-maven.sh" && "$here/toolchain-chromium.sh" ) &
    downloads=$!
    terraform_status=0
    "$here/toolchain-terraform.sh" || terraform_status=$?
    downloads_status=0
    wait "$downloads" || downloads_status=$?
    [[ $terraform_status -eq 0 && $downloads_status -eq 0 ]] || {
      echo "./lab toolchain: failed (terraform part: exit $terraform_status, python/azure-cli/checkov/maven/chromium part: exit $downloads_status)" >&2
      exit 1
    }
    ;;
  *) echo "usage: ./lab toolchain [python|maven|terraform|chromium|all]" >&2; exit 2 ;;
esac
"$here/toolchain-report.sh"
