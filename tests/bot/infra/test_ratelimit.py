"""Per-address limits counted by ``limits``: bursts, windows, exemptions, bounded memory."""

from __future__ import annotations

import limits.storage.memory
import pytest

from bot.infra import ratelimit
from bot.infra.client_ip import networks
from bot.infra.ratelimit import Rate, RateLimiter, retry_after


class Clock:
    """The wall clock of ``limits``' memory storage and of this module, set by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


def test_a_burst_then_a_wait_until_the_window_ends(clock):
    limiter = RateLimiter(Rate(3, 60))
    assert [limiter.check("203.0.113.7") for _ in range(3)] == [0, 0, 0]
    clock.now += 15
    wait = limiter.check("203.0.113.7")
    assert 45 <= wait <= 46  # the minute began with the first request
    assert limiter.check("198.51.100.1") == 0  # other addresses have their own window
    clock.now += 30
    assert 15 <= limiter.check("203.0.113.7") <= 16  # refusals do not lengthen the wait
    clock.now += 15
    assert [limiter.check("203.0.113.7") for _ in range(3)] == [0, 0, 0]
    assert limiter.check("203.0.113.7") > 0


def test_waiting_as_long_as_told_is_enough(clock):
    limiter = RateLimiter(Rate(1, 60))
    clock.now = 1000.75  # the storage keeps whole seconds: the wait must not fall short
    assert limiter.check("192.0.2.1") == 0
    wait = limiter.check("192.0.2.1")
    clock.now += wait
    assert limiter.check("192.0.2.1") == 0


def test_loopback_exemption_and_no_limit():
    limiter = RateLimiter(Rate(1, 60), exempt=networks("127.0.0.0/8 ::1"))
    assert all(limiter.check("127.0.0.1") == 0 for _ in range(100))
    assert all(limiter.check("::1") == 0 for _ in range(100))
    assert limiter.check("192.0.2.1") == 0 and limiter.check("192.0.2.1") > 0
    assert limiter.check("127.0.0.1", exemptible=False) == 0
    assert limiter.check("127.0.0.1", exemptible=False) > 0  # read from a proxy's header
    unlimited = RateLimiter(None)
    assert all(unlimited.check("192.0.2.1") == 0 for _ in range(1000))


def test_memory_is_bounded():
    limiter = RateLimiter(Rate(1, 60), max_clients=10)
    for n in range(50):
        limiter.check(f"10.0.0.{n}")
    assert limiter.clients() == 10


def test_an_idle_hour_gives_one_burst_and_no_more(clock):
    limiter = RateLimiter(Rate(60, 60))
    assert limiter.check("203.0.113.7") == 0
    clock.now += 3600  # an hour idle does not add up to 3600 requests
    burst = [limiter.check("203.0.113.7") for _ in range(100)]
    assert burst[:60] == [0] * 60
    assert all(wait > 0 for wait in burst[60:])
    assert 60 <= burst[60] <= 61  # until the minute that began an hour later ends


def test_a_full_table_forgets_the_client_seen_longest_ago(clock):
    limiter = RateLimiter(Rate(1, 3600), max_clients=3)
    for client in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert limiter.check(client) == 0  # each spends its only request
    clock.now += 1
    assert limiter.check("192.0.2.1") > 0  # seen again: now the most recent
    assert limiter.check("192.0.2.4") == 0  # the table is full: 192.0.2.2 is forgotten
    assert limiter.check("192.0.2.4") > 0  # the newest client keeps its window
    assert limiter.check("192.0.2.1") > 0  # so does the one seen just before
    assert limiter.check("192.0.2.3") > 0
    assert limiter.check("192.0.2.2") == 0  # forgotten, so it starts a fresh window


def test_forgetting_a_client_while_the_storage_expires_windows_raises_nothing(clock):
    """``limits``' memory storage expires windows in a thread of its own, over a list of
    keys taken first: a client this module forgets (a full table) in the meantime must not
    make that pass fail. The clock forgets one while the pass reads the other's expiry."""
    limiter = RateLimiter(Rate(1, 60), max_clients=2)
    limiter.check("192.0.2.1")
    limiter.check("192.0.2.2")
    limiter.check("192.0.2.1")  # 192.0.2.2 is now the one seen longest ago
    assert limiter.clients() == 2

    class Forgetting(Clock):
        forgot = False

        def time(self) -> float:
            if not self.forgot:
                self.forgot = True
                limiter.check("192.0.2.3")  # the table is full: 192.0.2.2 is forgotten
            return clock.now + 120  # every window has ended

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(limits.storage.memory, "time", Forgetting())
    try:
        limiter._storage._MemoryStorage__expire_events()  # type: ignore[union-attr]
    finally:
        monkeypatch.undo()
    assert limiter.clients() <= 2


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
