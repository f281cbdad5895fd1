"""The real Azure CLI (tools/toolchain-azcli.sh) logged in to the twin, in a private config dir."""

import json
import os
import subprocess
from pathlib import Path

CACHE = Path(os.environ.get("ENTRAIDC_CACHE", Path.home() / ".cache" / "entra-idc"))
AZ = CACHE / "bin" / "az"
SECRET_VARS = ("AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "ARM_CLIENT_ID", "ARM_CLIENT_SECRET")


class AzureCli:
    def __init__(self, twin_env: dict, config_dir: Path):
        assert AZ.exists(), f"{AZ} is missing: run ./lab toolchain python"
        self.twin_env = twin_env
        # What the automation sees on an agent with an Azure CLI login: no client secret at all.
        self.env = {k: v for k, v in twin_env.items() if k not in SECRET_VARS}
        self.env.update(
            {
                "AZURE_CONFIG_DIR": str(config_dir),
                "PATH": f"{AZ.parent}{os.pathsep}{os.environ.get('PATH', '')}",
                "AZURE_CORE_COLLECT_TELEMETRY": "no",
                "AZURE_CORE_SURVEY_MESSAGE": "no",
            }
        )

    def az(self, *args: str, expect: int = 0) -> str:
        env = {**{k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "ARM_"))}, **self.env}
        done = subprocess.run([str(AZ), *args], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == expect, (
            f"az {args[0]} {args[1] if len(args) > 1 else ''}: {done.stderr[-2000:]}"
        )
        return done.stdout

    def login_service_principal(self) -> list:
        e = self.twin_env
        out = self.az(
            "login",
            "--service-principal",
            "-u",
            e["AZURE_CLIENT_ID"],
            "-p",
            e["AZURE_CLIENT_SECRET"],
            "--tenant",
            e["AZURE_TENANT_ID"],
            "-o",
            "json",
        )
        return json.loads(out)

    def login_user(self) -> list:
        e = self.twin_env
        out = self.az(
            "login",
            "-u",
            e["ENTRAIDC_TWIN_AZURE_ADMIN"],
            "-p",
            e["ENTRAIDC_TWIN_AZURE_ADMIN_PASSWORD"],
            "-o",
            "json",
        )
        return json.loads(out)
