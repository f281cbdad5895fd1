"""Trims a copy of the hashicorp/aws provider source to the service packages this module uses.

The provider registers every AWS service in two generated files; the resource code is left as it
is and only those lists shrink:
  internal/provider/sdkv2/service_packages_gen.go  the registered service packages
  internal/conns/awsclient_gen.go                  one SDK client accessor per AWS service
Accessors still called by any package the trimmed provider compiles are kept, so the result is
the same provider with fewer resources. usage: trim_aws_provider.py SOURCE_DIR SERVICE...
"""

import re
import sys
from pathlib import Path

from go_package_sources import compiled_module_dirs, non_test_sources, run_trim

MODULE = "github.com/hashicorp/terraform-provider-aws"


def trim_service_packages(src: Path, keep: set[str]) -> None:
    path = src / "internal/provider/sdkv2/service_packages_gen.go"
    kept = []
    for line in path.read_text().splitlines():
        imported = re.fullmatch(rf'\t"{MODULE}/internal/service/(\w+)"', line)
        registered = re.fullmatch(r"\t\t(\w+)\.ServicePackage\(ctx\),", line)
        name = (imported or registered).group(1) if (imported or registered) else None
        if name is None or name in keep:
            kept.append(line)
    missing = keep - {m for m in re.findall(r"\t\t(\w+)\.ServicePackage", "\n".join(kept))}
    if missing:
        sys.exit(f"trim_aws_provider: no service package named {sorted(missing)}")
    path.write_text("\n".join(kept) + "\n")


def trim_client_accessors(src: Path) -> int:
    path = src / "internal/conns/awsclient_gen.go"
    text = path.read_text()
    head, _, body = text.partition("\n)\n")
    accessor = r"(func \(c \*AWSClient\) (\w+)\(ctx context\.Context\) \*(\w+)\.Client \{\n.*?\n\}\n)"
    methods = re.findall(accessor, body, flags=re.S)
    names = {name for _, name, _ in methods}
    called: set[str] = set()
    for directory in compiled_module_dirs(src, MODULE):
        for go_file in non_test_sources(directory):
            if go_file != path:
                called |= names & set(re.findall(r"\.(\w+Client)\(", go_file.read_text()))
    kept = [(block, pkg) for block, name, pkg in methods if name in called]
    packages = {pkg for _, pkg in kept}
    imports = [line for line in head.splitlines()
               if not (m := re.fullmatch(r'\t"github\.com/aws/aws-sdk-go-v2/service/(\w+)"', line))
               or m.group(1) in packages]
    path.write_text("\n".join(imports) + "\n)\n\n" + "\n".join(block for block, _ in kept))
    return len(kept)


if __name__ == "__main__":
    run_trim("trim_aws_provider", trim_service_packages, trim_client_accessors, "SDK client accessors")
