"""The programme's demo page and the chat widget's configuration, served by the web app."""

from __future__ import annotations

import datetime as dt
import json
import re
from html.parser import HTMLParser

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.web import page
from bot.web.app import create_app


@pytest.fixture
async def client(known):
    app = create_app(known, today=lambda: dt.date(2026, 11, 23), rasa_port=15999)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


class Elements(HTMLParser):
    """Every start tag with its attributes, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs: str) -> dict[str, str | None]:
        for name, found in self.tags:
            if name == tag and all(found.get(k) == v for k, v in attrs.items()):
                return found
        raise AssertionError(f"no <{tag} {attrs}>")

    def with_class(self, marker: str) -> dict[str, str | None]:
        for _, found in self.tags:
            if marker in (found.get("class") or "").split():
                return found
        raise AssertionError(f"no element of class {marker}")


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


@pytest.mark.parametrize(
    ("accept", "target"),
    [("en-GB,en;q=0.9", "/en/"), ("fr-FR", "/fr/"), ("de-DE", "/fr/"), (None, "/fr/")],
)
async def test_root_redirects_by_accept_language(client, accept, target):
    headers = {"Accept-Language": accept} if accept else {}
    reply = await client.get("/", headers=headers, allow_redirects=False)
    assert reply.status == 302
    assert reply.headers["Location"] == target
    assert reply.headers["Vary"] == "Accept-Language"


async def test_redirects_keep_the_query_string(client):
    reply = await client.get("/?webinar=eig5-info-1", allow_redirects=False)
    assert reply.headers["Location"] == "/fr/?webinar=eig5-info-1"
    reply = await client.get("/en?webinar=x", allow_redirects=False)
    assert reply.status == 301
    assert reply.headers["Location"] == "/en/?webinar=x"


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_page_is_in_the_language_of_its_path(client, lang):
    reply = await client.get(f"/{lang}/")
    assert reply.status == 200
    assert reply.content_type == "text/html"
    html = await reply.text()
    tags = parse(html)
    assert tags.find("html")["lang"] == lang
    widget = tags.find("div", id="eig-chat")
    assert widget["data-lang"] == lang
    assert widget["data-socket-port"] == "15999"
    launcher = tags.find("button", id="eig-chat-launcher")
    assert launcher["type"] == "button"
    assert launcher["aria-controls"] == "eig-chat-dialog"
    dialog = tags.find("section", id="eig-chat-dialog")
    assert dialog["role"] == "dialog"
    assert dialog["aria-labelledby"] == "eig-chat-title"
    assert tags.find("div", **{"aria-live": "polite"})


async def test_french_and_english_wording(client):
    fr = await (await client.get("/fr/")).text()
    en = await (await client.get("/en/")).text()
    assert "Discuter avec l&#39;assistant" in fr
    assert "Chat with the assistant" in en
    # The toggle offers the other language, labelled in that language.
    toggle_fr = parse(fr).with_class("eig-chat__language")
    assert toggle_fr["lang"] == "en"
    assert toggle_fr["aria-label"] == "Continue in English"
    toggle_en = parse(en).with_class("eig-chat__language")
    assert toggle_en["lang"] == "fr"
    assert toggle_en["aria-label"] == "Continuer en français"


async def test_script_strings_are_json_in_both_languages(client):
    html = await (await client.get("/fr/")).text()
    strings = json.loads(parse(html).find("div", id="eig-chat")["data-strings"] or "")
    assert set(strings) == {"fr", "en"}
    for language in ("fr", "en"):
        assert set(strings[language]) == set(page.SCRIPT_STRINGS)
        assert all(text and text != msgid for msgid, text in strings[language].items())
    assert strings["fr"]["chat_reconnecting"] == "Reconnexion…"
    assert strings["en"]["chat_reconnecting"] == "Reconnecting…"
    assert strings["en"]["chat_language_request"] == "in English please"


async def test_no_inline_script_and_a_strict_content_security_policy(client):
    reply = await client.get("/fr/", headers={"Host": "localhost:8000"})
    html = await reply.text()
    scripts = [attrs for tag, attrs in parse(html).tags if tag == "script"]
    assert scripts and all(attrs.get("src", "").startswith("/static/") for attrs in scripts)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " style=" not in html and "<style" not in html
    assert "://" not in "".join(a.get("href") or "" for t, a in parse(html).tags if t == "link")
    csp = reply.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "connect-src 'self' http://localhost:15999 ws://localhost:15999" in csp
    assert "frame-ancestors 'none'" in csp
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


async def test_security_headers_on_other_answers(client):
    reply = await client.get("/healthz")
    assert reply.headers["Content-Security-Policy"] == page.STRICT_CSP
    assert reply.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/de/", "/fr/x", "/static/nope.js", "/static/../bot/web/app.py"])
async def test_unknown_pages_are_404(client, path):
    reply = await client.get(path)
    assert reply.status == 404


async def test_widget_script_and_stylesheet_are_served(client):
    script = await client.get("/static/eig-chat.js")
    assert script.status == 200
    assert "javascript" in script.content_type
    style = await client.get("/static/eig-chat.css")
    assert style.status == 200
    assert style.content_type == "text/css"


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("localhost:8000", "localhost"),
        ("127.0.0.1:18100", "127.0.0.1"),
        ("[::1]:8000", "[::1]"),
        ("example.gouv.fr", "example.gouv.fr"),
        ("evil.fr:80; script-src *", None),
        ("", None),
        (None, None),
    ],
)
def test_host_name_of_the_host_header(header, name):
    assert page.host_name(header) == name


def test_socket_origins_follow_the_page_host_and_rasa_port():
    config = page.PageConfig(socket_port=5005)
    assert page.socket_origins("localhost:8000", False, config) == [
        "http://localhost:5005",
        "ws://localhost:5005",
    ]
    assert page.socket_origins("a.gouv.fr", True, config) == [
        "https://a.gouv.fr:5005",
        "wss://a.gouv.fr:5005",
    ]
    assert page.socket_origins("bad host", False, config) == []


def test_behind_a_proxy_the_socket_is_the_pages_own_origin():
    config = page.PageConfig(socket_port=5005, same_origin=True)
    assert page.socket_origins("localhost:8080", False, config) == ["ws://localhost:8080"]
    assert page.socket_origins("chat.gouv.fr", True, config) == ["wss://chat.gouv.fr"]
    assert page.socket_origins("[::1]:8080", False, config) == ["ws://[::1]:8080"]
    assert page.socket_origins("[::1]:80; script-src *", False, config) == []


async def test_the_widget_uses_the_page_origin_only_when_asked(known):
    app = create_app(known, today=lambda: dt.date(2026, 11, 23), socket_same_origin=True)
    async with TestClient(TestServer(app)) as proxied:
        reply = await proxied.get("/fr/", headers={"Host": "localhost:8080"})
        parser = Elements()
        parser.feed(await reply.text())
        widget = parser.find("div", id="eig-chat")
        assert widget["data-socket-url"] == "/"
        assert "connect-src 'self' ws://localhost:8080;" in reply.headers["Content-Security-Policy"]


async def test_by_default_the_widget_has_no_socket_url(client):
    reply = await client.get("/fr/")
    parser = Elements()
    parser.feed(await reply.text())
    assert "data-socket-url" not in parser.find("div", id="eig-chat")
