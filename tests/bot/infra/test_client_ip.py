"""The client's address behind trusted proxies only."""

from __future__ import annotations

import pytest

from bot.infra.client_ip import client_address, direct, forwarded, networks
from bot.infra.ratelimit import Rate, RateLimiter

LOCAL = networks("127.0.0.0/8 ::1")


def test_a_direct_client_is_its_peer_whatever_it_claims():
    assert client_address("203.0.113.9", "1.2.3.4", LOCAL) == "203.0.113.9"
    assert not forwarded("203.0.113.9", "1.2.3.4", LOCAL)


def test_behind_a_trusted_proxy_the_address_it_appended_counts():
    # The client made up "6.6.6.6"; the proxy appended the address it saw.
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.9", LOCAL) == "203.0.113.9"
    # Not walked leftwards: the last entry is what our one proxy saw.
    assert client_address("127.0.0.1", "203.0.113.9, 127.0.0.1", LOCAL) == "127.0.0.1"
    assert forwarded("127.0.0.1", "203.0.113.9", LOCAL)


def test_no_header_or_a_malformed_one():
    assert client_address("127.0.0.1", None, LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", "not-an-ip", LOCAL) == "127.0.0.1"
    assert client_address(None, None, LOCAL) == "unknown"


def test_ipv6_and_ports():
    assert client_address("::1", "[2001:db8::1]:443", LOCAL) == "2001:db8::1"
    assert client_address("127.0.0.1", "198.51.100.4:5000", LOCAL) == "198.51.100.4"


def test_a_bad_network_is_named():
    with pytest.raises(ValueError, match="'localhost' is not an IP"):
        networks("127.0.0.1 localhost")


def test_by_default_no_proxy_is_trusted(monkeypatch):
    from bot.infra import settings

    monkeypatch.delenv("EIG_TRUSTED_PROXIES", raising=False)
    trusted = settings.TRUSTED_PROXIES.get()
    assert trusted == ()
    # Private networks are no proxies unless configured: their header means nothing.
    assert client_address("172.18.0.5", "203.0.113.9", trusted) == "172.18.0.5"
    assert client_address("127.0.0.1", "203.0.113.9", trusted) == "127.0.0.1"
    assert direct("127.0.0.1", "203.0.113.9", trusted)
    monkeypatch.setenv("EIG_TRUSTED_PROXIES", "10.0.0.2")
    nginx = settings.TRUSTED_PROXIES.get()
    assert client_address("10.0.0.2", "203.0.113.9", nginx) == "203.0.113.9"
    assert client_address("10.0.0.3", "203.0.113.9", nginx) == "10.0.0.3"


def test_a_spoofed_header_from_a_private_address_is_not_exempt():
    """ "127.0.0.1, 10.0.0.9" sent by a machine on a private network: with no proxy
    configured it is its own peer, never loopback; behind a configured proxy, only the
    entry that proxy wrote counts, and a header-read address is never exempt."""
    limiter = RateLimiter(Rate(1, 60), exempt=networks("127.0.0.0/8 ::1"))
    spoof = "127.0.0.1, 10.0.0.9"
    for trusted in ((), networks("10.0.0.0/8")):
        peer = "10.0.0.9"
        client = client_address(peer, spoof, trusted)
        assert client == "10.0.0.9"
        exemptible = direct(peer, spoof, trusted)
        assert limiter.check(client, exemptible) == 0
        assert limiter.check(client, exemptible) > 0, trusted
        limiter = RateLimiter(Rate(1, 60), exempt=networks("127.0.0.0/8 ::1"))
    # Through the configured local proxy, the address it appended is the client, limited
    # even when it is loopback: only the real peer is exempt.
    client = client_address("127.0.0.1", "6.6.6.6, 127.0.0.1", LOCAL)
    assert client == "127.0.0.1" and not direct("127.0.0.1", "6.6.6.6, 127.0.0.1", LOCAL)
    assert limiter.check(client, exemptible=False) == 0
    assert limiter.check(client, exemptible=False) > 0
    assert limiter.check("127.0.0.1", exemptible=True) == 0  # the real peer


def test_a_fixed_number_of_hops():
    two = networks("127.0.0.1 10.0.0.2")
    # Two proxies: the client is two places from the right, whatever is further left.
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2", two, 2) == ("203.0.113.9")
    # The middle hop is not a trusted proxy: nothing in the header is believed.
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.9, 8.8.8.8", two, 2) == "127.0.0.1"
    # Too few entries for the hops: the peer.
    assert client_address("127.0.0.1", "203.0.113.9", two, 2) == "127.0.0.1"
    # One hop: the left part is never walked, even through trusted addresses.
    assert client_address("127.0.0.1", "203.0.113.9, 10.0.0.2", two, 1) == "10.0.0.2"


def test_a_malformed_header_counts_as_the_peer_and_is_not_exempt():
    assert client_address("127.0.0.1", "203.0.113.9, garbage", LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", "", LOCAL) == "127.0.0.1"
    assert client_address("127.0.0.1", " , ", LOCAL) == "127.0.0.1"
    assert not direct("127.0.0.1", "garbage", LOCAL)
