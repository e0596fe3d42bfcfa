"""The load generator against a real HTTP server: what it sends, clicks and counts."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bench import load, mix

MENU = [
    {"text": "Bonjour"},
    {"text": "Que voulez-vous savoir ?", "buttons": [
        {"title": "Salaire", "payload": '/choose_topic{"faq_topic":"salary"}'},
        {"title": "Dates", "payload": '/choose_topic{"faq_topic":"deadline"}'},
    ]},
]  # fmt: skip
EARLIER_BUTTONS = [  # the widget shows the last message's buttons only
    {"text": "Voici", "buttons": [{"title": "Oui", "payload": "/affirm"}]},
    {"text": "Autre chose ?"},
]


def reply(text: str) -> list[dict[str, Any]]:
    if text == "bonjour":
        return MENU
    if text == "earlier":
        return EARLIER_BUTTONS
    return [{"text": f"echo {text}"}]


@pytest.fixture
async def bot():
    received: list[tuple[str, str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append((body["sender"], body["message"], body.get("metadata")))
        if body["message"] == "fail":
            return web.json_response({"error": "no"}, status=500)
        return web.json_response(reply(body["message"]))

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/webhooks/rest/webhook")), received
    finally:
        await server.close()


def play(script: load.Script) -> list[str]:
    """Plays ``script`` against ``reply`` without HTTP."""
    visit = load.Visit(script)
    sent = []
    while (text := visit.next_message()) is not None:
        sent.append(text)
        visit.replied(reply(text))
    return sent


def test_a_click_sends_a_payload_of_the_latest_reply():
    sent = play([("bonjour", "fr"), (load.CLICK, "fr"), ("merci", "fr")])
    assert sent[0] == "bonjour" and sent[2] == "merci"
    assert sent[1] in {b["payload"] for b in MENU[1]["buttons"]}


def test_a_click_waits_for_a_reply_with_buttons_and_is_dropped_at_the_end():
    script = [("merci", "fr"), (load.CLICK, "fr"), ("bonjour", "fr"), ("ok", "fr")]
    sent = play(script)
    assert sent[:2] == ["merci", "bonjour"]
    assert sent[2].startswith("/choose_topic") and sent[3] == "ok"
    visit = load.Visit([("earlier", "fr"), (load.CLICK, "fr")])
    assert visit.next_message() == "earlier"
    visit.replied(EARLIER_BUTTONS)
    assert visit.next_message() is None
    assert (visit.waiting, visit.clicks) == (1, 0)


def test_the_same_script_clicks_the_same_buttons():
    script = [(f"bonjour{i}", "fr") for i in range(3)]
    buttons = [f"/b{i}" for i in range(10)]
    picks = [load.choose(buttons, script, turn) for turn in range(20)]
    assert picks == [load.choose(buttons, script, turn) for turn in range(20)]
    assert len(set(picks)) > 3


async def test_run_plays_the_mix_in_order_and_counts_what_it_sent(bot):
    url, received = bot
    pool = [
        [("bonjour", "fr"), (load.CLICK, "fr"), ("merci", "fr")],
        [("hello", "en"), (load.CLICK, "en")],
        [("earlier", "en"), ("bye", "en")],
    ]
    same = mix.Mix(seed=1, pool=pool)
    expected = [text for _ in pool for text in play(same.next())]
    result = await load._run(url, mix.Mix(seed=1, pool=pool), 1, 30, 0, max_messages=6)
    texts = [text for _, text, _ in received]
    assert texts == expected == result.sent
    assert result.replies == len(result.latencies_ms) == 6 and result.errors == 0
    assert sum(t.startswith("/choose_topic") for t in texts) == result.clicks == 1
    assert result.clicks_dropped == 1  # "hello" offers no button
    senders = [sender for sender, _, _ in received]
    assert len(set(senders)) == 3 and senders[0] != senders[-1]  # one per conversation
    languages = {text: meta["language"] for _, text, meta in received}
    assert languages["hello"] == "en" and languages["bonjour"] == "fr"


async def test_run_counts_failures_and_plays_script_lists_round_robin(bot):
    url, received = bot
    scripts = [[("a", None), ("fail", None)], [("b", None)]]
    result = await load._run(url, scripts, 2, duration=30, warmup=0, max_messages=6)
    assert result.errors >= 1 and result.replies == len(result.latencies_ms)
    assert {text for _, text, _ in received} == {"a", "b", "fail"}
    assert all(meta is None for _, _, meta in received)
