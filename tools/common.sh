# Shared by the lab scripts: where the cache lives and how progress is shown.
ENTRAIDC_CACHE="${ENTRAIDC_CACHE:-$HOME/.cache/entra-idc}"
export ENTRAIDC_CACHE
mkdir -p "$ENTRAIDC_CACHE"

progress() { printf '[toolchain %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
