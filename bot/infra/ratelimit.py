"""Per-client rate limits, counted by the ``limits`` package: a fixed window per client.

A rate ``60/minute`` lets a client send 60 requests in the minute that starts with its
first one; past that, it waits for that minute to end, and ``check`` says how long. A
request refused does not lengthen the wait. Addresses in the exempt networks (loopback by
default: local tools, tests, ``make bench``) are never limited, when they are the direct
peer: an address read from ``X-Forwarded-For`` is never exempt
(``bot.infra.client_ip.direct``).

Each limiter counts in its own process, in ``limits``' memory storage, for at most
``max_clients`` clients (the one seen longest ago is forgotten first), so memory stays
bounded whatever the number of addresses. N Rasa instances behind a load balancer allow N
times the rate: the cluster's shared limit per visitor is nginx's (``limit_req``,
``bot.ops.nginx_conf``), which sees every request before any instance does.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from bot.infra.client_ip import Network, within

if TYPE_CHECKING:  # limits (and the pkg_resources it loads) only once a limit is built
    from limits import RateLimitItem

PERIODS = {"s": 1.0, "second": 1.0, "m": 60.0, "min": 60.0, "minute": 60.0, "h": 3600.0,
           "hour": 3600.0}  # fmt: skip
_RATE = re.compile(r"^\s*(\d+)\s*/\s*([a-z]+)\s*$")
MAX_CLIENTS = 10_000


@dataclass(frozen=True)
class Rate:
    count: int
    period_s: float

    @classmethod
    def parse(cls, text: str) -> Optional[Rate]:
        """``"60/minute"`` → Rate(60, 60.0); ``"off"`` or ``"0"`` → None (no limit)."""
        if text.strip().lower() in ("off", "0", "none", ""):
            return None
        match = _RATE.match(text.lower())
        if not match or match.group(2) not in PERIODS or int(match.group(1)) < 1:
            raise ValueError(f"{text!r} is not a rate like '60/minute', '5/s' or 'off'")
        return cls(int(match.group(1)), PERIODS[match.group(2)])

    def item(self) -> RateLimitItem:
        """The same rate as ``limits`` writes it: ``count`` per ``period_s`` seconds."""
        from limits import RateLimitItemPerSecond

        return RateLimitItemPerSecond(self.count, int(self.period_s))


class _Absent(dict[str, Any]):
    """A key missing reads as nothing instead of raising: ``limits``' memory storage
    forgets expired windows in a thread of its own, which must not fail on a client this
    module has just forgotten (``clear``) under its feet."""

    def __missing__(self, key: str) -> Any:
        return 0.0


def _storage() -> Any:
    """``limits``' memory storage, safe against ``clear`` racing its expiry thread."""
    from limits.storage import MemoryStorage

    storage = MemoryStorage()
    storage.expirations = _Absent()
    return storage


class RateLimiter:
    """``check(client)`` → 0 when allowed, else the seconds to wait before retrying."""

    def __init__(
        self,
        rate: Optional[Rate],
        exempt: Sequence[Network] = (),
        max_clients: int = MAX_CLIENTS,
    ) -> None:
        self.rate = rate
        self.exempt = tuple(exempt)
        self.max_clients = max_clients
        self._item = rate.item() if rate else None
        self._storage = _storage() if rate else None
        self._windows: Any = None
        if self._storage is not None:
            from limits.strategies import FixedWindowRateLimiter

            self._windows = FixedWindowRateLimiter(self._storage)
        self._clients: OrderedDict[str, None] = OrderedDict()  # least recently seen first

    def check(self, client: str, exemptible: bool = True) -> float:
        """``exemptible``: False when ``client`` was read from a proxy's header."""
        if self._windows is None or self._item is None:
            return 0.0
        if exemptible and within(client, self.exempt):
            return 0.0
        self._clients[client] = None
        self._clients.move_to_end(client)
        while len(self._clients) > self.max_clients:
            forgotten, _ = self._clients.popitem(last=False)
            self._windows.clear(self._item, forgotten)
        if self._windows.hit(self._item, client):
            return 0.0
        reset, _ = self._windows.get_window_stats(self._item, client)
        # ``limits`` gives the window's end in whole seconds, rounded down: one more second
        # makes sure a client that waits that long is let through.
        return max(reset + 1.0 - time.time(), 0.001)

    def clients(self) -> int:
        """How many clients the storage holds a window for."""
        return len(self._storage.storage) if self._storage is not None else 0


def retry_after(wait: float) -> int:
    """Whole seconds for a ``Retry-After`` header: never 0 when a wait is needed."""
    return max(1, math.ceil(wait))
