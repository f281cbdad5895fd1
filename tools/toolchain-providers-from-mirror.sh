#!/usr/bin/env bash
# Installs the pinned hashicorp/aws and hashicorp/azurerm providers from a provider network
# mirror (the Terraform/OpenTofu network mirror protocol, as Artifactory and Nexus serve it)
# instead of building them. OpenTofu's `init` downloads them through the mirror and checks every
# archive against the hashes it publishes (`providers mirror` would ask the origin registry
# instead); a mismatch stops the toolchain.
# usage: toolchain-providers-from-mirror.sh TOFU MIRROR_URL   (called by toolchain-terraform.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/versions.env
source "$here/versions.env"
# shellcheck source=tools/common.sh
source "$here/common.sh"
tofu="$1" url="$2"
[[ "$url" == https://* ]] || { echo "ENTRAIDC_PROVIDER_MIRROR: '$url' is not an https:// URL (the network mirror protocol requires HTTPS); fix the variable" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/cli.tfrc" <<CONF
provider_installation {
  network_mirror {
    url = "${url%/}/"
  }
}
CONF
cat > "$work/versions.tf" <<CONF
terraform {
  required_providers {
    aws     = { source = "hashicorp/aws", version = "= $AWS_PROVIDER_VERSION" }
    azurerm = { source = "hashicorp/azurerm", version = "= $AZURERM_PROVIDER_VERSION" }
  }
}
CONF
progress "providers: installing aws $AWS_PROVIDER_VERSION and azurerm $AZURERM_PROVIDER_VERSION from the network mirror $url"
(cd "$work" && TF_CLI_CONFIG_FILE="$work/cli.tfrc" TF_IN_AUTOMATION=1 "$tofu" init -backend=false -input=false -no-color)
for p in aws:"$AWS_PROVIDER_VERSION" azurerm:"$AZURERM_PROVIDER_VERSION"; do
  type="${p%%:*}" version="${p#*:}"
  dest="$ENTRAIDC_CACHE/provider-$type-$version-from-mirror"
  rm -rf "$dest" && mkdir -p "$dest"
  cp "$work/.terraform/providers/registry.opentofu.org/hashicorp/$type/$version/linux_amd64/terraform-provider-${type}_v${version}_x5" "$dest/"
  mirror_provider "$type" "$version" "$dest/terraform-provider-${type}_v${version}_x5"
  progress "providers: $type $version installed from the mirror"
done
