"""The client's address behind trusted proxies only."""

from __future__ import annotations

import pytest

from bot.infra.client_ip import client_address, forwarded, networks

LOCAL = networks("127.0.0.0/8 ::1")


def test_a_direct_client_is_its_peer_whatever_it_claims():
    assert client_address("203.0.113.9", "1.2.3.4", LOCAL) == "203.0.113.9"
    assert not forwarded("203.0.113.9", "1.2.3.4", LOCAL)


def test_behind_a_trusted_proxy_the_last_untrusted_hop_counts():
    # The client made up "6.6.6.6"; the proxy appended the address it saw.
    assert client_address("127.0.0.1", "6.6.6.6, 203.0.113.9", LOCAL) == "203.0.113.9"
    assert client_address("127.0.0.1", "203.0.113.9, 127.0.0.1", LOCAL) == "203.0.113.9"
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


def test_by_default_loopback_and_private_networks_are_trusted_proxies(monkeypatch):
    from bot.infra import settings

    monkeypatch.delenv("EIG_TRUSTED_PROXIES", raising=False)
    trusted = settings.TRUSTED_PROXIES.get()
    # nginx in a compose network forwards for a visitor: the visitor is the client.
    assert client_address("172.18.0.5", "203.0.113.9", trusted) == "203.0.113.9"
    assert client_address("10.1.2.3", "203.0.113.9", trusted) == "203.0.113.9"
    # A public peer's header is not believed.
    assert client_address("198.51.100.7", "203.0.113.9", trusted) == "198.51.100.7"
    monkeypatch.setenv("EIG_TRUSTED_PROXIES", "127.0.0.1")
    only_loopback = settings.TRUSTED_PROXIES.get()
    assert client_address("172.18.0.5", "203.0.113.9", only_loopback) == "172.18.0.5"
