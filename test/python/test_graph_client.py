"""GraphClient against a loopback HTTP server: Retry-After, 5xx, replication 404s, paging, errors."""

import time

import pytest
from azure.core.credentials import AccessToken
from entraidc.azure_auth import TokenSource
from entraidc.errors import GraphError
from entraidc.graph import GraphClient
from entraidc.retry import RetryPolicy, retry_after_seconds
from loopback import LoopbackServer, Reply


class StaticCredential:
    def get_token(self, *scopes, **kwargs):
        return AccessToken("test-access-token", int(time.time()) + 3600)


@pytest.fixture
def server():
    with LoopbackServer() as srv:
        yield srv


def client(server, sleeps, **policy):
    policy.setdefault("max_attempts", 4)
    return GraphClient(
        base_url=server.url + "/v1.0",
        tokens=TokenSource(StaticCredential()),
        policy=RetryPolicy(sleep=sleeps.append, **policy),
    )


def graph_error(code, status_message="x"):
    return {"error": {"code": code, "message": status_message}}


def test_throttling_honours_retry_after(server):
    sleeps = []
    server.script(Reply(429, graph_error("TooManyRequests"), {"Retry-After": "7"}), Reply(200, {"id": "u1"}))
    assert client(server, sleeps).get("/users/u1") == {"id": "u1"}
    assert sleeps == [7.0]
    assert len(server.requests) == 2
    assert server.requests[0]["headers"]["Authorization"] == "Bearer test-access-token"


def test_retry_after_is_waited_in_full_even_beyond_the_backoff_cap(server):
    """Graph "Throttling": wait the Retry-After seconds; a retry sent sooner is throttled again."""
    sleeps = []
    server.script(Reply(429, graph_error("TooManyRequests"), {"Retry-After": "45"}), Reply(200, {}))
    client(server, sleeps, max_delay=30).get("/organization")
    assert sleeps == [45.0]


def test_a_retry_after_beyond_the_limit_fails_instead_of_retrying_early(server):
    sleeps = []
    server.script(Reply(503, graph_error("ServiceUnavailable"), {"Retry-After": "3600"}), Reply(200, {}))
    with pytest.raises(GraphError) as err:
        client(server, sleeps, max_retry_after=300).get("/organization")
    assert sleeps == [] and len(server.requests) == 1
    assert err.value.status == 503


def test_transient_5xx_without_hint_backs_off_exponentially_then_fails(server):
    sleeps = []
    server.script(*[Reply(503, graph_error("ServiceUnavailable", "busy"))] * 4)
    with pytest.raises(GraphError) as err:
        client(server, sleeps, base_delay=0.5).get("/applications")
    assert sleeps == [0.5, 1.0, 2.0]
    assert len(server.requests) == 4
    assert err.value.status == 503 and err.value.code == "ServiceUnavailable"
    assert "GET /applications" in str(err.value)


def test_just_created_object_404_is_waited_for(server):
    sleeps = []
    server.script(
        Reply(404, graph_error("Request_ResourceNotFound")),
        Reply(404, graph_error("Request_ResourceNotFound")),
        Reply(200, {"id": "sp1"}),
    )
    body = client(server, sleeps).get("/servicePrincipals/sp1", retry_not_found=True)
    assert body == {"id": "sp1"}
    assert sleeps == [1.0, 2.0]


def test_replication_wait_is_bounded_by_time(server):
    sleeps = []
    server.script(*[Reply(404, graph_error("Request_ResourceNotFound"))] * 10)
    fake_now = [0.0]

    def sleep(seconds):
        sleeps.append(seconds)
        fake_now[0] += seconds

    graph = GraphClient(
        base_url=server.url + "/v1.0",
        tokens=TokenSource(StaticCredential()),
        policy=RetryPolicy(sleep=sleep, clock=lambda: fake_now[0], not_found_budget=10),
    )
    with pytest.raises(GraphError) as err:
        graph.get("/servicePrincipals/sp1", retry_not_found=True)
    assert sum(sleeps) <= 10
    assert err.value.code == "Request_ResourceNotFound"


def test_permanent_error_fails_fast_with_call_status_and_code(server):
    sleeps = []
    server.script(Reply(403, graph_error("Authorization_RequestDenied", "Insufficient privileges")))
    with pytest.raises(GraphError) as err:
        client(server, sleeps).post("/users", {"displayName": "x"})
    assert sleeps == []
    assert len(server.requests) == 1
    message = str(err.value)
    assert "POST /users" in message and "403" in message and "Authorization_RequestDenied" in message


def test_404_without_retry_fails_at_once(server):
    sleeps = []
    server.script(Reply(404, graph_error("Request_ResourceNotFound")))
    with pytest.raises(GraphError):
        client(server, sleeps).get("/users/none")
    assert sleeps == [] and len(server.requests) == 1


def test_paging_follows_next_link(server):
    sleeps = []
    server.script(
        Reply(200, {"value": [1, 2], "@odata.nextLink": server.url + "/v1.0/users?$skiptoken=a"}),
        Reply(200, {"value": [3], "@odata.nextLink": server.url + "/v1.0/users?$skiptoken=b"}),
        Reply(200, {"value": [4]}),
    )
    assert list(client(server, sleeps).list("/users", params={"$top": "2"})) == [1, 2, 3, 4]
    assert [r["path"] for r in server.requests] == [
        "/v1.0/users?$top=2",
        "/v1.0/users?$skiptoken=a",
        "/v1.0/users?$skiptoken=b",
    ]


def test_filter_is_percent_encoded_with_spaces_as_pct20(server):
    server.script(Reply(200, {"value": []}))
    list(
        client(server, []).list(
            "/applicationTemplates", params={"$filter": "displayName eq 'AWS IAM Identity Center'"}
        )
    )
    assert server.requests[0]["path"] == (
        "/v1.0/applicationTemplates?$filter=displayName%20eq%20'AWS%20IAM%20Identity%20Center'"
    )


def test_delete_of_missing_object_is_not_an_error(server):
    server.script(Reply(404, graph_error("Request_ResourceNotFound")))
    assert client(server, []).delete("/applications/gone") is None


def test_retry_after_http_date():
    future = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    assert 25 <= retry_after_seconds(future) <= 31
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds("soon") is None
