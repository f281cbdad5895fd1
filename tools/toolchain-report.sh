#!/usr/bin/env bash
# Prints the toolchain summary lines that `./lab toolchain` ends with.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/versions.env
source "$here/versions.env"
# shellcheck source=tools/common.sh
source "$here/common.sh"
tofu="$ENTRAIDC_CACHE/bin/tofu"
if [[ -x "$tofu" ]]; then
  version="$(TF_CLI_CONFIG_FILE=/dev/null "$tofu" version -json | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])')"
  echo "terraform: $(readlink -f "$tofu") $version (opentofu)"
fi
terraform157="$ENTRAIDC_CACHE/bin/terraform-1.5.7"
if [[ -x "$terraform157" ]]; then
  version="$(TF_CLI_CONFIG_FILE=/dev/null "$terraform157" version -json | python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])')"
  echo "terraform: $(readlink -f "$terraform157") $version (terraform)"
fi
for p in aws:"$AWS_PROVIDER_VERSION" azurerm:"$AZURERM_PROVIDER_VERSION"; do
  type="${p%%:*}" version="${p#*:}"
  if [[ -e "$ENTRAIDC_CACHE/provider-mirror/registry.opentofu.org/hashicorp/$type/$version/linux_amd64/terraform-provider-${type}_v${version}_x5" ]]; then
    echo "provider hashicorp/$type $version"
  fi
done
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(command -v chromium) $(chromium --version 2>/dev/null | awk '{print $2}')"
fi
