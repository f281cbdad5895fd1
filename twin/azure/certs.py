"""Self-signed token-signing certificates, as addTokenSigningCertificate creates them."""

import base64
import datetime
import hashlib
import uuid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def make_signing_certificate(subject: str, end: datetime.datetime) -> dict:
    """{'certificate': PEM, 'key': PEM, 'der_b64', 'thumbprint' (SHA-1 hex, upper), 'start', 'end'}."""
    key = rsa.generate_private_key(65537, 2048)
    start = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    cn = subject[3:] if subject.upper().startswith("CN=") else subject
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(int(uuid.uuid4()))
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return {
        "certificate": cert.public_bytes(serialization.Encoding.PEM),
        "key": key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        "der_b64": base64.b64encode(der).decode(),
        "thumbprint": hashlib.sha1(der).hexdigest().upper(),  # noqa: S324 - Graph's thumbprint is SHA-1
        "start": start,
        "end": end,
    }
