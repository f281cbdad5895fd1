"""SigV4 verification of incoming requests with botocore's own signer.

The signature is recomputed from the headers the client signed, the body and the
credential scope, and compared in constant time, as AWS does (AWS General Reference,
"Signature Version 4 signing process"; botocore.auth.SigV4Auth).
"""
import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/(?P<service>[^/]+)"
    r"/aws4_request,\s*SignedHeaders=(?P<signed>[^,]+),\s*Signature=(?P<signature>[0-9a-f]{64})")
MAX_SKEW = datetime.timedelta(minutes=15)
# x-amz-content-sha256 values that sign the headers only (S3 API reference, "Authenticating
# Requests: Using the Authorization Header"): the body is unsigned or carries a trailing checksum.
UNHASHED_PAYLOADS = ("UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")


@dataclass(frozen=True)
class Authorization:
    access_key: str
    date: str
    region: str
    service: str
    signed_headers: list[str]
    signature: str


class SignatureError(Exception):
    """code is the AWS error code; the gateway renders it in the service's protocol."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def parse(header: str | None) -> Authorization | None:
    match = AUTH_RE.match(header or "")
    if not match:
        return None
    return Authorization(match["key"], match["date"], match["region"], match["service"],
                         match["signed"].split(";"), match["signature"])


def verify(auth: Authorization, secret_key: str, method: str, url: str, headers: dict[str, str],
           body: bytes, now: datetime.datetime | None = None) -> None:
    lower = {k.lower(): v for k, v in headers.items()}
    amz_date = lower.get("x-amz-date", "")
    try:
        signed_at = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    except ValueError:
        raise SignatureError("IncompleteSignature", "Authorization header requires existence of either "
                             "a 'X-Amz-Date' or a 'Date' header.") from None
    now = now or datetime.datetime.now(datetime.UTC)
    if abs(now - signed_at) > MAX_SKEW:
        raise SignatureError("InvalidSignatureException", f"Signature expired: {amz_date} is now earlier "
                             f"than {(now - MAX_SKEW):%Y%m%dT%H%M%SZ}")
    if "host" not in auth.signed_headers:
        raise SignatureError("IncompleteSignature", "The host header must be signed.")
    missing = [h for h in auth.signed_headers if h not in lower]
    if missing:
        raise SignatureError("IncompleteSignature", f"Signed header(s) missing: {', '.join(missing)}")
    content_sha = lower.get("x-amz-content-sha256")
    hashed = content_sha and content_sha not in UNHASHED_PAYLOADS
    if hashed and content_sha != hashlib.sha256(body).hexdigest():
        raise SignatureError("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does "
                             "not match what was computed.")
    request = AWSRequest(method=method, url=_encoded_query(url), data=body,
                         headers={name: lower[name] for name in auth.signed_headers})
    request.context["timestamp"] = amz_date
    signer = SigV4Auth(Credentials(auth.access_key, secret_key), auth.service, auth.region)
    canonical = signer.canonical_request(request)
    expected = signer.signature(signer.string_to_sign(request, canonical), request)
    if not hmac.compare_digest(expected, auth.signature):
        raise SignatureError("InvalidSignatureException", "The request signature we calculated does not "
                             "match the signature you provided. Check your AWS Secret Access Key and signing "
                             "method. Consult the service documentation for details.")


def _encoded_query(url: str) -> str:
    """The URL with each query name and value URI-encoded as SigV4's canonical query string wants
    them (botocore takes a URL's query as already encoded). Clients may send characters such as
    ':' and '/' unencoded, e.g. S3 ListObjectsV2 prefix=env:/ from the Go SDK."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = [pair.partition("=") for pair in parts.query.split("&") if pair]
    query = "&".join(f"{quote(unquote(name), safe='-_.~')}={quote(unquote(value), safe='-_.~')}"
                     for name, _, value in pairs)
    return urlunsplit(parts._replace(query=query))
