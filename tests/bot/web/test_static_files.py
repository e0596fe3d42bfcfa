"""The page's files as the web service sends them: the built ones fingerprinted, gzip'd
for browsers that accept it and cached for a year; the page itself revalidated; only
DSFR's page stylesheet in the page's head."""

from __future__ import annotations

import gzip

import pytest

from bot.web import page as page_module

pytestmark = pytest.mark.skipif(
    page_module.assets() is page_module.UNBUILT, reason="no build: run `make assets`"
)


async def test_built_files_are_compressed_and_immutable(client):
    built = page_module.assets()
    for url in (built.page_css, built.widget_js, built.widget_css, built.socketio_js):
        reply = await client.get(
            url, headers={"Accept-Encoding": "gzip, br"}, auto_decompress=False
        )
        assert reply.status == 200, url
        assert reply.headers["Content-Encoding"] == "gzip"
        assert reply.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Accept-Encoding" in reply.headers["Vary"]
        body = await reply.read()
        plain = await client.get(url, headers={"Accept-Encoding": "identity"})
        assert "Content-Encoding" not in plain.headers
        assert gzip.decompress(body) == await plain.read()
        assert len(body) < len(await plain.read())


async def test_the_page_is_revalidated_and_plain_static_files_too(client):
    reply = await client.get("/fr/", headers={"Accept-Encoding": "gzip"})
    assert reply.headers["Cache-Control"] == "no-cache"
    assert reply.headers["Content-Encoding"] == "gzip"
    reply = await client.get("/static/eig-chat.js")
    assert reply.status == 200 and reply.headers["Cache-Control"] == "no-cache"
    missing = await client.get(page_module.assets().widget_js.replace(".js", ".nope.js"))
    assert missing.status == 404 and "immutable" not in missing.headers.get("Cache-Control", "")


async def test_the_head_blocks_on_one_stylesheet_only(client):
    html = await (await client.get("/en/")).text()
    head = html.split("</head>")[0]
    built = page_module.assets()
    assert head.count('rel="stylesheet"') == 1 and built.page_css in head
    assert f'<script src="{built.widget_js}" defer></script>' in head
    assert head.count("<script") == 1  # socket.io is loaded when the chat opens
    assert f'data-css="{built.widget_css}"' in html
    assert f'data-socketio-src="{built.socketio_js}"' in html
