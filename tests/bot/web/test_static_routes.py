"""``/static/`` and ``/admin/static/`` through the web service: only the files listed at
start-up, whole, never a path looked up on disk (aiohttp's ``web.static`` is not used:
CVE-2025-69225, CVE-2025-69226)."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestClient

from bot import ROOT
from bot.web import page as page_module


async def raw_get(client: TestClient, target: str, headers: str = "") -> tuple[int, str, bytes]:
    """Sends ``target`` as written (a client library would normalise it)."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    request = f"GET {target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{headers}\r\n"
    writer.write(request.encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), head.decode("latin-1"), body


@pytest.mark.parametrize(
    "target",
    [
        "/static/../bot/web/app.py",
        "/static/%2e%2e/%2e%2e/app.py",
        "/static/..%2f..%2fapp.py",
        f"/static/{ROOT / 'bot' / 'web' / 'app.py'}",
        "/static/eig-chat.js%00",
        "/static/vendor\\..\\eig-chat.js",
        "/admin/static/../templates/base.html",
        "/admin/static/%2e%2e/app.py",
        f"/admin/static/{ROOT / 'bot' / 'admin' / 'app.py'}",
        "/admin/static/admin%2ecss",
    ],
)
async def test_paths_outside_the_list_are_404_json(client, target):
    status, head, body = await raw_get(client, target)
    assert status == 404, target
    assert "application/json" in head and b"import" not in body


async def test_the_back_office_stylesheet_is_served_without_a_session(client):
    reply = await client.get("/admin/static/admin.css")
    assert reply.status == 200 and reply.headers["Content-Type"] == "text/css"
    assert await reply.read() == (ROOT / "bot" / "admin" / "static" / "admin.css").read_bytes()
    assert reply.headers["ETag"] and reply.headers["Last-Modified"]
    head = await client.head("/admin/static/admin.css")
    assert head.status == 200 and await head.read() == b""


@pytest.mark.parametrize("value", ["bytes=0-9", "bytes=\u0660-\u0669", "bytes=\uff11-", "x"])
async def test_a_range_gets_the_whole_file(client, value):
    whole = (page_module.STATIC / "eig-chat.js").read_bytes()
    status, head, body = await raw_get(
        client, "/static/eig-chat.js", f"Range: {value}\r\nAccept-Encoding: identity\r\n"
    )
    assert status == 200 and body == whole
    assert "Content-Range" not in head and "Accept-Ranges: none" in head
    assert "Cache-Control: no-cache" in head
