"""Deployment settings read from the environment, with local defaults."""

from __future__ import annotations

import os


def public_url() -> str:
    """Where people reach the bot web service (links to .ics files), without a trailing /."""
    return os.environ.get("EIG_PUBLIC_URL", "http://localhost:8000").rstrip("/")


TIMEZONE = "Europe/Paris"
