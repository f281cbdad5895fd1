"""AWS error responses in the two wire protocols the twin's services use.

JSON 1.1 (sso-admin, identitystore, secretsmanager, organizations and the console
operations): body ``{"__type": code, "message": ...}`` and header ``x-amzn-ErrorType``, as
botocore's JSON error parser reads them. Query (IAM, STS): ``<ErrorResponse>`` XML.
"""
import json
import uuid
from http import HTTPStatus

Response = tuple[str, list[tuple[str, str]], bytes]


class AwsError(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"


def json_error(code: str, message: str, status: int = 400) -> Response:
    body = json.dumps({"__type": code, "message": message}).encode()
    return status_line(status), [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code),
                                 ("x-amzn-RequestId", str(uuid.uuid4())),
                                 ("Content-Length", str(len(body)))], body


def query_error(code: str, message: str, status: int = 400) -> Response:
    request_id = str(uuid.uuid4())
    kind = "Receiver" if status >= 500 else "Sender"
    body = (f'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>{kind}</Type>'
            f"<Code>{code}</Code><Message>{message}</Message></Error><RequestId>{request_id}</RequestId>"
            "</ErrorResponse>").encode()
    return status_line(status), [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id),
                                 ("Content-Length", str(len(body)))], body


def json_ok(data: dict) -> Response:
    body = json.dumps(data).encode()
    return "200 OK", [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", str(uuid.uuid4())),
                      ("Content-Length", str(len(body)))], body


# Authentication failures: JSON services answer 400 with these codes, query services 403.
QUERY_AUTH_CODES = {"UnrecognizedClientException": "InvalidClientTokenId",
                    "InvalidSignatureException": "SignatureDoesNotMatch",
                    "MissingAuthenticationTokenException": "MissingAuthenticationToken",
                    "IncompleteSignature": "IncompleteSignature"}


def auth_error(protocol: str, code: str, message: str) -> Response:
    if protocol == "aws-json":
        return json_error(code, message, 403 if code == "MissingAuthenticationTokenException" else 400)
    return query_error(QUERY_AUTH_CODES.get(code, code), message, 403)
