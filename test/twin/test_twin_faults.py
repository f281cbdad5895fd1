"""Fault injection, switched through `python -m twin faults` against the running twin.

References: botocore model/retry behaviour (``ThrottlingException`` is a throttling error code
in botocore's standard retry mode); RFC 6585 section 4 and RFC 9110 section 10.2.3 (429 and
Retry-After); RFC 7644 section 3.12 (SCIM error body).
"""

import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.exceptions import ClientError
from twin_client import Scim, scim_endpoint_and_token, scim_user

from twin.core import ca, paths

ROOT = Path(__file__).resolve().parents[2]
NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


def faults_cli(*args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "twin", "faults", *args],
        cwd=ROOT,
        env=env,  # noqa: S603
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture
def clean_faults(twin_environ, twin_reset):
    yield
    faults_cli("clear")


def test_throttle_answers_throttling_exception_with_retry_after_then_clears(clean_faults):
    added = faults_cli(
        "add",
        "--service",
        "sso-admin",
        "--operation",
        "ListInstances",
        "--kind",
        "throttle",
        "--retry-after",
        "7",
        "--count",
        "1",
    )
    assert added["faults"][0]["kind"] == "throttle"
    client = boto3.Session(profile_name="aws-govcloud").client("sso-admin", config=NO_RETRY)
    with pytest.raises(ClientError) as error:
        client.list_instances()
    response = error.value.response
    assert response["Error"]["Code"] == "ThrottlingException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "7"
    assert client.list_instances()["Instances"]  # count 1: the next call goes through
    listed = faults_cli("list")
    assert listed["faults"] == []
    assert [(r["id"], r["fired"], r["count"]) for r in listed["spent"]] == [(added["added"], 1, 0)]


def test_botocore_standard_retries_ride_out_a_short_throttle(clean_faults):
    faults_cli(
        "add",
        "--service",
        "identitystore",
        "--operation",
        "ListUsers",
        "--kind",
        "throttle",
        "--retry-after",
        "0",
        "--count",
        "2",
    )
    store = boto3.Session(profile_name="aws-commercial").client("sso-admin").list_instances()["Instances"][0]
    client = boto3.Session(profile_name="aws-commercial").client(
        "identitystore", config=Config(retries={"mode": "standard", "max_attempts": 3})
    )
    answer = client.list_users(IdentityStoreId=store["IdentityStoreId"])
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2


def test_5xx_on_a_query_service(clean_faults):
    faults_cli("add", "--service", "iam", "--operation", "ListRoles", "--kind", "5xx", "--status", "503")
    client = boto3.Session(profile_name="aws-commercial").client("iam", config=NO_RETRY)
    with pytest.raises(ClientError) as error:
        client.list_roles()
    assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert error.value.response["Error"]["Code"] == "ServiceUnavailable"


def test_scim_throttle_is_429_with_retry_after(clean_faults):
    scim = Scim(*scim_endpoint_and_token("aws-commercial"))
    faults_cli(
        "add", "--service", "scim", "--operation", "POST /Users", "--kind", "throttle", "--retry-after", "2"
    )
    answer = scim("POST", "Users", scim_user("t@example.com"))
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "2"
    assert answer.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_delay_makes_a_new_scim_user_404_until_the_delay_passes(clean_faults):
    scim = Scim(*scim_endpoint_and_token("aws-commercial"))
    faults_cli("add", "--service", "scim", "--operation", "GET /Users", "--kind", "delay", "--seconds", "1.5")
    user = scim("POST", "Users", scim_user("late@example.com")).json()
    assert scim("GET", f"Users/{user['id']}").status_code == 404
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and scim("GET", f"Users/{user['id']}").status_code == 404:
        time.sleep(0.25)
    assert scim("GET", f"Users/{user['id']}").status_code == 200


def test_delay_on_a_public_json_api(clean_faults):
    session = boto3.Session(profile_name="aws-commercial")
    faults_cli(
        "add",
        "--service",
        "secretsmanager",
        "--operation",
        "DescribeSecret",
        "--kind",
        "delay",
        "--seconds",
        "30",
    )
    client = session.client("secretsmanager", config=NO_RETRY)
    arn = client.create_secret(Name="late", SecretString="x")["ARN"]
    with pytest.raises(ClientError) as error:
        client.describe_secret(SecretId=arn)
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    faults_cli("clear")
    assert client.describe_secret(SecretId=arn)["ARN"] == arn


def test_bad_fault_specs_are_refused_with_a_json_error(twin_environ):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "twin",
            "faults",
            "add",
            "--service",
            "x",
            "--operation",
            "y",  # noqa: S603
            "--kind",
            "5xx",
            "--status",
            "404",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 1 and "500-599" in json.loads(done.stdout)["error"]


def test_duplicate_serves_a_create_twice_and_answers_the_retry(clean_faults):
    """What the Terraform aws provider saw when aws-sdk-go-v2 retried a CreateUser whose answer its
    own transport had cut (aws/aws-sdk-go-v2 PR #2949): the user exists, the client gets
    ConflictException for the retry, and the rule counts as fired once."""
    added = faults_cli("add", "--service", "identitystore", "--operation", "CreateUser",
                       "--kind", "duplicate", "--count", "1")
    session = boto3.Session(profile_name="aws-commercial")
    store = session.client("sso-admin").list_instances()["Instances"][0]["IdentityStoreId"]
    ids = session.client("identitystore", config=NO_RETRY)
    with pytest.raises(ClientError) as refused:
        ids.create_user(IdentityStoreId=store, UserName="answered-twice", DisplayName="A T",
                        Name={"GivenName": "A", "FamilyName": "T"})
    assert refused.value.response["Error"]["Code"] == "ConflictException"
    users = ids.list_users(IdentityStoreId=store)["Users"]
    assert [u["UserName"] for u in users if u["UserName"] == "answered-twice"] == ["answered-twice"]
    assert faults_cli("list")["faults"] == []  # count 1: fired once and gone
    assert added["faults"][0]["kind"] == "duplicate"
    second = ids.create_user(IdentityStoreId=store, UserName="answered-once", DisplayName="A O",
                             Name={"GivenName": "A", "FamilyName": "O"})
    assert second["UserId"]


def test_duplicate_is_refused_outside_the_aws_gateway(clean_faults):
    with pytest.raises(subprocess.CalledProcessError) as refused:
        faults_cli("add", "--service", "graph", "--operation", "*", "--kind", "duplicate")
    said = refused.value.stdout + refused.value.stderr
    assert "a duplicate fault needs one of the AWS gateway's services" in said, said


STS = "sts.amazonaws.com"


def _tls_socket(host: str) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=str(paths.state_dir() / ca.CA_CERT))
    connection = socket.create_connection((host, paths.PORT), timeout=10)
    return context.wrap_socket(connection, server_hostname=host)


def _exchange(sock: ssl.SSLSocket, method: str, host: str, path: str, headers=(), body: bytes = b""):
    """One request on an open connection: (status, Connection header, body) of its answer."""
    head = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in headers
             if name.lower() not in ("host", "content-length")]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    response = http.client.HTTPResponse(sock, method=method)
    response.begin()
    return response.status, response.getheader("Connection"), response.read()


def _closed_by_server(sock: ssl.SSLSocket) -> bool:
    try:
        return sock.recv(1) == b""
    except (ConnectionResetError, ssl.SSLEOFError):
        return True


def _signed_get_caller_identity() -> tuple[list[tuple[str, str]], bytes]:
    session = boto3.Session(profile_name="aws-commercial")
    request = AWSRequest(method="POST", url="https://sts.amazonaws.com/",
                         data=b"Action=GetCallerIdentity&Version=2011-06-15",
                         headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(session.get_credentials(), "sts", "us-east-1").add_auth(request)
    prepared = request.prepare()
    return list(prepared.headers.items()), prepared.body


def test_close_answers_then_closes_the_connection_on_an_aws_service(clean_faults):
    """The twin's former server closed every connection after its answer; the clouds keep them open.
    The close kind does it on purpose: the request is served, its answer says `Connection: close`
    and the connection ends, once per count; then connections stay open again."""
    sock = _tls_socket(STS)
    status, connection, body = _exchange(sock, "POST", STS, "/", *_signed_get_caller_identity())
    assert (status, connection) == (200, None) and b"111122223333" in body  # kept open: no fault yet
    added = faults_cli("add", "--service", "sts", "--operation", "GetCallerIdentity", "--kind", "close",
                       "--count", "1")
    status, connection, body = _exchange(sock, "POST", STS, "/", *_signed_get_caller_identity())
    assert (status, connection) == (200, "close") and b"111122223333" in body  # served, then closed
    assert _closed_by_server(sock), "the answer said Connection: close but the twin kept the connection"
    sock.close()
    listed = faults_cli("list")
    assert [(r["id"], r["kind"], r["fired"]) for r in listed["spent"]] == [(added["added"], "close", 1)]
    sock = _tls_socket(STS)
    for _ in range(2):
        status, connection, _ = _exchange(sock, "POST", STS, "/", *_signed_get_caller_identity())
        assert (status, connection) == (200, None)
    sock.close()


def test_close_on_an_azure_service_and_in_the_cli_help(clean_faults):
    faults_cli("add", "--service", "login", "--operation", "instanceDiscovery", "--kind", "close",
               "--count", "1")
    host, path = "login.microsoftonline.com", "/common/discovery/instance"
    sock = _tls_socket(host)
    status, connection, body = _exchange(sock, "GET", host, path)
    assert (status, connection) == (200, "close") and b"tenant_discovery_endpoint" in body
    assert _closed_by_server(sock)
    sock.close()
    sock = _tls_socket(host)
    assert [_exchange(sock, "GET", host, path)[:2] for _ in range(2)] == [(200, None), (200, None)]
    sock.close()
    usage = subprocess.run([sys.executable, "-m", "twin", "faults", "add", "--help"], cwd=ROOT,
                           capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                           timeout=30, check=True).stdout
    choices = usage[usage.index("--kind {") + 8:].split("}", 1)[0].split(",")
    assert "close" in choices, usage
    assert "Connection: close after the answer" in " ".join(usage.split())
