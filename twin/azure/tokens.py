"""RS256 access tokens (v1 shape, as Entra issues for client credentials) and their checks.

Claims follow Microsoft identity platform "Access token claims reference": aud, iss
(https://sts.windows.net/<tid>/ for v1 tokens), iat/nbf/exp, appid, appidacr, idtyp, oid,
sub, tid, ver. The azurerm provider reads oid/tid/appid from the token for
azurerm_client_config; Graph, ARM and Key Vault check aud.
"""

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from twin.azure import ids

LIFETIME = 3599


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class TokenError(Exception):
    pass


KEY_FILE = "azure-token-key.pem"


def load_or_create_key(state_dir: Path | None) -> rsa.RSAPrivateKey:
    """The signing key, kept in the state dir so that tokens stay valid across twin restarts."""
    if state_dir is None:
        return rsa.generate_private_key(65537, 2048)
    path = state_dir / KEY_FILE
    if not path.exists():
        key = rsa.generate_private_key(65537, 2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        state_dir.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.replace(temporary, path)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


@dataclass
class TokenIssuer:
    state_dir: Path | None = None
    key: rsa.RSAPrivateKey = field(init=False)

    def __post_init__(self) -> None:
        self.key = load_or_create_key(self.state_dir)

    @property
    def kid(self) -> str:
        der = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return _b64(hashlib.sha1(der).digest())  # noqa: S324 - a key id, as Entra's x5t

    def jwks(self) -> dict:
        numbers = self.key.public_key().public_numbers()
        n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
        e = numbers.e.to_bytes((numbers.e.bit_length() + 7) // 8, "big")
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "kid": self.kid,
                    "x5t": self.kid,
                    "n": _b64(n),
                    "e": _b64(e),
                    "issuer": ids.STS_ISSUER,
                }
            ]
        }

    def issue(
        self,
        audience: str,
        app_id: str,
        object_id: str,
        roles: list[str] | None = None,
        scp: str | None = None,
        upn: str | None = None,
    ) -> str:
        """An app-only token (``roles``), or a delegated one for a signed-in user (``scp``, ``upn``)."""
        now = int(time.time())
        claims = {
            "aud": audience,
            "iss": ids.STS_ISSUER,
            "iat": now,
            "nbf": now,
            "exp": now + LIFETIME,
            "aio": "twin",
            "appid": app_id,
            "appidacr": "1",
            "idp": ids.STS_ISSUER,
            "idtyp": "app",
            "oid": object_id,
            "sub": object_id,
            "tid": ids.TENANT_ID,
            "uti": _b64(hashlib.sha256(f"{now}{object_id}{audience}".encode()).digest()[:16]),
            "ver": "1.0",
        }
        if roles:
            claims["roles"] = roles
        if scp is not None:
            claims.update(
                {"idtyp": "user", "appidacr": "0", "scp": scp, "upn": upn, "unique_name": upn, "name": upn}
            )
            # No `wids`: "Access token claims reference" — the claim is configured per application
            # (groupMembershipClaims), and clients "shouldn't take a dependency on a claim being
            # present"; the Azure CLI's configuration is not published. The roles are read from Graph.
        return self.sign(claims)

    def id_token(self, client_id: str, object_id: str, upn: str) -> str:
        """The OpenID Connect id_token MSAL keeps the signed-in account from (v2 shape)."""
        now = int(time.time())
        return self.sign(
            {
                "aud": client_id,
                "iss": f"{ids.AUTHORITY}/{ids.TENANT_ID}/v2.0",
                "iat": now,
                "nbf": now,
                "exp": now + LIFETIME,
                "oid": object_id,
                "sub": object_id,
                "tid": ids.TENANT_ID,
                "preferred_username": upn,
                "name": upn,
                "ver": "2.0",
            }
        )

    def sign(self, claims: dict) -> str:
        header = {"typ": "JWT", "alg": "RS256", "x5t": self.kid, "kid": self.kid}
        signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def verify(self, token: str, audiences: set[str]) -> dict:
        """Claims of a token this issuer signed for one of ``audiences`` (compared without a trailing /)."""
        try:
            head, body, signature = token.split(".")
            self.key.public_key().verify(
                _unb64(signature), f"{head}.{body}".encode(), padding.PKCS1v15(), hashes.SHA256()
            )
            claims = json.loads(_unb64(body))
        except Exception as e:  # noqa: BLE001 - any malformed or forged token is rejected alike
            raise TokenError("the access token is malformed or its signature is invalid") from e
        if claims.get("exp", 0) < time.time():
            raise TokenError("the access token has expired")
        wanted = {a.rstrip("/") for a in audiences}
        if str(claims.get("aud", "")).rstrip("/") not in wanted:
            raise TokenError(
                f"the access token's audience {claims.get('aud')!r} is not valid for this resource"
            )
        return claims


def bearer(environ: dict) -> str | None:
    header = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None
