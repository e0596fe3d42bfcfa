"""Shared-secret checks for the internal endpoints (NLG, actions, metrics)."""

from __future__ import annotations

import hmac
from typing import Optional


def token_matches(expected: Optional[str], given: Optional[str]) -> bool:
    """True when no token is configured, or ``given`` is it (compared in constant time)."""
    if not expected:
        return True
    return isinstance(given, str) and hmac.compare_digest(expected.encode(), given.encode())
