#!/usr/bin/env bash
# Debian's chromium, for the test that renders the lifecycle report headless
# (test/python/test_lifecycle_report_chromium.py). Installed with apt-get, as root (or sudo).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"

if command -v chromium >/dev/null 2>&1; then
  progress "chromium: installed ($(command -v chromium))"
  exit 0
fi
as_root=()
if [[ $EUID -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "./lab toolchain: installing chromium needs root (apt-get install chromium)" >&2; exit 1; }
  as_root=(sudo)
fi
progress "chromium: installing Debian's package"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
progress "chromium: $(chromium --version 2>/dev/null)"
