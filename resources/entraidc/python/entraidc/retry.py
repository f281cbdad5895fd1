"""Bounded retries for HTTP calls: throttling and transient 5xx honour Retry-After; a 404 right
after creation (replication delay) is retried with exponential backoff up to a time limit.

Retry-After is waited in full, never cut short: Graph's throttling guidance says to wait the seconds
it gives, and a request sent sooner is throttled again. A hint longer than ``max_retry_after`` is not
waited for at all: the call fails with the 429/503 and its hint.

Microsoft Graph throttling guidance: https://learn.microsoft.com/graph/throttling (429 with
Retry-After in seconds); Key Vault: https://learn.microsoft.com/azure/key-vault/general/overview-throttling.
"""

import email.utils
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

TRANSIENT_STATUS = frozenset({429, 500, 502, 503, 504})


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw else default


@dataclass
class RetryPolicy:
    max_attempts: int = 8
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 300.0
    # Graph documents that a new object can take "a few seconds" and sometimes longer to replicate.
    not_found_budget: float = 90.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    @classmethod
    def from_env(cls) -> "RetryPolicy":
        return cls(
            max_attempts=int(_env_float("ENTRAIDC_RETRY_ATTEMPTS", 8)),
            base_delay=_env_float("ENTRAIDC_RETRY_BASE_DELAY", 1.0),
            max_delay=_env_float("ENTRAIDC_RETRY_MAX_DELAY", 30.0),
            max_retry_after=_env_float("ENTRAIDC_RETRY_AFTER_LIMIT", 300.0),
            not_found_budget=_env_float("ENTRAIDC_NOT_FOUND_BUDGET", 90.0),
        )

    def backoff(self, attempt: int) -> float:
        return min(self.max_delay, self.base_delay * (2**attempt))


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either delay-seconds or an HTTP-date (RFC 9110 section 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def send(
    do_request: Callable[[], requests.Response],
    policy: RetryPolicy,
    retry_not_found: bool = False,
    on_retry: Callable[[requests.Response | None, float], None] | None = None,
    transient: Callable[[requests.Response], bool] | None = None,
    not_found: Callable[[requests.Response], bool] | None = None,
) -> requests.Response:
    """Calls ``do_request`` until it answers something other than a transient failure.

    Returns the last response (the caller turns a non-2xx into its own error). Connection errors
    are retried like 503 and re-raised when the attempts run out.
    """
    started = policy.clock()
    attempt = 0
    while True:
        try:
            response = do_request()
        except (requests.ConnectionError, requests.Timeout):
            if attempt + 1 >= policy.max_attempts:
                raise
            response = None
        if response is not None:
            status = response.status_code
            missing = not_found(response) if not_found is not None else status == 404
            if missing and retry_not_found:
                delay = policy.backoff(attempt)
                if policy.clock() - started + delay > policy.not_found_budget:
                    return response
            elif status in TRANSIENT_STATUS or (transient is not None and transient(response)):
                if attempt + 1 >= policy.max_attempts:
                    return response
                hinted = retry_after_seconds(response.headers.get("Retry-After"))
                if hinted is not None and hinted > policy.max_retry_after:
                    return response
                delay = hinted if hinted is not None else policy.backoff(attempt)
            else:
                return response
        else:
            delay = policy.backoff(attempt)
        if on_retry:
            on_retry(response, delay)
        policy.sleep(delay)
        attempt += 1
