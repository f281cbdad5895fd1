#!/usr/bin/env bash
# checkov (the Terraform security scan of `./lab test terraform`) in its own virtual
# environment: it pins boto3 1.35 while the automation pins boto3 1.44.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/common.sh
source "$here/common.sh"
# shellcheck source=tools/versions.env
source "$here/versions.env"

pinned_venv checkov "$ENTRAIDC_CACHE/checkov-$CHECKOV_VERSION" "checkov==$CHECKOV_VERSION"
