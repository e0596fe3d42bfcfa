"""Per-address token buckets: bursts, refills, exemptions, bounded memory."""

from __future__ import annotations

import pytest

from bot.infra.client_ip import networks
from bot.infra.ratelimit import Rate, RateLimiter, retry_after


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_one_request_per_refill():
    clock = Clock()
    limiter = RateLimiter(Rate(3, 60), clock=clock)
    assert [limiter.check("203.0.113.7") for _ in range(3)] == [0, 0, 0]
    wait = limiter.check("203.0.113.7")
    assert wait == pytest.approx(20.0)
    assert limiter.check("198.51.100.1") == 0  # other addresses have their own bucket
    clock.now += 20
    assert limiter.check("203.0.113.7") == 0
    assert limiter.check("203.0.113.7") > 0


def test_loopback_exemption_and_no_limit():
    limiter = RateLimiter(Rate(1, 60), exempt=networks("127.0.0.0/8 ::1"))
    assert all(limiter.check("127.0.0.1") == 0 for _ in range(100))
    assert all(limiter.check("::1") == 0 for _ in range(100))
    assert limiter.check("192.0.2.1") == 0 and limiter.check("192.0.2.1") > 0
    unlimited = RateLimiter(None)
    assert all(unlimited.check("192.0.2.1") == 0 for _ in range(1000))


def test_memory_is_bounded():
    limiter = RateLimiter(Rate(1, 60), max_clients=10)
    for n in range(50):
        limiter.check(f"10.0.0.{n}")
    assert len(limiter._buckets) == 10


def test_an_idle_hour_refills_the_bucket_to_the_burst_and_no_further():
    clock = Clock()
    limiter = RateLimiter(Rate(60, 60), clock=clock)
    assert limiter.check("203.0.113.7") == 0
    clock.now += 3600  # an hour idle would be 3600 tokens without the cap
    burst = [limiter.check("203.0.113.7") for _ in range(100)]
    assert burst[:60] == [0] * 60
    assert all(wait > 0 for wait in burst[60:])
    assert burst[60] == pytest.approx(1.0)  # one token a second from here


def test_a_full_table_forgets_the_client_seen_longest_ago():
    clock = Clock()
    limiter = RateLimiter(Rate(1, 3600), max_clients=3)
    for client in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert limiter.check(client) == 0  # each spends its only token
    clock.now += 1
    assert limiter.check("192.0.2.1") > 0  # seen again: now the most recent
    assert limiter.check("192.0.2.4") == 0  # the table is full: 192.0.2.2 is forgotten
    assert limiter.check("192.0.2.4") > 0  # the newest client keeps its bucket
    assert limiter.check("192.0.2.1") > 0  # so does the one seen just before
    assert limiter.check("192.0.2.3") > 0
    assert limiter.check("192.0.2.2") == 0  # forgotten, so it starts with a full bucket


@pytest.mark.parametrize(
    ("text", "rate"),
    [("60/minute", Rate(60, 60.0)), ("5/s", Rate(5, 1.0)), (" 100 / hour ", Rate(100, 3600.0))],
)
def test_rates_parse(text, rate):
    assert Rate.parse(text) == rate


@pytest.mark.parametrize("text", ["off", "0", "OFF"])
def test_off_means_no_limit(text):
    assert Rate.parse(text) is None


@pytest.mark.parametrize("text", ["sixty/minute", "60/fortnight", "60", "-1/s", "0/s"])
def test_bad_rates_are_refused_with_the_value(text):
    with pytest.raises(ValueError, match=f"'{text}' is not a rate"):
        Rate.parse(text)


def test_retry_after_is_whole_seconds_never_zero():
    assert retry_after(0.01) == 1 and retry_after(19.2) == 20
