"""Where the twin keeps its state (CA, certificate, pid, log, generated client config)."""
import os
from pathlib import Path

ADMIN_HOST = "twin.internal"
PORT = 443
LISTEN_ADDRESS = "127.0.0.1"


def state_dir() -> Path:
    default = Path.home() / ".cache" / "entra-idc" / "twin"
    path = Path(os.environ.get("ENTRAIDC_TWIN_DIR", str(default)))
    path.mkdir(parents=True, exist_ok=True)
    return path


def hosts_file() -> Path:
    return Path(os.environ.get("ENTRAIDC_TWIN_HOSTS_FILE", "/etc/hosts"))
