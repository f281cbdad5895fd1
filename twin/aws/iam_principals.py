"""The two profiles as IAM users holding exactly the policies docs/permissions.md documents.

One source of truth: the JSON policies of the AWS section of docs/permissions.md, one customer
managed policy per phase heading (``### prepare …`` -> ``EntraIdcPrepare``), attached to the
user ``entraidc-automation`` of each account in moto's IAM, with the profile's access key. Managed
rather than inline: the four documents together exceed the 2,048 characters IAM allows for all of
a user's inline policies, and each stays under the 6,144 of a managed policy (IAM user guide, "IAM
and AWS STS quotas"). A test may swap in a variant (fewer or more actions); reset restores these.
"""
import json
import re
from pathlib import Path

from moto.iam.models import iam_backends

from twin.aws.accounts import Account

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
USER_NAME = "entraidc-automation"
VARIANT_POLICY = "EntraIdcTwinTestExtra"


def documented_policies(doc: Path = DOC) -> dict[str, dict]:
    """Policy name -> document, for every ```json block under a ``### <phase>`` heading of ``## AWS``."""
    text = doc.read_text()
    aws = text[text.index("## AWS\n"): text.index("## Azure\n")]
    found: dict[str, dict] = {}
    for section in re.split(r"^### ", aws, flags=re.M)[1:]:
        phase = section.split(None, 1)[0]
        for block in re.findall(r"```json\n(.*?)```", section, flags=re.S):
            found[f"EntraIdc{phase.capitalize()}"] = json.loads(block)
    return found


def user_arn(account: Account) -> str:
    return f"arn:{account.partition}:iam::{account.account_id}:user/{USER_NAME}"


def _backend(account: Account):
    return iam_backends[account.account_id][account.partition]


def install(account: Account, without: frozenset[str] = frozenset(), extra: tuple[str, ...] = (),
            phases: tuple[str, ...] | None = None) -> None:
    """(Re)creates the user, its access key and its policies: the documented ones (only those of
    ``phases``, e.g. ("prepare", "saml"), when given) minus ``without``, plus one policy allowing
    ``extra`` when given."""
    backend = _backend(account)
    if USER_NAME in backend.users:
        for policy in list(backend.get_user(USER_NAME).managed_policies.values()):
            backend.detach_user_policy(policy.arn, USER_NAME)
            backend.delete_policy(policy.arn)
        backend.access_keys.pop(account.access_key, None)
        backend.delete_user(USER_NAME)
    backend.create_user(region_name=account.region, user_name=USER_NAME, path="/", tags=[])
    key = backend.create_access_key(USER_NAME)
    backend.access_keys.pop(key.access_key_id)
    key.access_key_id, key.secret_access_key = account.access_key, account.secret_key
    backend.access_keys[key.access_key_id] = key
    documented = documented_policies()
    if phases is not None:
        unknown = sorted(f"EntraIdc{p.capitalize()}" for p in phases
                         if f"EntraIdc{p.capitalize()}" not in documented)
        if unknown:
            raise ValueError(f"no documented policy {', '.join(unknown)}; known: {sorted(documented)}")
        documented = {name: document for name, document in documented.items()
                      if name in {f"EntraIdc{p.capitalize()}" for p in phases}}
    policies = {name: _without(document, without) for name, document in documented.items()}
    policies = {name: document for name, document in policies.items() if document["Statement"]}
    if extra:
        policies[VARIANT_POLICY] = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": sorted(extra), "Resource": "*"}]}
    for name, document in policies.items():
        policy = backend.create_policy(description="", path="/", policy_document=json.dumps(document),
                                       policy_name=name, tags=[])
        backend.attach_user_policy(policy.arn, USER_NAME)


def _without(document: dict, actions: frozenset[str]) -> dict:
    statements = [{**s, "Action": [a for a in _list(s["Action"]) if a not in actions]}
                  for s in document["Statement"]]
    return {**document, "Statement": [s for s in statements if s["Action"]]}


def _list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def attached(account: Account) -> dict[str, dict]:
    """The user's policies as they are now (name -> document)."""
    backend = _backend(account)
    found = {}
    for policy in backend.get_user(USER_NAME).managed_policies.values():
        version = next(v for v in policy.versions if v.is_default)
        found[policy.name] = json.loads(version.document)
    return found


def install_all(accounts: list[Account]) -> None:
    for account in accounts:
        install(account)
