"""Which address a request really comes from, behind the reverse proxies we trust.

Rate limits and the internal routes need the client's address. Behind a reverse proxy the
peer is the proxy. Its ``X-Forwarded-For`` is believed only when the peer is one of the
configured ``EIG_TRUSTED_PROXIES`` (``bot.infra.settings``; none by default, loopback in
the cluster profile, whose nginx runs on the same host), and then only for a fixed number
of hops (``EIG_PROXY_HOPS``, 1: one proxy in front): each trusted proxy appends the
address it saw, so the client is the entry that many places from the right, and anything
further left was written by the client and means nothing. A header too short for the
hops, or with a malformed or untrusted entry among them, counts as coming from the peer.

Only a *direct* peer can be exempt from a rate limit (``direct``): an address read from a
header, however trusted, never is, so "127.0.0.1" in ``X-Forwarded-For`` buys nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from typing import Optional, Union

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
LOOPBACK = "127.0.0.0/8 ::1/128"


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


def _from_header(forwarded_for: str, trusted: Sequence[Network], hops: int) -> Optional[str]:
    """The client named by the last ``hops`` entries, or None when they cannot be believed:
    too few, one malformed, or a proxy between ours and the client that is not trusted."""
    entries = forwarded_for.split(",")
    if hops < 1 or len(entries) < hops:
        return None
    chain = [_address(entry) for entry in entries[-hops:]]
    if any(hop is None for hop in chain):
        return None
    if not all(within(str(proxy), trusted) for proxy in chain[1:]):
        return None
    return str(chain[0])


def client_address(
    peer: Optional[str], forwarded_for: Optional[str], trusted: Sequence[Network], hops: int = 1
) -> str:
    """The client's address: the peer, or the entry ``hops`` from the right of the header
    when the peer is a trusted proxy and the header can be believed."""
    client = (peer or "").strip() or "unknown"
    if not forwarded_for or not within(client, trusted):
        return client
    return _from_header(forwarded_for, trusted, hops) or client


def forwarded(
    peer: Optional[str], forwarded_for: Optional[str], trusted: Sequence[Network]
) -> bool:
    """True when the request came through a trusted reverse proxy (the public side)."""
    return bool(forwarded_for) and within((peer or "").strip(), trusted)


def direct(peer: Optional[str], forwarded_for: Optional[str], trusted: Sequence[Network]) -> bool:
    """True when the client is the peer itself, not a proxy speaking for someone: only such
    a client may be exempt from a rate limit."""
    return not forwarded(peer, forwarded_for, trusted)
