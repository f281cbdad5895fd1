#!/usr/bin/env bash
# ./lab toolchain [python|maven|terraform|all]: idempotent set-up of everything the tests need.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"

what="${1:-all}"
case "$what" in
  python)    "$here/toolchain-python.sh"; "$here/toolchain-azcli.sh" ;;
  maven)     "$here/toolchain-maven.sh" ;;
  terraform) "$here/toolchain-terraform.sh" ;;
  all)
    "$here/toolchain-python.sh"
    "$here/toolchain-azcli.sh"
    "$here/toolchain-maven.sh"
    "$here/toolchain-terraform.sh"
    ;;
  *) echo "usage: ./lab toolchain [python|maven|terraform|all]" >&2; exit 2 ;;
esac
"$here/toolchain-report.sh"
