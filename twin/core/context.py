"""What the core hands to each plugin: state dir, router, faults and runtime hostnames."""
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twin.core.faults import Faults
from twin.core.router import Router


@dataclass
class TwinContext:
    state_dir: Path
    router: Router = field(default_factory=Router)
    faults: Faults = field(default_factory=Faults)
    serving: bool = False
    # Per-plugin scratch space, e.g. context.data["aws"]; plugins own their key.
    data: dict[str, Any] = field(default_factory=dict)
    extra_hostnames: set[str] = field(default_factory=set)
    on_new_hostname: Callable[[str], None] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_hostname(self, hostname: str) -> None:
        """Makes hostname resolve to the twin (and the certificate cover it), also at runtime.

        Use it for names under a wildcard route, e.g. ``<vault>.vault.azure.net``; the
        request is still dispatched by the route whose pattern matches.
        """
        hostname = hostname.lower().rstrip(".")
        with self._lock:
            if hostname in self.extra_hostnames:
                return
            self.extra_hostnames.add(hostname)
        if self.on_new_hostname is not None:
            self.on_new_hostname(hostname)

    def hostnames(self) -> set[str]:
        """Every name that must resolve to loopback."""
        return self.router.exact_hostnames() | self.extra_hostnames

    def certificate_names(self) -> set[str]:
        return self.router.patterns() | self.extra_hostnames
