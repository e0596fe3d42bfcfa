"""The faults the cluster profile survives, on the real servers (`make test-cluster`).

PostgreSQL, the action server and the NLG service go down and come back, and Rasa
instances are killed. Each test starts on the whole cluster (conftest.py's ``all_up``
brings back what an earlier one stopped), so they pass in any order.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import signal
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import psutil
import pytest
import socketio

from bot.applications import storage
from bot.domain.personal import PLACEHOLDER
from tests.cluster.conftest import (
    PORTS,
    RASA,
    Conversation,
    Reply,
    events,
    record,
    user_texts,
    wait_until,
)
from tests.conftest import close_socketio

pytestmark = pytest.mark.cluster


@dataclass(frozen=True)
class GuidedForm:
    """A form filled in over several messages, as the kill and alternation tests see it."""

    name: str  # its active_loop
    start: str
    answers: tuple[str, ...]
    done: str  # in the last reply once every answer is given
    slots: frozenset[str] = field(default_factory=frozenset)  # filled along the way
    # The answers (their positions) that are personal data, or whose turn set one (the last
    # "oui" gets the reference): once the form ends, the conversation store keeps them as the
    # placeholder only (bot.domain.personal, RedactingTrackerStore).
    personal: frozenset[int] = field(default_factory=frozenset)

    def stored_texts(self) -> list[str]:
        answers = [PLACEHOLDER if i in self.personal else a for i, a in enumerate(self.answers)]
        return [self.start, *answers]

    def personal_texts(self) -> set[str]:
        return {self.answers[i] for i in self.personal} - {"oui", "yes"}


HOST_CHECK = GuidedForm(
    "host_check_form",
    "/host_check",
    ("une mairie", "oui"),
    "Collectivité territoriale",
    frozenset({"structure_type", "has_data_project"}),
)
PRE_APPLICATION = GuidedForm(
    "pre_application_form",
    "je veux candidater",
    ("CTO", "douze ans", "non", "oui", "Les données de santé publique", "oui", "Camille",
     "camille.martin@example.org", "oui"),
    "Ce n'est pas une promesse de sélection",
    frozenset({"target_profile", "years_experience"}),
    frozenset({4, 6, 7, 8}),  # the project, the first name, the e-mail, the summary's "oui"
)  # fmt: skip
# The form the kill and alternation tests go through: a whole pre-application.
FORM = PRE_APPLICATION


def fill(chat: Conversation, form: GuidedForm) -> list[Reply]:
    return [chat.say(text) for text in (form.start, *form.answers)]


def assert_form_completed(stack, chat: Conversation, form: GuidedForm) -> list[dict[str, Any]]:
    """Every message stored once and in order, the form opened, filled and closed."""
    stored = events(stack, chat.stored_id)
    assert user_texts(stored) == form.stored_texts()
    kept = json.dumps(stored, ensure_ascii=False)
    assert not [a for a in form.personal_texts() if a in kept], "personal data in PostgreSQL"
    loops = [e.get("name") for e in stored if e["event"] == "active_loop"]
    assert loops[0] == form.name and loops[-1] is None
    filled = {e["name"] for e in stored if e["event"] == "slot" and e.get("value") is not None}
    assert form.slots <= filled
    assert stored[-1] == {**stored[-1], "event": "action", "name": "action_listen"}
    return stored


def test_a_conversation_alternating_between_instances_keeps_its_state(stack):
    """Each message to the other instance than the one before, straight to it: every turn
    reads what the other instance wrote."""
    chat = Conversation("fr")
    instances = itertools.cycle(RASA)
    replies = [chat.say(text, via=next(instances)) for text in (FORM.start, *FORM.answers)]
    served = [reply.upstream for reply in replies]
    assert all(a != b for a, b in itertools.pairwise(served)), served
    assert all(reply.status == 200 and not reply.is_apology("fr") for reply in replies)
    assert FORM.done in replies[-1].text
    assert_form_completed(stack, chat, FORM)


def test_socketio_through_nginx_is_sticky(stack):
    """Without the cookie each handshake may land anywhere; with it, always on one."""

    def handshake(cookie: str = "") -> tuple[str, str]:
        request = urllib.request.Request(
            f"{PORTS.public_url}/socket.io/?EIO=4&transport=polling",
            headers={"Cookie": cookie} if cookie else {},
        )
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.headers["X-Upstream"], reply.headers["Set-Cookie"].split(";")[0]

    fresh = [handshake() for _ in range(20)]  # random routes: both ≈ 1 - 2⁻¹⁹
    assert {upstream for upstream, _ in fresh} == set(RASA)
    upstream, cookie = fresh[0]
    assert {handshake(cookie)[0] for _ in range(6)} == {upstream}


async def socketio_exchange(
    stack,
    texts: list[str],
    language: str,
    until: Optional[Callable[[list[dict]], bool]] = None,
) -> list[list[dict]]:
    """Long-polling only, so that every request must reach the session's instance. Each
    turn is awaited until ``until(its messages)``, by default until PostgreSQL holds the
    whole turn and all of its bot messages arrived."""
    client = socketio.AsyncClient(reconnection=False)
    session_id = uuid.uuid4().hex
    inbox: list[dict] = []
    confirmed = asyncio.Event()

    @client.on("bot_uttered")
    async def on_bot(data: dict) -> None:
        inbox.append(data)

    @client.on("session_confirm")
    async def on_confirm(data: str) -> None:
        confirmed.set()

    await client.connect(PORTS.public_url, transports=["polling"])
    turns = []
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), timeout=30)
        for text in texts:
            stored_before, received_before = len(events(stack, session_id)), len(inbox)

            await client.emit(
                "user_uttered",
                {"message": text, "session_id": session_id, "metadata": {"language": language}},
            )
            deadline = time.monotonic() + 60
            while True:
                turn = inbox[received_before:]
                if until is not None and until(turn):
                    break
                stored = events(stack, session_id)[stored_before:]
                if until is None and turn_stored(stored, len(turn)):
                    break
                assert time.monotonic() < deadline, f"the turn of {text!r}: {turn}"
                await asyncio.sleep(0.1)
            turns.append(turn)
    finally:
        await close_socketio(client)
    return turns


def turn_stored(stored: list[dict[str, Any]], received: int) -> bool:
    """The turn's events are stored (the user's message, then listening again) and its
    ``received`` messages are all of its bot messages."""
    if not any(e["event"] == "user" for e in stored):
        return False
    last = stored[-1]
    if last["event"] != "action" or last.get("name") != "action_listen":
        return False
    return received >= sum(e["event"] == "bot" for e in stored)


def test_a_socketio_conversation_over_long_polling_keeps_going(stack):
    turns = asyncio.run(socketio_exchange(stack, [FORM.start, *FORM.answers], "fr"))
    assert FORM.done in "\n".join(m.get("text", "") for m in turns[-1])


def test_the_chat_page_through_nginx_talks_to_socketio_on_its_own_origin(stack):
    """The widget, served by nginx, connects to socket.io through nginx (same origin,
    allowed by the page's Content-Security-Policy) and gets its answers."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (`make chromium`)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_default_timeout(30_000)
        sockets: list[str] = []
        problems: list[str] = []
        page.on("request", lambda r: "/socket.io/?" in r.url and sockets.append(r.url))
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.goto(f"{PORTS.public_url}/fr/")
        page.locator("#eig-chat-launcher").click()
        bot = page.locator(".eig-chat__message--bot .eig-chat__text")
        sync_api.expect(bot).not_to_have_count(0)  # the greeting
        before = bot.count()
        page.locator("#eig-chat-input").fill("c koi le salaire")
        page.locator("#eig-chat-input").press("Enter")
        sync_api.expect(bot).not_to_have_count(before)
        sync_api.expect(bot.last).to_contain_text("nets par mois")
        browser.close()
    assert sockets, "the widget made no socket.io request"
    origin = PORTS.public_url.split("://")[1]
    assert all(url.split("://")[1].startswith(origin + "/socket.io/") for url in sockets), sockets
    assert problems == [], problems


QUESTIONS = {
    "c koi le salaire": "nets par mois",
    "cest quand la date limite": "appel à candidatures",
}


def test_twenty_simultaneous_messages_are_handled_one_at_a_time(stack):
    chat = Conversation("fr")
    chat.say("bonjour")
    texts = [list(QUESTIONS)[i % 2] for i in range(20)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(chat.say, texts))
    record("twenty_concurrent_messages_s", time.monotonic() - started)
    assert {reply.upstream for reply in replies} == set(RASA)
    for text, reply in zip(texts, replies, strict=True):
        assert reply.status == 200 and not reply.is_apology("fr"), reply.text
        assert QUESTIONS[text] in reply.text  # each answer is to its own question
    stored = events(stack, chat.stored_id)
    assert sorted(user_texts(stored)) == sorted(["bonjour", *texts])
    # One turn after the other: each user message is answered and listened after, before
    # the next one is read. Two instances working at once would interleave or drop events.
    turns: list[list[dict[str, Any]]] = []
    for event in stored:
        if event["event"] == "user":
            turns.append([])
        if turns:
            turns[-1].append(event)
    for turn in turns:
        assert any(e["event"] == "bot" for e in turn), turn
        assert turn[-1]["event"] == "action" and turn[-1]["name"] == "action_listen"
        assert [e["event"] for e in turn].count("user") == 1
    stamps = [e["timestamp"] for e in stored]
    assert stamps == sorted(stamps)


def submit(store: storage.Storage, sender: str) -> str:
    return store.submit(
        storage.conversation_key(sender, "token-1"),
        language="fr",
        promotion=7,
        target_profile="technical_director",
        years_of_experience=8,
        entrepreneurial_experience=False,
        project_interest="Les données de santé",
        first_name="Camille",
        email="camille@example.org",
        consent=True,
    )


def test_postgresql_restart_gets_a_polite_retry_and_the_service_recovers(stack):
    store = storage.Storage(stack.database_url)
    french, english = Conversation("fr"), Conversation("en")
    before = submit(store, french.sender)
    french.say(FORM.start)
    english.say("hello")
    stored_before = events(stack, french.stored_id)

    stack.stop_postgres()
    slowest = 0.0
    try:
        for chat, language in ((french, "fr"), (english, "en")):
            for _ in RASA:  # both instances answer, politely, in the conversation's language
                started = time.monotonic()
                reply = chat.say(FORM.answers[0] if chat is french else "what is the salary")
                assert reply.status == 200 and reply.is_apology(language), reply.text
                assert "Traceback" not in reply.text
                slowest = max(slowest, time.monotonic() - started)
        assert slowest < 10
        record("apology_during_postgres_outage_s", slowest)
        with pytest.raises(storage.StorageError):
            submit(store, english.sender)
    finally:
        restarted = time.monotonic()
        stack.start_postgres()
    record("postgres_restart_s", time.monotonic() - restarted)

    back = time.monotonic()
    replies: list[Reply] = []
    wait_until(
        lambda: replies.append(french.say(FORM.answers[0])) or not replies[-1].is_apology("fr"),
        timeout=60,
    )
    record("tracker_store_recovery_after_postgres_up_s", time.monotonic() - back)
    for answer in FORM.answers[1:]:
        reply = french.say(answer)
        assert not reply.is_apology("fr"), reply.text
    assert FORM.done in reply.text
    stored = assert_form_completed(stack, french, FORM)
    assert stored[: len(stored_before)] == stored_before
    assert all(not english.say("what is the salary").is_apology("en") for _ in RASA)

    # The application stored before the restart is still there; the one refused during
    # the outage goes through when retried, once.
    retried = submit(store, english.sender)
    assert submit(store, english.sender) == retried
    references = [row["reference"] for row in store.export_rows()]
    assert before in references and references.count(retried) == 1
    store.close()


def assert_apologises(chat: Conversation, text: str) -> None:
    """On each instance (round-robin), a 200 with the apology in the chat's language."""
    for _ in RASA:
        reply = chat.say(text)
        assert reply.status == 200, reply.text
        assert reply.is_apology(chat.language), reply.text
        assert "Traceback" not in reply.text and "Error" not in reply.text


@pytest.mark.parametrize(
    ("service", "kind"), [("action server", "actions"), ("bot web service", "nlg")]
)
def test_action_server_or_nlg_down_gets_a_short_apology(stack, service, kind):
    """A new conversation (its session start is a custom action, its greeting a response)
    and a form in progress (its answers are validated by the action server)."""
    ongoing = {language: Conversation(language) for language in ("fr", "en")}
    for chat in ongoing.values():
        assert not chat.say(FORM.start).is_apology(chat.language)
    stack.halt(service)
    try:
        for language, greeting in (("fr", "bonjour"), ("en", "hello")):
            assert_apologises(Conversation(language), greeting)
            assert_apologises(ongoing[language], FORM.answers[0])
        apology = "Sorry, a technical problem"
        turns = asyncio.run(
            socketio_exchange(
                stack,
                ["hello"],
                "en",
                until=lambda turn: any(m.get("text", "").startswith(apology) for m in turn),
            )
        )
        assert [m.get("text", "") for m in turns[0]][-1].startswith(apology)
    finally:
        started = time.monotonic()
        stack.restart(service)
        record(f"{kind}_restart_s", time.monotonic() - started)
    assert not Conversation("en").say("what is the salary").is_apology("en")


def test_killing_an_instance_mid_form_loses_nothing(stack):
    chat = Conversation("fr")
    first = chat.say(FORM.start)
    assert not first.is_apology("fr")
    victim = RASA[first.upstream]
    stored_before = events(stack, chat.stored_id)

    stack.kill(victim)  # SIGKILL: no clean shutdown
    killed = time.monotonic()
    replies = [chat.say(answer) for answer in FORM.answers]
    record("first_reply_after_instance_killed_s", time.monotonic() - killed)
    for reply in replies:
        assert reply.status == 200 and not reply.is_apology("fr"), reply.text
        assert RASA[reply.upstream] != victim
    assert FORM.done in replies[-1].text
    stored = assert_form_completed(stack, chat, FORM)
    assert stored[: len(stored_before)] == stored_before
    print(json.dumps({"served_after_kill": [r.upstream for r in replies]}))

    # With no instance left, nginx itself answers like the channel, in the browser's language.
    stack.kill(next(name for name in RASA.values() if name != victim))
    for accept_language, language in (("en-GB,en;q=0.9", "en"), ("fr-FR,fr;q=0.9", "fr")):
        reply = Conversation(language).say("hello", accept_language=accept_language)
        assert reply.status == 503 and reply.is_apology(language), reply.text


def waiting_ports(port: int) -> set[int]:
    """The client ports of the connections to local ``port`` holding unread bytes: the
    requests a frozen server has not read (``/proc/net/tcp``'s rx_queue)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, queues = fields[1], fields[2], fields[4]
        if int(local.split(":")[1], 16) == port and int(queues.split(":")[1], 16) > 0:
            found.add(int(remote.split(":")[1], 16))
    return found


def instance_calling_actions(stack) -> Optional[str]:
    """The Rasa instance whose request the frozen action server has not read: the one
    handling a message (an idle keep-alive connection has nothing waiting)."""
    waiting = waiting_ports(PORTS.actions)
    for name in RASA.values():
        process = stack.service(name).process
        if not waiting or process is None or process.poll() is not None:
            continue
        for child in [psutil.Process(process.pid), *psutil.Process(process.pid).children(True)]:
            for connection in child.net_connections(kind="tcp"):
                if connection.laddr and connection.laddr.port in waiting:
                    return name
    return None


def test_a_message_in_flight_when_its_instance_dies_is_answered_by_the_other(stack):
    """SIGKILL of the instance handling a message: nginx resends the POST (non_idempotent),
    the other instance takes the message over once the dead one's claim on its id and its
    conversation lock expire (5 s), and handles it once: no apology, nothing twice."""
    chat = Conversation("fr")
    assert not chat.say(FORM.start).is_apology("fr")
    answer, message_id = FORM.answers[0], uuid.uuid4().hex
    actions = stack.service("action server")
    assert actions.process is not None
    replies: list[Reply] = []
    os.killpg(actions.process.pid, signal.SIGSTOP)  # the turn waits in its instance
    try:
        sender = threading.Thread(
            target=lambda: replies.append(chat.say(answer, message_id=message_id))
        )
        sender.start()
        victim = None
        deadline = time.monotonic() + 8  # within the action timeout (10 s)
        while victim is None and time.monotonic() < deadline:
            victim = instance_calling_actions(stack)
            time.sleep(0.05)
        assert victim is not None, "no instance called the action server"
        stack.kill(victim)  # SIGKILL, the message in flight
        killed = time.monotonic()
    finally:
        os.killpg(actions.process.pid, signal.SIGCONT)
    sender.join(timeout=60)
    record("message_in_flight_answered_after_kill_s", time.monotonic() - killed)
    reply = replies[0]
    assert reply.status == 200 and not reply.is_apology("fr"), reply.text
    assert RASA[reply.upstream] != victim
    # Sent again, by the client this time: the same answer, and still handled once.
    again = chat.say(answer, message_id=message_id)
    assert again.status == 200 and again.text == reply.text
    assert user_texts(events(stack, chat.stored_id)).count(answer) == 1
    # The conversation goes on.
    assert not chat.say(FORM.answers[1]).is_apology("fr")
