"""The chat page as a user and an RGAA auditor meet it: the language of each message, a
true dialog, the small things a user notices, and the answer feedback — in Debian's
Chromium driven by Playwright, against the three real services of the ``stack`` fixture.
"""
# The ``browser`` and ``page`` fixtures are test_browser's, imported: their names are the
# tests' parameters.
# ruff: noqa: F811

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import PORTS
from tests.e2e.test_browser import (  # noqa: F401
    BASE,
    CHROMIUM,
    Page,
    ask,
    bot_messages,
    browser,
    expect,
    open_chat,
    page,
    settled,
    snapshot,
    user_messages,
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (`make chromium` installs it; needs root)",
)


def last_bot(page: Page):
    return page.locator(".eig-chat__message--bot").last


# ------------------------------------------------------------------ 1. language of each message


def test_a_typed_switch_marks_each_message_and_the_labels_both_ways(page):
    open_chat(page, "fr")
    expect(last_bot(page)).to_have_attribute("lang", "fr")
    ask(page, "can we speak English please?")
    expect(last_bot(page)).to_have_attribute("lang", "en")
    expect(page.locator(".eig-chat__live p").last).to_have_attribute("lang", "en")
    expect(page.locator("#eig-chat-dialog")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=eig-chat-input]")).to_have_text("Your message")
    expect(page.locator(".eig-chat__language")).to_have_text("Français")
    assert "net a month" in ask(page, "what is the salary?")
    expect(last_bot(page)).to_have_attribute("lang", "en")
    # The user's messages keep the language they were typed in the widget's.
    expect(page.locator(".eig-chat__message--user").first).to_have_attribute("lang", "fr")

    ask(page, "est-ce qu'on peut repasser en français s'il vous plaît ?")
    expect(last_bot(page)).to_have_attribute("lang", "fr")
    expect(page.locator(".eig-chat__live p").last).to_have_attribute("lang", "fr")
    expect(page.locator("#eig-chat-dialog")).to_have_attribute("lang", "fr")
    expect(page.locator("label[for=eig-chat-input]")).to_have_text("Votre message")
    assert "nets par mois" in ask(page, "quel est le salaire ?")
    expect(last_bot(page)).to_have_attribute("lang", "fr")
    snapshot(page, "typed-switch-back-to-french")


def test_a_single_question_in_the_other_language_is_marked_in_it(page):
    """One French question on /en/: answered in French and marked so; the conversation,
    and so the widget's labels, stay English."""
    open_chat(page, "en")
    answer = ask(page, "quelle est la rémunération des entrepreneurs d'intérêt général ?")
    assert "nets par mois" in answer
    expect(last_bot(page)).to_have_attribute("lang", "fr")
    expect(page.locator(".eig-chat__live p").last).to_have_attribute("lang", "fr")
    expect(page.locator("#eig-chat-dialog")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=eig-chat-input]")).to_have_text("Your message")
    # Reloaded: each message keeps its own language.
    page.reload()
    expect(last_bot(page)).to_have_attribute("lang", "fr")
    expect(page.locator(".eig-chat__message--bot").first).to_have_attribute("lang", "en")


# ------------------------------------------------------------------ 2. a true dialog


def focus_inside(page: Page) -> bool:
    return page.evaluate(
        "document.getElementById('eig-chat-dialog').contains(document.activeElement)"
    )


@pytest.mark.parametrize(
    ("name", "viewport"),
    [
        ("1280", {"width": 1280, "height": 800}),
        ("320", {"width": 320, "height": 640}),
        ("zoom-200", {"width": 640, "height": 400}),
    ],
)
def test_focus_stays_inside_the_open_dialog(browser, name, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        open_chat(page, "fr")
        # The page under it is inert: neither focusable nor read.
        assert page.evaluate("document.querySelector('main').inert")
        assert page.evaluate("document.querySelector('header').inert")
        selector = ", ".join(
            f"#eig-chat-dialog {part}"
            for part in (
                "a[href]",
                "button",
                "input",
                "textarea",
                '[tabindex]:not([tabindex="-1"])',
            )
        )
        tabbable = (
            f"Array.from(document.querySelectorAll('{selector}'))"
            ".filter(n => !n.closest('[hidden]') && n.getClientRects().length)"
        )
        first_is = f"document.activeElement === ({tabbable})[0]"
        last_is = f"document.activeElement === ({tabbable}).pop()"
        page.evaluate(f"({tabbable})[0].focus()")  # its first control
        page.keyboard.press("Shift+Tab")
        assert focus_inside(page), page.evaluate("document.activeElement.outerHTML")
        assert page.evaluate(last_is), page.evaluate("document.activeElement.outerHTML")
        page.keyboard.press("Tab")  # from its last control, back to the first
        assert page.evaluate(first_is), page.evaluate("document.activeElement.outerHTML")
        for _ in range(25):  # a whole round each way never leaves it
            page.keyboard.press("Tab")
            assert focus_inside(page)
        for _ in range(25):
            page.keyboard.press("Shift+Tab")
            assert focus_inside(page)
        page.keyboard.press("Escape")
        expect(page.locator("#eig-chat-launcher")).to_be_focused()
        assert not page.evaluate("document.querySelector('main').inert")
    finally:
        context.close()


# ------------------------------------------------------------------ 4. small things


def test_a_live_counter_says_when_a_message_is_too_long(page):
    open_chat(page, "fr")
    counter = page.locator(".eig-chat__count")
    expect(counter).to_have_text("0 / 1000 caractères")
    page.locator("#eig-chat-input").fill("bonjour")
    expect(counter).to_have_text("7 / 1000 caractères")
    assert page.locator("#eig-chat-input").get_attribute("aria-describedby") == "eig-chat-count"
    page.locator("#eig-chat-input").fill("a" * 1001)  # nothing is cut
    assert len(page.locator("#eig-chat-input").input_value()) == 1001
    expect(counter).to_contain_text("dépasse 1000 caractères")
    expect(page.locator("#eig-chat-input")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".eig-chat__live")).to_contain_text("dépasse 1000 caractères")
    page.locator("#eig-chat-input").press("Enter")
    expect(user_messages(page)).to_have_count(0)  # not sent
    page.locator("#eig-chat-input").fill("a" * 1000)
    expect(counter).to_have_text("1000 / 1000 caractères")


def test_retry_loads_the_socketio_client_again_when_it_failed(page):
    blocked = {"on": True}
    client = re.compile(r".*/socket\.io(\.[0-9a-f]+)?\.min\.js(\.gz|\.br)?$")
    page.route(client, lambda route: route.abort() if blocked["on"] else route.continue_())
    page.goto(f"{BASE}/fr/")
    page.locator("#eig-chat-launcher").click()
    expect(page.locator(".eig-chat__retry")).to_be_visible()
    expect(page.locator(".eig-chat__connection-text")).to_contain_text("Reconnexion")
    page.locator("#eig-chat-input").fill("c koi le salaire")
    page.locator("#eig-chat-input").press("Enter")
    expect(page.locator(".eig-chat__message--pending")).to_have_count(1)
    blocked["on"] = False
    page.locator(".eig-chat__retry").click()
    expect(page.locator(".eig-chat__message--pending")).to_have_count(0)
    expect(page.locator(".eig-chat__retry")).to_be_hidden()
    settled(page, 0)
    expect(bot_messages(page).last).to_contain_text("nets par mois")


# ------------------------------------------------------------------ 6. answer feedback


def feedback_rows(stack) -> list[dict]:
    engine = sa.create_engine(f"sqlite:///{stack.var_dir / 'applications.db'}", future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT * FROM answer_feedback ORDER BY id"))
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_feedback_with_the_keyboard_is_stored_redacted(page, stack, lang):
    open_chat(page, lang)
    # The greeting is not an answer: no feedback under it.
    expect(page.locator(".eig-chat__feedback")).to_have_count(0)
    ask(page, "c koi le salaire" if lang == "fr" else "what is the salary?")
    box = page.locator(".eig-chat__feedback").last
    question = "Cette réponse vous a-t-elle aidé ?" if lang == "fr" else "Was this answer helpful?"
    group = box.get_by_role("group", name=question)
    expect(group).to_be_visible()
    no = group.get_by_role("button", name="Non" if lang == "fr" else "No")
    expect(no).to_have_attribute("aria-pressed", "false")
    # From the answer's "Yes" to "No" with Tab, then Space.
    group.get_by_role("button", name="Oui" if lang == "fr" else "Yes").focus()
    page.keyboard.press("Tab")
    expect(no).to_be_focused()
    page.keyboard.press(" ")
    expect(no).to_have_attribute("aria-pressed", "true")
    comment = box.locator("textarea")
    expect(comment).to_be_focused()
    page.keyboard.type("Pas assez précis, écrivez-moi : jeanne.test@example.org 06 12 34 56 78")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    thanks = "Merci pour votre avis." if lang == "fr" else "Thank you for your feedback."
    expect(box).to_have_text(thanks)
    expect(page.locator(".eig-chat__live")).to_contain_text(thanks)
    expect(page.locator("#eig-chat-input")).to_be_focused()

    message_id = page.evaluate(
        "JSON.parse(sessionStorage.getItem('eig-chat:history')).filter(e => e.mid).pop().mid"
    )
    [row] = [r for r in feedback_rows(stack) if r["message_id"] == message_id]
    assert row["response"] == "utter_faq/salary" and row["language"] == lang
    assert not row["helpful"]
    assert row["comment"] == "Pas assez précis, écrivez-moi : [redacted] [number]"
    page.reload()  # the thanks, not the buttons, after a reload
    expect(page.locator(".eig-chat__feedback").last).to_have_text(thanks)


def test_the_feedback_endpoint_is_not_open_to_other_origins(stack):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        f"http://127.0.0.1:{PORTS.web}/feedback",
        data=b"{}",
        method="OPTIONS",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            headers = reply.headers
    except urllib.error.HTTPError as error:
        headers = error.headers
    assert headers.get("Access-Control-Allow-Origin") is None


# ------------------------------------------------------------------ 3. fast on a phone


def test_the_page_keeps_its_phone_budget(browser):
    """What Lighthouse measured (mobile performance 61 before, 98-99 after): the bytes a
    first visit transfers, one render-blocking stylesheet of DSFR's parts, compression,
    cache lifetimes. Lighthouse itself is run by hand (README)."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    page = context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    try:
        document = page.goto(f"{BASE}/fr/", wait_until="networkidle")
        assert document is not None
        expect(page.locator("#eig-chat-launcher")).to_be_visible()
        html = document.text()
        head = html.split("</head>")[0]
        # One stylesheet blocks the first paint; scripts never do.
        assert head.count('rel="stylesheet"') == 1
        assert all(" defer" in tag for tag in re.findall(r"<script[^>]*>", head))
        assert document.headers["cache-control"] == "no-cache"
        assert document.headers.get("content-encoding") == "gzip"
        transferred = 0
        for request in finished:
            response = request.response()
            assert response is not None
            sizes = request.sizes()
            transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            path = re.sub(r"^https?://[^/]+", "", request.url)
            if not path.startswith("/static/"):
                continue
            # Every file the page loads is a fingerprinted build file, cached for a year.
            assert path.startswith("/static/build/"), path
            assert "immutable" in response.headers["cache-control"], path
            if path.endswith((".css", ".js", ".svg")):
                assert response.headers.get("content-encoding") == "gzip", path
        # The widget's socket.io client waits for the chat to open.
        assert not any("socket.io" in request.url for request in finished)
        assert transferred < 260_000, transferred  # 1,084 KiB before; fonts are 176 KiB
        stylesheet = next(r for r in finished if r.url.endswith("/dsfr/page.min.css"))
        css = stylesheet.response().text()
        assert ".fr-header" in css and ".fr-accordion" not in css and len(css) < 200_000
        snapshot(page, "phone-budget-360")
    finally:
        context.close()
