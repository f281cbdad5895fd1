"""tools/lost_answer_count.py: which calls of a twin request log had their answer lost."""

from tools.lost_answer_count import count

INV_A = "0f7c1a3e-1111-4222-8333-944455556666"
INV_B = "1a2b3c4d-5555-4666-8777-988899990000"
INV_C = "2b3c4d5e-6666-4777-8888-a99900001111"
PREFIX = "2026-12-08 04:00:00,000 twin.http"


def line(status: int, conn: int, target: str, attempt: int, invocation: str) -> str:
    return (f'{PREFIX} INFO 127.0.0.1 - - [08/Dec/2026 04:00:00] "POST / HTTP/1.1" {status} - conn={conn} '
            f"sso.us-east-1.amazonaws.com {target} attempt={attempt}; max=25 {invocation}")


def test_a_retry_after_an_answered_attempt_is_a_lost_answer_and_a_retry_after_a_5xx_is_not():
    log = [
        line(200, 1, "SWBExternalService.CreatePermissionSet", 1, INV_A),
        line(400, 2, "SWBExternalService.CreatePermissionSet", 2, INV_A),  # the retry met its own create
        line(503, 2, "AWSIdentityStore.ListUsers", 1, INV_B),
        line(200, 2, "AWSIdentityStore.ListUsers", 2, INV_B),  # a 503 is retried by design
        line(200, 3, "secretsmanager.CreateSecret", 1, INV_C),
        f'{PREFIX} INFO 127.0.0.1 - - [08/Dec/2026 04:00:01] "GET /status HTTP/1.1" 200 - conn=4 '
        "twin.internal",
        f"{PREFIX} WARNING connection dropped (BrokenPipeError) conn=5 POST / HTTP/1.1 "
        "AWSIdentityStore.CreateUser",
    ]
    figures = count(log)
    assert (figures["requests"], figures["calls"], figures["connections"]) == (6, 3, 4)
    assert figures["lost_answers"] == 1 and figures["dropped_connections"] == 1
    assert figures["calls_by_max_attempts"] == {"max=25": 3}
    assert figures["lost"] == [{"invocation": INV_A, "operation": "SWBExternalService.CreatePermissionSet",
                                "client": "max=25",
                                "attempts": [[1, 200], [2, 400]]}]


def test_the_former_servers_lines_count_the_same():
    """werkzeug's request lines (before 2026-12-08) have the same shape after the logger's prefix."""
    old = line(200, 9, "AWSIdentityStore.CreateUser", 1, INV_A).replace("twin.http", "werkzeug")
    retry = line(409, 10, "AWSIdentityStore.CreateUser", 2, INV_A).replace("twin.http", "werkzeug")
    assert count([old, retry])["lost_answers"] == 1
