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
if [[ -x "$venv/bin/python" && -f "$venv/.complete" ]]; then
  progress "python: cached ($venv)"
else
  progress "python: creating $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip==24.3.1
  args=()
  for r in "${reqs[@]}"; do args+=(-r "$r"); done
  progress "python: installing pinned requirements"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${args[@]}"
  touch "$venv/.complete"
fi
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
