"""Which address a request really comes from, behind the reverse proxies we trust.

Rate limits and the internal routes need the client's address. Behind a reverse proxy the
peer is the proxy; its ``X-Forwarded-For`` is believed only when the peer is one of
``EIG_TRUSTED_PROXIES`` (``bot.infra.settings``; default: loopback and the private
networks, where a local proxy or a container platform's ingress runs), and then only up to
the first hop that is not itself a trusted proxy, since anything further left can be made
up by the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Optional, Union

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
LOOPBACK = "127.0.0.0/8 ::1/128"
PRIVATE = "10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 fc00::/7"


def networks(text: str) -> tuple[Network, ...]:
    """``"127.0.0.1 10.0.0.0/8"`` → networks; a bad entry is a ``ValueError`` naming it."""
    found = []
    for item in text.replace(",", " ").split():
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"{item!r} is not an IP address or network") from None
    return tuple(found)


def _address(text: str) -> Optional[Union[ipaddress.IPv4Address, ipaddress.IPv6Address]]:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [::1]:1234
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 10.0.0.1:1234
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def within(address: str, nets: Iterable[Network]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in net for net in nets)


def client_address(
    peer: Optional[str], forwarded_for: Optional[str], trusted: Sequence[Network]
) -> str:
    """The client's address: the peer, or the last untrusted hop when the peer is a proxy."""
    client = (peer or "").strip() or "unknown"
    if not forwarded_for or not within(client, trusted):
        return client
    for hop in reversed(forwarded_for.split(",")):
        parsed = _address(hop)
        if parsed is None:
            return client  # a malformed header: trust nothing in it
        client = str(parsed)
        if not within(client, trusted):
            return client
    return client


def forwarded(
    peer: Optional[str], forwarded_for: Optional[str], trusted: Sequence[Network]
) -> bool:
    """True when the request came through a trusted reverse proxy (the public side)."""
    return bool(forwarded_for) and within((peer or "").strip(), trusted)
