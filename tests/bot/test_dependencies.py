"""The public-facing dependencies with published advisories: upgraded past them, or the
vulnerable path shown unreachable (docs/security.md, "Dependencies")."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from pathlib import Path

import aiohttp
import aiohttp.http_parser
import aiohttp.web_protocol
from packaging.version import Version

from bot import ROOT
from bot.ops import services
from bot.web.app import create_app

# The first releases past every denial-of-service advisory known on 2026-11-30.
FIXED = {"python-socketio": "5.16.2", "python-engineio": "4.13.2"}


def pinned(name: str) -> str:
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.lower().startswith(f"{name}=="):
            return line.split("==", 1)[1].strip()
    raise AssertionError(f"{name} is not pinned in requirements.txt")


def test_socketio_and_engineio_are_past_their_advisories_and_installed_as_pinned():
    for name, fixed in FIXED.items():
        assert Version(pinned(name)) >= Version(fixed), name
        assert importlib.metadata.version(name) == pinned(name), name


def test_aiohttp_parses_requests_with_its_c_parser():
    """aiohttp stays at 3.9.5 (Rasa 3.6 wants < 3.10); its request-smuggling advisories
    (CVE-2024-52304, CVE-2025-53643, CVE-2025-69224) are in the pure-Python parser, used
    only without the C extensions or with AIOHTTP_NO_EXTENSIONS."""
    assert aiohttp.__version__ == pinned("aiohttp")
    parser = aiohttp.web_protocol.HttpRequestParser
    assert parser.__module__ == "aiohttp._http_parser", parser
    assert parser is not aiohttp.http_parser.HttpRequestParserPy
    env = services.environment(services.Ports(), Path("/tmp"))
    assert "AIOHTTP_NO_EXTENSIONS" not in env


def test_the_static_files_show_no_index(known):
    """CVE-2024-27306 (XSS on static index pages) needs show_index."""
    app = create_app(known, today=lambda: dt.date(2026, 11, 23))
    static = [r for r in app.router.resources() if r.canonical.startswith("/static")]
    assert static and all(not r._show_index for r in static)  # type: ignore[attr-defined]
