# Shared by the lab scripts: where the cache lives and how progress is shown.
ENTRAIDC_CACHE="${ENTRAIDC_CACHE:-$HOME/.cache/entra-idc}"
export ENTRAIDC_CACHE
mkdir -p "$ENTRAIDC_CACHE"

progress() { printf '[toolchain %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

mirror_provider() { # type version binary: installs it in the local filesystem mirror under both registries' names
  local type="$1" version="$2" binary="$3" host dest
  for host in registry.opentofu.org registry.terraform.io; do
    dest="$ENTRAIDC_CACHE/provider-mirror/$host/hashicorp/$type/$version/linux_amd64"
    mkdir -p "$dest"
    ln -sf "$binary" "$dest/terraform-provider-${type}_v${version}_x5"
  done
}
