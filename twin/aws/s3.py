"""S3 for the Terraform state backend (moto's S3 behind the gateway's SigV4 check).

Clients reach it as the other AWS services do, through the profiles' ``endpoint_url``
(``https://aws.twin.internal``): path-style at that host, or virtual-hosted at
``<bucket>.aws.twin.internal`` (the AWS SDKs' default addressing; each bucket's host is made
to resolve when the bucket is created). moto serves the S3 REST API, including the
conditional write that Terraform's S3 lock file relies on (PutObject with ``If-None-Match: *``
answers 412 ``PreconditionFailed`` while the key exists; Amazon S3 user guide, "Add
preconditions to S3 operations with conditional requests") and aws-chunked bodies
(``x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER``, the SDKs' default for
PutObject over HTTPS with flexible checksums; S3 API reference, "Authenticating Requests:
Using the Authorization Header").
"""
import os
import re
from typing import Any

from twin.aws.accounts import AWS_ENDPOINT_HOST

BUCKET_HOSTS = f"*.{AWS_ENDPOINT_HOST}"
# S3 bucket naming rules (user guide, "General purpose bucket naming rules"), without dots.
_BUCKET = re.compile(r"^/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])/?$")


def configure() -> None:
    """moto takes the first label of any other host as the bucket name; this host is path-style."""
    os.environ["MOTO_S3_CUSTOM_ENDPOINTS"] = f"https://{AWS_ENDPOINT_HOST}"


class BucketHosts:
    """Wraps the gateway: a path-style CreateBucket that succeeds makes <bucket>.aws.twin.internal resolve."""

    def __init__(self, gateway, context) -> None:
        self.gateway, self.context = gateway, context

    def __call__(self, environ: dict[str, Any], start_response):
        bucket = _created_bucket(environ)
        if bucket is None:
            return self.gateway(environ, start_response)
        status: dict[str, str] = {}

        def capture(line, headers, exc_info=None):
            status["line"] = line
            return start_response(line, headers, exc_info)

        body = self.gateway(environ, capture)
        if status.get("line", "").startswith("200"):
            self.context.add_hostname(f"{bucket}.{AWS_ENDPOINT_HOST}")
        return body


def _created_bucket(environ: dict[str, Any]) -> str | None:
    host = (environ.get("HTTP_HOST") or "").split(":", 1)[0].lower()
    if environ.get("REQUEST_METHOD") != "PUT" or host != AWS_ENDPOINT_HOST or environ.get("QUERY_STRING"):
        return None
    if "/s3/aws4_request" not in environ.get("HTTP_AUTHORIZATION", ""):
        return None
    match = _BUCKET.match(environ.get("PATH_INFO", ""))
    return match.group(1) if match else None
