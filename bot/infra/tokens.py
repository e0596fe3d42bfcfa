"""Shared-secret checks for the internal endpoints (NLG, actions, metrics).

An internal service without its token is open to whoever reaches its port, so it refuses
to start unless it listens on loopback only (``require_token``): a service reachable
from other hosts fails closed, with a message naming the variable to set.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Optional


def token_matches(expected: Optional[str], given: Optional[str]) -> bool:
    """True when no token is configured, or ``given`` is it (compared in constant time)."""
    if not expected:
        return True
    return isinstance(given, str) and hmac.compare_digest(expected.encode(), given.encode())


def loopback_only(host: str) -> bool:
    """True when listening on ``host`` is reachable from this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name, "" or "0.0.0.0"-like: reachable from elsewhere


class MissingToken(SystemExit):
    """An internal service would listen beyond loopback without its shared secret."""


def require_token(service: str, variable: str, token: Optional[str], host: str) -> None:
    """Stops start-up when ``service`` would listen on ``host`` (not loopback) without the
    token in ``variable``."""
    if token or loopback_only(host):
        return
    raise MissingToken(
        f"The {service} would listen on {host!r} without a token: anyone who reaches it "
        f"could call it. Set {variable} (a long random secret, the same for Rasa), or "
        "listen on 127.0.0.1 only."
    )
