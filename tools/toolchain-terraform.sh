#!/usr/bin/env bash
# Builds OpenTofu and the real hashicorp/aws and hashicorp/azurerm providers from
# source through the Go module proxy, at the versions pinned in tools/versions.env,
# and installs the providers as a filesystem mirror so `init` never needs a registry.
# Idempotent: each artefact is keyed by its pinned version and reused when present.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/versions.env
source "$here/versions.env"
# shellcheck source=tools/common.sh
source "$here/common.sh"

# Sources and build cache only live during a build (about 20 GB); the binaries stay.
export GOMODCACHE="$ENTRAIDC_CACHE/go-build-tmp/mod"
export GOCACHE="$ENTRAIDC_CACHE/go-build-tmp/cache"
export GOFLAGS="-modcacherw -mod=readonly -buildvcs=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0

module_dir() { # module version -> directory of the downloaded module source
  go mod download -json "$1@$2" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit("go mod download: " + d.get("Error", "no Dir")))'
}

build_once() { # name out_binary module version package ldflags [trim command...]
  local name="$1" out="$2" module="$3" version="$4" pkg="$5" ldflags="$6"
  shift 6
  if [[ -x "$out" ]]; then
    progress "$name: cached ($out)"
    return
  fi
  local started dir
  started=$(date +%s)
  progress "$name: downloading $module@$version and its dependencies"
  dir="$(module_dir "$module" "$version")"
  (cd "$dir" && go mod download)
  if [[ $# -gt 0 ]]; then # a writable copy of the source, with the service lists trimmed
    rm -rf "$GOMODCACHE/../src-$(basename "$out")"
    cp -r "$dir" "$GOMODCACHE/../src-$(basename "$out")"
    dir="$GOMODCACHE/../src-$(basename "$out")"
    chmod -R u+w "$dir"
    (cd "$dir" && "$@" "$dir")
  fi
  progress "$name: compiling (this is the long step; go build -p $(nproc))"
  mkdir -p "$(dirname "$out")"
  (cd "$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg")
  mv "$out.tmp" "$out"
  progress "$name: built in $(( $(date +%s) - started ))s ($(du -h "$out" | cut -f1))"
}


tofu_bin="$ENTRAIDC_CACHE/opentofu-$OPENTOFU_VERSION/tofu"
trim_key() { # the trim scripts and the services, so a change to any rebuilds
  cat "$here/$1" "$here/go_package_sources.py" <(echo "$2") | sha256sum | cut -c1-12
}
if [[ "${ENTRAIDC_FULL_PROVIDERS:-}" == 1 ]]; then
  aws_flavour=full azurerm_flavour=full aws_trim=() azurerm_trim=()
else
  aws_flavour="trimmed-$(trim_key trim_aws_provider.py "$AWS_PROVIDER_SERVICES")"
  azurerm_flavour="trimmed-$(trim_key trim_azurerm_provider.py "$AZURERM_PROVIDER_SERVICES")"
  trim_with() { local script="$1" services="$2" dir="$3"; read -ra list <<<"$services"; python3 "$here/$script" "$dir" "${list[@]}"; }
  aws_trim=(trim_with trim_aws_provider.py "$AWS_PROVIDER_SERVICES")
  azurerm_trim=(trim_with trim_azurerm_provider.py "$AZURERM_PROVIDER_SERVICES")
fi
aws_bin="$ENTRAIDC_CACHE/provider-aws-$AWS_PROVIDER_PSEUDO-$aws_flavour/terraform-provider-aws"
azurerm_bin="$ENTRAIDC_CACHE/provider-azurerm-$AZURERM_PROVIDER_PSEUDO-$azurerm_flavour/terraform-provider-azurerm"

build_once "opentofu" "$tofu_bin" "$OPENTOFU_MODULE" "$OPENTOFU_VERSION" ./cmd/tofu \
  "-X github.com/opentofu/opentofu/version.dev=no"
tofu_oldest_bin="$ENTRAIDC_CACHE/opentofu-$OPENTOFU_OLDEST_VERSION/tofu"
build_once "opentofu (oldest supported)" "$tofu_oldest_bin" "$OPENTOFU_MODULE" "$OPENTOFU_OLDEST_VERSION" ./cmd/tofu \
  "-X github.com/opentofu/opentofu/version.dev=no"
terraform_bin="$ENTRAIDC_CACHE/terraform-$TERRAFORM_VERSION/terraform"
build_once "terraform (MPL-2.0, validation only)" "$terraform_bin" "$TERRAFORM_MODULE" "$TERRAFORM_VERSION" . \
  ""

if [[ -n "${ENTRAIDC_PROVIDER_MIRROR:-}" ]]; then
  # Agents without internet: the providers come from a provider network mirror (Artifactory,
  # Nexus, ...), checked against the hashes it publishes, instead of being built.
  "$here/toolchain-providers-from-mirror.sh" "$tofu_bin" "$ENTRAIDC_PROVIDER_MIRROR"
else
  build_once "hashicorp/aws" "$aws_bin" "$AWS_PROVIDER_MODULE" "$AWS_PROVIDER_PSEUDO" . \
    "-X github.com/hashicorp/terraform-provider-aws/version.ProviderVersion=$AWS_PROVIDER_VERSION" \
    "${aws_trim[@]}"
  build_once "hashicorp/azurerm" "$azurerm_bin" "$AZURERM_PROVIDER_MODULE" "$AZURERM_PROVIDER_PSEUDO" . \
    "-X github.com/hashicorp/terraform-provider-azurerm/version.ProviderVersion=$AZURERM_PROVIDER_VERSION" \
    "${azurerm_trim[@]}"
  mirror_provider aws "$AWS_PROVIDER_VERSION" "$aws_bin"
  mirror_provider azurerm "$AZURERM_PROVIDER_VERSION" "$azurerm_bin"
fi

mkdir -p "$ENTRAIDC_CACHE/bin"
ln -sf "$tofu_bin" "$ENTRAIDC_CACHE/bin/tofu"
ln -sf "$tofu_oldest_bin" "$ENTRAIDC_CACHE/bin/tofu-oldest"
ln -sf "$terraform_bin" "$ENTRAIDC_CACHE/bin/terraform-1.5.7"
cat > "$ENTRAIDC_CACHE/tofurc" <<EOF
# Written by ./lab toolchain: providers come only from the local mirror.
provider_installation {
  filesystem_mirror {
    path    = "$ENTRAIDC_CACHE/provider-mirror"
    include = ["registry.opentofu.org/hashicorp/*", "registry.terraform.io/hashicorp/*"]
  }
}
plugin_cache_dir = "$ENTRAIDC_CACHE/plugin-cache"
EOF
mkdir -p "$ENTRAIDC_CACHE/plugin-cache"
# The Go sources and build cache (about 11 GB, read-only module files) are only needed while
# building: renamed at once and deleted in the background (about a minute of disk work that
# nothing waits for); a deletion cut short is finished by the next run.
if [[ -d "$ENTRAIDC_CACHE/go-build-tmp" ]]; then
  mv "$ENTRAIDC_CACHE/go-build-tmp" "$ENTRAIDC_CACHE/go-build-trash.$$"
fi
if compgen -G "$ENTRAIDC_CACHE/go-build-trash.*" >/dev/null; then
  progress "removing the Go sources and build cache in the background"
  nohup bash -c 'for d in "$0"/go-build-trash.*; do chmod -R u+w "$d" && rm -rf "$d"; done' \
    "$ENTRAIDC_CACHE" >/dev/null 2>&1 &
fi
