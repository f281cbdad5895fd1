"""`./lab toolchain` installs the providers from a provider network mirror, and refuses a wrong hash.

A loopback HTTPS server serves the toolchain's own provider binaries in the layout of the provider
network mirror protocol (developer.hashicorp.com/terraform/internals/provider-network-mirror-protocol),
laid out by tools/provider_mirror.py. The real OpenTofu fetches from it (`providers mirror`, which
verifies each archive against the hashes the mirror lists), then `init` of the module works from
what was installed.
"""

import functools
import json
import os
import ssl
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from twin.core import ca

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("ENTRAIDC_CACHE", Path.home() / ".cache" / "entra-idc"))
VERSIONS = dict(line.split("=", 1) for line in (ROOT / "tools/versions.env").read_text().splitlines()
                if "=" in line and not line.startswith("#"))
PROVIDERS = {"aws": VERSIONS["AWS_PROVIDER_VERSION"], "azurerm": VERSIONS["AZURERM_PROVIDER_VERSION"]}


def _installed_binary(provider_type: str, version: str) -> Path:
    link = (CACHE / "provider-mirror/registry.opentofu.org/hashicorp" / provider_type / version
            / "linux_amd64" / f"terraform-provider-{provider_type}_v{version}_x5")
    if not link.exists():
        pytest.fail(f"{link} is missing; run ./lab toolchain terraform")
    return link.resolve()


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    """(root directory, https URL, CA bundle) of a network mirror of the toolchain's providers."""
    base = tmp_path_factory.mktemp("network-mirror")
    root = base / "www"
    arguments = []
    for host in ("registry.opentofu.org", "registry.terraform.io"):
        for provider_type, version in PROVIDERS.items():
            binary = _installed_binary(provider_type, version)
            arguments += [f"{host}/hashicorp/{provider_type}", version, str(binary)]
    subprocess.run(["python3", str(ROOT / "tools/provider_mirror.py"), str(root), *arguments], check=True)
    certs = base / "tls"
    certs.mkdir()
    ca.ensure_server_cert(certs, {"localhost"})
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / ca.SERVER_CERT, certs / ca.SERVER_KEY)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"https://localhost:{server.server_address[1]}/", certs / ca.CA_CERT
    server.shutdown()


def _toolchain_from_mirror(tmp_path: Path, url: str, ca_bundle: Path) -> subprocess.CompletedProcess:
    """./lab toolchain terraform into an empty cache that already holds the three CLIs (built once)."""
    cache = tmp_path / "cache"
    clis = (("opentofu", VERSIONS["OPENTOFU_VERSION"], "tofu"),
            ("opentofu", VERSIONS["OPENTOFU_OLDEST_VERSION"], "tofu-oldest"),
            ("terraform", VERSIONS["TERRAFORM_VERSION"], "terraform-1.5.7"))
    for name, version, link in clis:
        binary = (CACHE / "bin" / link).resolve()
        (cache / f"{name}-{version}").mkdir(parents=True)
        (cache / f"{name}-{version}" / binary.name).symlink_to(binary)
    env = {**os.environ, "ENTRAIDC_CACHE": str(cache), "ENTRAIDC_PROVIDER_MIRROR": url,
           "SSL_CERT_FILE": str(ca_bundle)}
    return subprocess.run([str(ROOT / "lab"), "toolchain", "terraform"], env=env, capture_output=True,
                          text=True, timeout=600)


def test_toolchain_installs_providers_from_the_network_mirror_and_init_uses_them(mirror, tmp_path):
    root, url, ca_bundle = mirror
    result = _toolchain_from_mirror(tmp_path, url, ca_bundle)
    assert result.returncode == 0, result.stderr[-3000:]
    for provider_type, version in PROVIDERS.items():
        assert f"provider hashicorp/{provider_type} {version}" in result.stdout
        installed = (tmp_path / f"cache/provider-{provider_type}-{version}-from-mirror"
                     / f"terraform-provider-{provider_type}_v{version}_x5")
        assert installed.read_bytes()[:4] == b"\x7fELF"
        assert installed.stat().st_size == _installed_binary(provider_type, version).stat().st_size
    work = tmp_path / "module"
    subprocess.run(["cp", "-r", str(ROOT / "resources/entraidc/terraform"), str(work)], check=True)
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(tmp_path / "cache/tofurc"), "TF_IN_AUTOMATION": "1"}
    init = subprocess.run([str(tmp_path / "cache/bin/tofu"), "init", "-backend=false", "-input=false",
                           "-no-color"], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stdout + init.stderr
    assert f"Installed hashicorp/aws v{PROVIDERS['aws']}" in init.stdout


def test_a_wrong_hash_in_the_mirror_stops_the_toolchain(mirror, tmp_path):
    root, url, ca_bundle = mirror
    document = root / f"registry.opentofu.org/hashicorp/aws/{PROVIDERS['aws']}.json"
    original = document.read_text()
    listing = json.loads(original)
    listing["archives"]["linux_amd64"]["hashes"] = ["zh:" + "0" * 64]
    document.write_text(json.dumps(listing))
    try:
        result = _toolchain_from_mirror(tmp_path, url, ca_bundle)
    finally:
        document.write_text(original)
    assert result.returncode != 0
    assert "doesn't match\nthe expected checksum" in result.stderr, result.stderr[-3000:]
    assert not (tmp_path / "cache/provider-mirror/registry.opentofu.org/hashicorp/aws").exists()


def test_a_mirror_url_that_is_not_https_is_refused_before_any_download(tmp_path):
    result = _toolchain_from_mirror(tmp_path, "http://localhost:1/", tmp_path / "none.pem")
    assert result.returncode == 2
    assert "ENTRAIDC_PROVIDER_MIRROR" in result.stderr and "https://" in result.stderr
