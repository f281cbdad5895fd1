"""Prints, as a JSON object {name: value}, every secret value stored in the twin right now:
the SCIM access tokens in both accounts' Secrets Manager (the token of scim-enable's JSON
record) and the Key Vault secrets whose content type says they are passwords (the vault
also holds non-secret results such as application IDs). Tests use it to prove that none
of them reached a log, a plan, the Terraform state or a workspace file. Run with the twin's environment.

usage: python twin_secrets.py [KEY_VAULT_URI]
"""

import json
import sys

import boto3
import requests
from azure.identity import EnvironmentCredential

KEY_VAULT_API = "7.4"  # https://learn.microsoft.com/rest/api/keyvault/secrets/get-secrets/get-secrets


def aws_secret_values() -> dict[str, str]:
    values = {}
    for profile in ("aws-commercial", "aws-govcloud"):
        client = boto3.Session(profile_name=profile).client("secretsmanager")
        for secret in client.list_secrets()["SecretList"]:
            try:
                value = client.get_secret_value(SecretId=secret["ARN"])["SecretString"]
            except client.exceptions.ResourceNotFoundException:
                continue  # a container without a value yet
            values[f"{profile}:{secret['Name']}"] = _token(value)
    return values


def _token(value: str) -> str:
    """The SCIM access token itself where the secret holds scim-enable's JSON record (what could leak
    alone, e.g. into Entra's provisioning credentials or a log line), else the whole value."""
    try:
        record = json.loads(value)
    except ValueError:
        return value
    return (record.get("Token") or value) if isinstance(record, dict) else value


def key_vault_values(vault_uri: str) -> dict[str, str]:
    token = EnvironmentCredential().get_token("https://vault.azure.net/.default").token
    headers = {"Authorization": f"Bearer {token}"}
    base = vault_uri.rstrip("/")
    listing = requests.get(f"{base}/secrets?api-version={KEY_VAULT_API}", headers=headers, timeout=30)
    listing.raise_for_status()
    values = {}
    for item in listing.json().get("value", []):
        if "password" not in (item.get("contentType") or ""):
            continue
        answer = requests.get(f"{item['id']}?api-version={KEY_VAULT_API}", headers=headers, timeout=30)
        if answer.ok:
            values[f"azure-id:{item['id'].rsplit('/', 1)[-1]}"] = answer.json()["value"]
    return values


def main(argv: list[str]) -> int:
    values = aws_secret_values()
    if argv:
        values.update(key_vault_values(argv[0]))
    print(json.dumps(values))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
