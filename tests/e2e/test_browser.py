"""The chat page in a real browser: Debian's Chromium driven by Playwright, against the
three real services of the ``stack`` fixture.

No browser is downloaded: Playwright launches the ``chromium`` on the PATH (installed by
``make chromium``); these tests are skipped, saying why, where it cannot be installed.
Screenshots and the axe-core report go to ``var/test-artifacts/`` (or $EIG_ARTIFACTS).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import ROOT
from tests.e2e.conftest import PORTS

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect
Page = playwright_api.Page

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("EIG_ARTIFACTS", ROOT / "var" / "test-artifacts"))
BASE = f"http://127.0.0.1:{PORTS.web}"
REPLY_TIMEOUT_MS = 30_000

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (`make chromium` installs it; needs root)",
)


@pytest.fixture(scope="module")
def browser(stack) -> Iterator[object]:
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(REPLY_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Any alert (an injected onerror=alert(1), say) fails the test that caused it.
    page.on("dialog", lambda dialog: (errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()
    assert errors == [], errors


# ----------------------------------------------------------------------------- helpers


def bot_messages(page: Page):
    return page.locator(".eig-chat__message--bot .eig-chat__text")


def user_messages(page: Page):
    return page.locator(".eig-chat__message--user .eig-chat__text")


def settled(page: Page, bots_before: int) -> None:
    """Wait for at least one more bot message and for the turn to end."""
    expect(bot_messages(page)).not_to_have_count(bots_before)
    expect(page.locator(".eig-chat__typing")).to_be_hidden()


def open_chat(page: Page, lang: str) -> None:
    page.goto(f"{BASE}/{lang}/")
    page.locator("#eig-chat-launcher").click()
    expect(page.locator("#eig-chat-dialog")).to_be_visible()
    settled(page, 0)  # the greeting


def ask(page: Page, text: str) -> str:
    """Type a question, send it, and return the text of the bot's answer (all messages)."""
    before = bot_messages(page).count()
    page.locator("#eig-chat-input").fill(text)
    page.locator("#eig-chat-input").press("Enter")
    settled(page, before)
    return "\n".join(bot_messages(page).all_inner_texts()[before:])


def last_quick_replies(page: Page):
    return page.locator(".eig-chat__quick button")


def snapshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"))


# ----------------------------------------------------------------------------- tests


def test_french_page_two_questions_and_a_quick_reply(page):
    open_chat(page, "fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    greeting = bot_messages(page).first.inner_text()
    assert greeting.startswith("Bonjour")
    page.locator("#eig-chat-input").fill("c koi le salaire")
    page.locator("#eig-chat-input").press("Enter")
    expect(page.locator(".eig-chat__typing")).to_be_visible()
    settled(page, 1)
    assert "nets par mois" in bot_messages(page).last.inner_text()
    # Screen readers hear the answer through the live region.
    expect(page.locator(".eig-chat__live p").last).to_contain_text("Assistant : Pour la")
    assert "appel à candidatures" in ask(page, "cest quand la date limite").lower()
    assert user_messages(page).all_inner_texts() == [
        "c koi le salaire",
        "cest quand la date limite",
    ]

    ask(page, "bonjour")  # the greeting again, with its quick replies
    buttons = last_quick_replies(page)
    expect(buttons.first).to_be_visible()
    before = bot_messages(page).count()
    page.get_by_role("button", name="Rémunération", exact=True).click()
    settled(page, before)
    # The title is shown as the user's message; the payload went to Rasa.
    expect(user_messages(page).last).to_have_text("Rémunération")
    assert "nets par mois" in bot_messages(page).last.inner_text()
    expect(page.locator(".eig-chat__quick")).to_have_count(0)
    snapshot(page, "fr-1280")


def test_english_toggle_then_reload_keeps_and_continues_the_conversation(page):
    open_chat(page, "fr")
    page.locator(".eig-chat__language").click()  # "English"
    expect(page.locator("#eig-chat-dialog")).to_have_attribute("lang", "en")
    expect(page.locator("label[for=eig-chat-input]")).to_have_text("Your message")
    expect(page.locator(".eig-chat__language")).to_have_text("Français")
    expect(user_messages(page).last).to_have_text("in English please")
    expect(bot_messages(page).last).to_have_text("Sure, I'll continue in English.")
    assert "net a month" in ask(page, "what is the salary?")
    transcript = page.locator(".eig-chat__message").all_inner_texts()

    page.reload()
    expect(page.locator("#eig-chat-dialog")).to_be_visible()  # it was open
    expect(page.locator(".eig-chat__message")).to_have_count(len(transcript))
    assert page.locator(".eig-chat__message").all_inner_texts() == transcript
    expect(page.locator("#eig-chat-dialog")).to_have_attribute("lang", "en")
    # Same session: still in English without asking again.
    assert "net a month" in ask(page, "and how much is the pay again")
    snapshot(page, "fr-page-english-chat-1280")


def test_english_page(page):
    open_chat(page, "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert bot_messages(page).first.inner_text().startswith("Hello!")
    expect(page.locator("#eig-chat-launcher")).to_be_hidden()
    assert "net a month" in ask(page, "what is the salary?")
    snapshot(page, "en-1280")


def test_a_whole_exchange_with_the_keyboard_only(page):
    page.goto(f"{BASE}/fr/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "eig-chat-launcher":
            break
    else:
        pytest.fail("Tab never reached the chat button")
    page.keyboard.press("Enter")
    expect(page.locator("#eig-chat-input")).to_be_focused()
    settled(page, 0)
    page.keyboard.type("c koi le salaire")
    page.keyboard.press("Enter")
    settled(page, 1)
    assert "nets par mois" in bot_messages(page).last.inner_text()

    # Back to the greeting's suggestions? They went when the user wrote; ask for them.
    page.keyboard.type("bonjour")
    before = bot_messages(page).count()
    page.keyboard.press("Enter")
    settled(page, before)
    page.keyboard.press("Shift+Tab")  # from the input to the last suggestion
    focused = page.evaluate("document.activeElement.textContent")
    assert page.evaluate("document.activeElement.closest('.eig-chat__quick') !== null"), focused
    before = bot_messages(page).count()
    page.keyboard.press("Enter")
    settled(page, before)
    expect(user_messages(page).last).to_have_text(focused)

    page.keyboard.press("Escape")
    expect(page.locator("#eig-chat-dialog")).to_be_hidden()
    expect(page.locator("#eig-chat-launcher")).to_be_focused()
    expect(page.locator("#eig-chat-launcher")).to_have_attribute("aria-expanded", "false")
    # Focus is visible on the button (DSFR's focus ring).
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_markup_is_shown_as_text(page):
    open_chat(page, "fr")
    attack = "<img src=x onerror=alert(1)>"
    ask(page, attack)
    expect(user_messages(page).last).to_have_text(attack)
    assert page.locator(".eig-chat__messages img").count() == 0
    assert page.locator(".eig-chat__messages a[href^='javascript']").count() == 0


def test_new_conversation(page):
    open_chat(page, "fr")
    ask(page, "c koi le salaire")
    old_session = page.evaluate("sessionStorage.getItem('eig-chat:session')")
    # 128 random bits (crypto.getRandomValues): nobody can guess another conversation.
    assert re.fullmatch(r'"[0-9a-f]{32}"', old_session), old_session
    # It asks before erasing: "Cancel" keeps everything, and gives focus back.
    page.locator(".eig-chat__new").click()
    expect(page.locator(".eig-chat__confirm")).to_be_visible()
    expect(page.locator(".eig-chat__confirm-no")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".eig-chat__confirm")).to_be_hidden()
    expect(page.locator(".eig-chat__new")).to_be_focused()
    expect(user_messages(page)).to_have_count(1)
    page.locator(".eig-chat__new").click()
    page.locator(".eig-chat__confirm-yes").click()
    settled(page, 0)
    expect(user_messages(page)).to_have_count(0)
    assert page.evaluate("sessionStorage.getItem('eig-chat:session')") != old_session
    expect(page.locator(".eig-chat__live")).to_contain_text("Nouvelle conversation")


def test_cut_connection_shows_reconnecting_then_recovers(page):
    """The socket is cut (WebSocket closed, new connections refused); a message typed
    meanwhile waits, and goes once the connection is back."""
    cut = {"on": False}
    sockets: list = []

    def websocket(ws) -> None:
        if cut["on"]:
            ws.close()
            return
        ws.connect_to_server()
        sockets.append(ws)

    socket_io = re.compile(rf"^(http|ws)://127\.0\.0\.1:{PORTS.rasa}/socket\.io/.*")
    page.route_web_socket(socket_io, websocket)
    page.route(socket_io, lambda route: route.abort() if cut["on"] else route.continue_())
    open_chat(page, "fr")

    cut["on"] = True
    for ws in sockets:
        ws.close()
    status = page.locator(".eig-chat__connection-text")
    expect(status).to_contain_text("Reconnexion…")
    expect(page.locator(".eig-chat__retry")).to_be_visible()
    snapshot(page, "fr-reconnecting-1280")
    page.locator("#eig-chat-input").fill("c koi le salaire")
    page.locator("#eig-chat-input").press("Enter")
    expect(page.locator(".eig-chat__message--pending")).to_have_count(1)

    cut["on"] = False
    page.locator(".eig-chat__retry").click()
    expect(status).to_have_text("Connexion rétablie.")
    expect(page.locator(".eig-chat__message--pending")).to_have_count(0)
    settled(page, 1)
    assert "nets par mois" in bot_messages(page).last.inner_text()


def test_bot_markdown_gives_links_and_emphasis_only(page):
    """A bot message crafted on the wire: only links (http, https, mailto) and emphasis
    become elements; HTML and other link schemes stay text."""
    sockets: list = []

    def websocket(ws) -> None:
        ws.connect_to_server()
        sockets.append(ws)

    page.route_web_socket(re.compile(rf"^ws://127\.0\.0\.1:{PORTS.rasa}/socket\.io/.*"), websocket)
    open_chat(page, "fr")
    for _ in range(50):
        if sockets:
            break
        page.wait_for_timeout(100)
    assert sockets, "socket.io never upgraded to a WebSocket"
    text = (
        "**Important** et *note* : [le site](https://example.gouv.fr/) "
        "[piège](javascript:alert(1)) <script>alert(2)</script> <b>gras</b> "
        "écrivez à eig@example.gouv.fr (https://example.gouv.fr/a_b)."
    )
    sockets[0].send("42" + json.dumps(["bot_uttered", {"text": text}]))
    message = bot_messages(page).last
    expect(message).to_contain_text("<script>alert(2)</script> <b>gras</b>")
    expect(message.locator("strong")).to_have_text("Important")
    expect(message.locator("em")).to_have_text("note")
    links = message.locator("a")
    expect(links).to_have_count(3)
    assert links.nth(0).get_attribute("href") == "https://example.gouv.fr/"
    assert links.nth(0).get_attribute("target") == "_blank"
    assert links.nth(0).get_attribute("rel") == "noopener noreferrer"
    assert links.nth(1).get_attribute("href") == "mailto:eig@example.gouv.fr"
    assert links.nth(2).get_attribute("href") == "https://example.gouv.fr/a_b"
    expect(message).to_contain_text("[piège](javascript:alert(1))")
    assert message.locator("script, b, img").count() == 0


def axe_scan(page: Page, name: str) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag', values:
            ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
    ]
    report = {
        "axe": results["testEngine"]["version"],
        "url": results["url"],
        "rules_passed": len(results["passes"]),
        "violations": violations,
        "to_review": [v["id"] for v in results["incomplete"]],
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    assert report["rules_passed"] > 20, "axe-core did not run"
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is missing: run `make assets`")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_serious_violation_closed_and_open(page, lang):
    page.goto(f"{BASE}/{lang}/")
    expect(page.locator("#eig-chat-launcher")).to_be_visible()
    assert axe_scan(page, f"{lang}-closed") == []
    page.locator("#eig-chat-launcher").click()
    settled(page, 0)
    assert axe_scan(page, f"{lang}-open") == []
    ask(page, "c koi le salaire" if lang == "fr" else "what is the salary?")
    # Mid-conversation: an answer with its feedback buttons, then the comment box.
    expect(page.locator(".eig-chat__feedback-no").last).to_be_visible()
    assert axe_scan(page, f"{lang}-mid-conversation") == []
    page.locator(".eig-chat__feedback-no").last.click()
    expect(page.locator(".eig-chat__feedback-form textarea")).to_be_focused()
    assert axe_scan(page, f"{lang}-feedback-comment") == []


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("320", {"width": 320, "height": 640}), ("zoom-200", {"width": 640, "height": 400})],
)
def test_small_screens_and_200_percent_zoom(browser, name, viewport):
    """At 320 px, and at 200 % zoom of a 1280×800 window (640×400 CSS pixels): nothing
    scrolls sideways and the dialog, its input and send button fit in the window."""
    scale = 2 if name == "zoom-200" else 1
    context = browser.new_context(
        viewport=viewport, device_scale_factor=scale, reduced_motion="reduce"
    )
    page = context.new_page()
    page.set_default_timeout(REPLY_TIMEOUT_MS)
    try:
        for lang in ("fr", "en"):
            page.goto(f"{BASE}/{lang}/")
            snapshot(page, f"{lang}-{name}-closed")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            open_chat(page, lang)
            ask(page, "c koi le salaire" if lang == "fr" else "what is the salary?")
            for selector in ("#eig-chat-dialog", "#eig-chat-input", ".eig-chat__send"):
                box = page.locator(selector).bounding_box()
                assert box is not None
                assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1
                assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"] + 1
            animation = page.evaluate(
                "getComputedStyle(document.querySelector('.eig-chat__dots span')).animationName"
            )
            assert animation == "none"  # reduced motion
            snapshot(page, f"{lang}-{name}-open")
            page.evaluate("sessionStorage.clear()")
    finally:
        context.close()


def click_and_wait(page: Page, name: str) -> str:
    before = bot_messages(page).count()
    last_quick_replies(page).filter(has_text=name).first.click()
    settled(page, before)
    return "\n".join(bot_messages(page).all_inner_texts()[before:])


def test_a_pre_application_with_buttons_quotes_the_candidate_literally(page):
    open_chat(page, "fr")
    assert "Quel profil visez-vous ?" in ask(page, "je veux candidater")
    assert "Combien d'années" in click_and_wait(page, "Directeur·rice technique")
    assert "expérience entrepreneuriale" in ask(page, "12 ans")
    assert "décrivez cette expérience" in click_and_wait(page, "Oui")
    description = "J'ai *cofondé* une [startup](site) voir https://evil.example/x"
    assert "dirigé une équipe technique" in ask(page, description)
    assert "Sur quoi aimeriez-vous travailler" in click_and_wait(page, "Oui")
    assert "Acceptez-vous" in ask(page, "la santé publique")
    summary = click_and_wait(page, "Non, ne rien conserver")
    # The candidate's own Markdown is shown as typed: no emphasis, no link.
    assert description in summary
    last = page.locator(".eig-chat__message--bot").last
    expect(last.locator("em")).to_have_count(0)
    expect(last.get_by_role("link", name="startup")).to_have_count(0)
    # Only links the assistant itself sends are clickable: not an address or e-mail typed.
    expect(last.locator("a[href*='evil.example']")).to_have_count(0)
    snapshot(page, "pre-application-summary")
    result = click_and_wait(page, "Oui, c'est correct")
    assert "Ce n'est pas une promesse de sélection" in result
    assert "5\u202f000\u00a0€ nets par mois" in result
    snapshot(page, "pre-application-result")


# ----------------------------------------------------------------------------- privacy


@pytest.mark.parametrize(
    ("lang", "link", "heading"),
    [
        ("fr", "Vos données personnelles et vos droits", "Données personnelles"),
        ("en", "Your personal data and your rights", "Personal data"),
    ],
)
def test_the_privacy_notice_is_reachable_by_keyboard_before_the_first_message(
    page, lang, link, heading
):
    page.goto(f"{BASE}/{lang}/")
    expect(page.locator("#eig-chat-launcher")).to_be_visible()
    # Nothing in the browser's storage before the visitor opens the chat.
    assert page.evaluate("window.sessionStorage.length") == 0
    page.locator("#eig-chat-launcher").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#eig-chat-input")).to_be_focused()
    privacy = page.locator(".eig-chat__privacy-link")
    expect(privacy).to_be_visible()
    expect(privacy).to_have_text(link)
    assert page.evaluate("window.sessionStorage.length") > 0  # opened: the session id
    if AXE.exists():  # the dialog as it opens, the link in its header: no serious violation
        assert axe_scan(page, f"{lang}-open-privacy-link") == []
    for _ in range(20):  # Shift+Tab from the input, within the dialog, to the link
        if page.evaluate("document.activeElement.classList.contains('eig-chat__privacy-link')"):
            break
        page.keyboard.press("Shift+Tab")
    else:
        pytest.fail("the keyboard never reached the privacy link")
    assert user_messages(page).count() == 0  # before the first message
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{BASE}/{lang}/donnees-personnelles")
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("#retention-conversations")).to_be_visible()


def test_the_privacy_link_follows_the_widget_language(page):
    page.goto(f"{BASE}/fr/")
    page.locator("#eig-chat-launcher").click()
    expect(page.locator(".eig-chat__privacy-link")).to_have_attribute(
        "href", "/fr/donnees-personnelles"
    )
    page.locator(".eig-chat__language").click()
    expect(page.locator(".eig-chat__privacy-link")).to_have_text(
        "Your personal data and your rights"
    )
    expect(page.locator(".eig-chat__privacy-link")).to_have_attribute(
        "href", "/en/donnees-personnelles"
    )


@pytest.mark.parametrize("name", ["320", "zoom-200"])
def test_the_privacy_link_stays_visible_on_small_screens(browser, name):
    viewport = {"width": 320, "height": 640} if name == "320" else {"width": 640, "height": 400}
    context = browser.new_context(viewport=viewport)
    try:
        small = context.new_page()
        small.goto(f"{BASE}/fr/")
        small.locator("#eig-chat-launcher").click()
        expect(small.locator(".eig-chat__privacy-link")).to_be_visible()
        snapshot(small, f"privacy-link-{name}")
    finally:
        context.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is missing: run `make assets`")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_axe_finds_no_serious_violation_on_the_privacy_notice(page, lang):
    page.goto(f"{BASE}/{lang}/donnees-personnelles")
    expect(page.locator("h1")).to_be_visible()
    assert axe_scan(page, f"{lang}-privacy") == []
