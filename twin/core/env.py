"""The `export` lines that point unmodified clients at the twin."""
import os
import shlex
from pathlib import Path

from twin.core import ca
from twin.core.context import TwinContext
from twin.core.plugins import discover

SYSTEM_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt")


def ca_bundle(state: Path) -> Path:
    """The system's trusted CAs plus the twin's CA, so one bundle serves every client."""
    ca.ensure_ca(state)
    bundle = state / "ca-bundle.pem"
    parts = [Path(p).read_text() for p in SYSTEM_BUNDLES if Path(p).exists()][:1]
    parts.append((state / ca.CA_CERT).read_text())
    text = "\n".join(parts)
    if not bundle.exists() or bundle.read_text() != text:
        temporary = bundle.with_name(f".ca-bundle.{os.getpid()}.pem")
        temporary.write_text(text)
        temporary.replace(bundle)
    return bundle


def export(name: str, value: str) -> str:
    return f"export {name}={shlex.quote(value)}"


def env_lines(context: TwinContext) -> list[str]:
    bundle = str(ca_bundle(context.state_dir))
    lines = [export("ENTRAIDC_TWIN_DIR", str(context.state_dir)),
             export("ENTRAIDC_TWIN_CA", str(context.state_dir / ca.CA_CERT)),
             export("REQUESTS_CA_BUNDLE", bundle), export("SSL_CERT_FILE", bundle),
             export("CURL_CA_BUNDLE", bundle)]
    for side in discover():
        if hasattr(side, "env_lines"):
            lines += side.env_lines(context)
    return lines


def parse_env_lines(lines: list[str]) -> dict[str, str]:
    env = {}
    for line in lines:
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = shlex.split(value)[0] if value else ""
    return env
