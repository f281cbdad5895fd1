"""The two AWS accounts of the twin and the shared config/credentials files that select them.

Each profile has its own access key; the gateway maps the key to the account (moto's
``x-moto-account-id``), so unmodified clients land in the account their profile names.
"""
import json
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

AWS_ENDPOINT_HOST = "aws.twin.internal"


@dataclass(frozen=True)
class Account:
    nickname: str
    account_id: str
    region: str
    partition: str
    access_key: str
    secret_key: str


# Account IDs are the AWS documentation's example IDs; access keys are 20 characters like real ones.
SPECS = (
    ("aws-commercial", "111122223333", "us-east-1", "aws", "AKIATWINCOMMERCIAL01"),
    ("aws-govcloud", "444455556666", "us-gov-west-1", "aws-us-gov", "AKIATWINGOVCLOUD0001"),
)


def load(state_dir: Path) -> list[Account]:
    """The accounts, with secret keys generated once per state directory."""
    path = state_dir / "aws-accounts.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    accounts = [Account(nick, acct, region, part, key, stored.get(nick) or secrets.token_urlsafe(30)[:40])
                for nick, acct, region, part, key in SPECS]
    secrets_by_nick = {a.nickname: a.secret_key for a in accounts}
    if stored != secrets_by_nick:
        path.write_text(json.dumps(secrets_by_nick, indent=2))
        path.chmod(0o600)
    return accounts


def by_access_key(accounts: list[Account], access_key: str) -> Account | None:
    return next((a for a in accounts if a.access_key == access_key), None)


def by_account_id(accounts: list[Account], account_id: str) -> Account | None:
    return next((a for a in accounts if a.account_id == account_id), None)


def write_client_files(state_dir: Path, accounts: list[Account]) -> tuple[Path, Path]:
    """AWS shared config (profiles with region and endpoint_url) and credentials files."""
    config = state_dir / "aws-config"
    credentials = state_dir / "aws-credentials"
    config_text = "".join(
        f"[profile {a.nickname}]\nregion = {a.region}\nendpoint_url = https://{AWS_ENDPOINT_HOST}\n"
        f"output = json\n\n" for a in accounts)
    credentials_text = "".join(
        f"[{a.nickname}]\naws_access_key_id = {a.access_key}\naws_secret_access_key = {a.secret_key}\n\n"
        for a in accounts)
    _write_if_changed(config, config_text, 0o644)
    _write_if_changed(credentials, credentials_text, 0o600)
    return config, credentials


def _write_if_changed(path: Path, text: str, mode: int) -> None:
    """Atomic, so a client reading the file while `twin env` runs never sees it half written."""
    if path.exists() and path.read_text() == text:
        return
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    temporary.write_text(text)
    temporary.chmod(mode)
    temporary.replace(path)


def describe(account: Account) -> dict:
    public = asdict(account)
    public.pop("secret_key")
    return public
