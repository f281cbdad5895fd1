#!/usr/bin/env bash
# ./lab twin ...: the local cloud twin (Python package twin/).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"
py="$ENTRAIDC_CACHE/venv/bin/python"
[[ -x "$py" ]] || { echo "lab twin: no Python environment; run ./lab toolchain python first" >&2; exit 1; }
PYTHONPATH="$(dirname "$here")${PYTHONPATH:+:$PYTHONPATH}" exec "$py" -m twin "$@"
