"""Deployment settings read from the environment, with local defaults."""

from __future__ import annotations

import os


def public_url() -> str:
    """Where people reach the bot web service (links to .ics files), without a trailing /."""
    return os.environ.get("EIG_PUBLIC_URL", "http://localhost:8000").rstrip("/")


TIMEZONE = "Europe/Paris"


def positive_int(name: str, default: int) -> int:
    """An integer setting; a wrong value stops start-up with the variable's name."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise SystemExit(f"{name}: {text!r} is not a positive whole number")
    return value


def speedup_enabled(part: str) -> bool:
    """False when ``EIG_SPEEDUP_<part>=0`` or ``EIG_SPEEDUPS=0`` (before/after measurements)."""
    if os.environ.get("EIG_SPEEDUPS", "1") == "0":
        return False
    return os.environ.get(f"EIG_SPEEDUP_{part}", "1") != "0"
