"""Per-client rate limits: token buckets kept in memory, one per client address.

A rate ``60/minute`` lets a client send 60 requests at once, then one more every second.
Addresses in the exempt networks (loopback by default: local tools, tests, ``make
bench``) are never limited, when they are the direct peer: an address read from
``X-Forwarded-For`` is never exempt (``bot.infra.client_ip.direct``). Each process counts
on its own, so N Rasa instances behind a load balancer allow N times the rate; a shared
limit belongs in the reverse proxy.
"""

from __future__ import annotations

import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Optional

from bot.infra.client_ip import Network, within

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


class RateLimiter:
    """``check(client)`` → 0 when allowed, else the seconds to wait before retrying."""

    def __init__(
        self,
        rate: Optional[Rate],
        exempt: Sequence[Network] = (),
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.exempt = tuple(exempt)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def check(self, client: str, exemptible: bool = True) -> float:
        """``exemptible``: False when ``client`` was read from a proxy's header."""
        if self.rate is None or (exemptible and within(client, self.exempt)):
            return 0.0
        now = self.clock()
        per_second = self.rate.count / self.rate.period_s
        tokens, last = self._buckets.pop(client, (float(self.rate.count), now))
        tokens = min(float(self.rate.count), tokens + (now - last) * per_second)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0, now)
            wait = 0.0
        else:
            self._buckets[client] = (tokens, now)
            wait = (1.0 - tokens) / per_second
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)  # the least recently seen client
        return wait


def retry_after(wait: float) -> int:
    """Whole seconds for a ``Retry-After`` header: never 0 when a wait is needed."""
    return max(1, math.ceil(wait))
