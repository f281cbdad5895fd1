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

pinned_venv() { # label venv_dir pip-install-arguments...: a venv with pinned packages, built once
  local label="$1" venv="$2"
  shift 2
  if [[ -x "$venv/bin/python" && -f "$venv/.complete" ]]; then
    progress "$label: cached ($venv)"
    return
  fi
  progress "$label: installing into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip==24.3.1
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$@"
  touch "$venv/.complete"
}
