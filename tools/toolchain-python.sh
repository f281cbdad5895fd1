#!/usr/bin/env bash
# Python virtual environment with the pinned requirements of the library, the twin
# and the tests. Keyed by the hash of the requirement files, so a change rebuilds it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"
root="$(dirname "$here")"

reqs=("$root/resources/entraidc/python/requirements.txt" "$root/twin/requirements.txt" "$root/test/python/requirements.txt")
key="$(cat "${reqs[@]}" | sha256sum | cut -c1-16)"
venv="$ENTRAIDC_CACHE/venv-$key"
args=()
for r in "${reqs[@]}"; do args+=(-r "$r"); done
pinned_venv python "$venv" "${args[@]}"
ln -sfn "$venv" "$ENTRAIDC_CACHE/venv"


# Wheels of the automation's pinned requirements, so the step tests can run the steps' own
# venv creation (EntraRun.PYTHON_SETUP) offline: pip install --no-index --find-links here.
automation="$root/resources/entraidc/python/requirements.txt"
wheelhouse="$ENTRAIDC_CACHE/wheelhouse-$(sha256sum "$automation" | cut -c1-16)"
if [[ -d "$wheelhouse" ]]; then
  progress "python: wheelhouse cached ($wheelhouse)"
else
  progress "python: downloading the automation's wheels into $wheelhouse"
  rm -rf "$wheelhouse.tmp"
  "$venv/bin/pip" download --quiet --disable-pip-version-check --only-binary=:all: -r "$automation" -d "$wheelhouse.tmp"
  mv "$wheelhouse.tmp" "$wheelhouse"
fi
