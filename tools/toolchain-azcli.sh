#!/usr/bin/env bash
# The real Azure CLI (azure-cli from PyPI, pinned) in its own virtual environment, keyed by
# version: its dependency set is large and pinned by Microsoft, so it never shares the
# project's venv. `az` is linked into $ENTRAIDC_CACHE/bin for the tests (tools/test.sh and
# the test fixtures put that directory on PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"
# shellcheck source=tools/versions.env
source "$here/versions.env"

venv="$ENTRAIDC_CACHE/azcli-$AZURE_CLI_VERSION"
pinned_venv azure-cli "$venv" "azure-cli==$AZURE_CLI_VERSION"
mkdir -p "$ENTRAIDC_CACHE/bin"
ln -sfn "$venv/bin/az" "$ENTRAIDC_CACHE/bin/az"
