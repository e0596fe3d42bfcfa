"""The public-facing dependencies with published advisories: upgraded past them, or the
vulnerable path shown unreachable (docs/security.md, "Dependencies")."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import logging
from pathlib import Path

import aiohttp
import aiohttp.http_parser
import aiohttp.web_protocol
from aiohttp import web_urldispatcher
from aiohttp.test_utils import TestClient, TestServer
from packaging.version import Version

from bot import ROOT
from bot.infra.static_files import StaticFiles
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


def test_no_file_is_served_by_aiohttp_static(known):
    """CVE-2024-27306 (XSS on static index pages), CVE-2025-69226 (absolute path components
    through ``web.static``) and CVE-2025-69225 (``Range`` with non-ASCII digits, read by
    ``FileResponse``) need aiohttp's static files: ``/static/`` and ``/admin/static/`` are
    served by ``bot.infra.static_files`` from a list made at start-up
    (tests/bot/infra/test_static_files.py, tests/bot/web/test_static_routes.py)."""
    app = create_app(known, today=lambda: dt.date(2026, 11, 23))
    resources = list(app.router.resources())
    assert not [r for r in resources if isinstance(r, web_urldispatcher.StaticResource)]
    static = {r.canonical: r for r in resources if "/static/" in r.canonical}
    assert set(static) == {"/static/{path}", "/admin/static/{path}"}
    for resource in static.values():
        handlers = [route.handler for route in resource]
        assert handlers and all(isinstance(h.__self__, StaticFiles) for h in handlers)  # type: ignore[attr-defined]


async def test_invalid_cookies_are_not_logged(known, caplog):
    """CVE-2025-69230 (a log line per invalid cookie) is in the cookie parser of aiohttp
    3.12 and later; 3.9.5 reads ``Cookie`` with the standard library's ``SimpleCookie``,
    which logs nothing. The back office reads its session cookie: a request with many
    invalid cookies gets the sign-in page and no log line about them."""
    app = create_app(known, today=lambda: dt.date(2026, 11, 23))
    invalid = "; ".join(["bad name=1", 'quote"=2', "=3", 'x="open', "é=4"] * 40)
    caplog.set_level(logging.DEBUG)
    async with TestClient(TestServer(app)) as client:
        reply = await client.get("/admin/fr/", headers={"Cookie": invalid}, allow_redirects=False)
    assert reply.status == 303 and reply.headers["Location"] == "/admin/fr/login"
    # One line per request (the access log, ours), none per cookie.
    noted = [r for r in caplog.records if r.name != "aiohttp.access"]
    assert not [r for r in noted if r.name.startswith("aiohttp")]
    assert not [r for r in caplog.records if "cookie" in r.getMessage().lower()]
    assert [r for r in caplog.records if r.getMessage() == "web.request"]  # logs are caught
