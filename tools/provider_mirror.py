"""Lays out a Terraform/OpenTofu provider network mirror from provider binaries.

The layout and JSON documents are those of the provider network mirror protocol
(developer.hashicorp.com/terraform/internals/provider-network-mirror-protocol; OpenTofu keeps it:
opentofu.org/docs/internals/provider-network-mirror-protocol):
  <host>/<namespace>/<type>/index.json      {"versions": {"<version>": {}}}
  <host>/<namespace>/<type>/<version>.json  {"archives": {"<os>_<arch>": {"url": ..., "hashes": [...]}}}
with each archive the release zip (terraform-provider-<type>_<version>_<os>_<arch>.zip) and its
hashes in both schemes the CLIs check: "zh:" (SHA-256 of the zip) and "h1:" (the Go module dirhash
Hash1 of the zip's contents, as golang.org/x/mod/sumdb/dirhash computes it).
Artifactory and Nexus serve the same layout. usage:
  provider_mirror.py DIR HOST/NAMESPACE/TYPE VERSION BINARY [HOST/NAMESPACE/TYPE VERSION BINARY ...]
"""

import base64
import hashlib
import json
import sys
import zipfile
from pathlib import Path

PLATFORM = "linux_amd64"


def hash1(zip_path: Path) -> str:
    with zipfile.ZipFile(zip_path) as archive:
        names = sorted(info.filename for info in archive.infolist() if not info.is_dir())
        summary = "".join(f"{hashlib.sha256(archive.read(name)).hexdigest()}  {name}\n" for name in names)
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode()).digest()).decode()


def zip_hash(zip_path: Path) -> str:
    digest = hashlib.sha256()
    with zip_path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return "zh:" + digest.hexdigest()


def add_provider(root: Path, address: str, version: str, binary: Path) -> None:
    provider_type = address.rsplit("/", 1)[-1]
    folder = root / address
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / f"terraform-provider-{provider_type}_{version}_{PLATFORM}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        out.write(binary, f"terraform-provider-{provider_type}_v{version}_x5")
    index = folder / "index.json"
    versions = json.loads(index.read_text())["versions"] if index.exists() else {}
    versions[version] = {}
    index.write_text(json.dumps({"versions": versions}))
    (folder / f"{version}.json").write_text(json.dumps(
        {"archives": {PLATFORM: {"url": archive.name, "hashes": [hash1(archive), zip_hash(archive)]}}}))


def main(argv: list[str]) -> int:
    if len(argv) < 4 or (len(argv) - 1) % 3:
        print(__doc__.strip().splitlines()[-2:][0], file=sys.stderr)
        return 2
    root = Path(argv[0])
    for i in range(1, len(argv), 3):
        add_provider(root, argv[i], argv[i + 1], Path(argv[i + 2]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
