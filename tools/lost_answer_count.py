"""Counts, in the twin's request log, the AWS calls whose answer the client lost.

A call is one amz-sdk-invocation-id (the AWS SDKs send one per logical call and number its
attempts in amz-sdk-request: attempt=N; max=M, and M tells the clients apart: 25 is the aws
provider's max_retries, 3 botocore's standard retry mode). Its answer was lost when an attempt
N >= 2 follows an earlier attempt the twin answered with a status no SDK retries (below 500 and
not 429): the SDK sent it again because its transport lost that answer (twin/README.md, "Answers
the client lost"). A connection the twin saw break while serving ("connection dropped") counts too.

    python tools/lost_answer_count.py TWIN_LOG [BYTE_OFFSET]   # prints the figures as JSON
"""

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

REQUEST = re.compile(r'"(?P<line>[^"]*)" (?P<status>\d{3}) \S+ conn=(?P<conn>\d+) (?P<rest>.*)$')
ATTEMPT = re.compile(r"attempt=(\d+)")
MAX_ATTEMPTS = re.compile(r"max=(\d+)")
INVOCATION = re.compile(r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
TARGET = re.compile(r"\s([A-Za-z0-9]+\.[A-Za-z0-9]+)\s")


def count(lines: list[str]) -> dict:
    attempts: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    clients: dict[str, str] = {}
    connections: set[str] = set()
    requests = 0
    dropped = [line for line in lines if "connection dropped" in line]
    for line in lines:
        match = REQUEST.search(line)
        if not match:
            continue
        requests += 1
        connections.add(match["conn"])
        invocation, attempt = INVOCATION.search(match["rest"]), ATTEMPT.search(match["rest"])
        if invocation and attempt:
            target = TARGET.search(f" {match['rest']} ")
            most = MAX_ATTEMPTS.search(match["rest"])
            clients[invocation[1]] = f"max={most[1]}" if most else "max=?"
            attempts[invocation[1]].append(
                (int(attempt[1]), int(match["status"]), target[1] if target else match["line"])
            )
    lost = []
    for invocation, seen in attempts.items():
        for index, (attempt, _, operation) in enumerate(seen):
            answered = [status for _, status, _ in seen[:index] if status < 500 and status != 429]
            if attempt >= 2 and answered:
                lost.append(
                    {
                        "invocation": invocation,
                        "operation": operation,
                        "client": clients[invocation],
                        "attempts": [[a, s] for a, s, _ in seen],
                    }
                )
                break
    by_client: dict[str, int] = defaultdict(int)
    for client in clients.values():
        by_client[client] += 1
    return {
        "requests": requests,
        "calls": len(attempts),
        "calls_by_max_attempts": dict(by_client),
        "connections": len(connections),
        "lost_answers": len(lost),
        "dropped_connections": len(dropped),
        "lost": lost,
        "dropped": dropped,
    }


def read_from(log: Path, offset: int = 0) -> list[str]:
    with log.open("rb") as stream:
        stream.seek(offset)
        return stream.read().decode(errors="replace").splitlines()


if __name__ == "__main__":
    print(
        json.dumps(
            count(read_from(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0)), indent=2
        )
    )
