from __future__ import annotations

import asyncio
import datetime as dt
import shutil

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.message_slots import call_today_events
from actions.webinars import ActionCallToday, ActionSessionStart, ActionWebinarFollowup
from bot import ROOT
from bot.domain import clock, knowledge, personal, schedule
from bot.wording import nlg
from tests.actions.conftest import run_action, run_on_state
from tests.conftest import load_tracker


def test_session_start_with_webinar_metadata_follows_up_and_carries_slots(monkeypatch):
    monkeypatch.setenv("EIG_TODAY", "2026-11-23")
    events, messages = run_action(ActionSessionStart(), "session_start_webinar")
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"audience": "candidate"}
    assert [(m["response"], m["webinar"]) for m in messages] == [
        ("utter_webinar_followup", "eig6-code-data")
    ]


def test_a_new_session_carries_no_personal_data():
    state = load_tracker("session_start_webinar")
    state["slots"].update(
        first_name="Camille", email="camille@example.org", project_interest="santé",
        entrepreneurial_description="une coopérative", deletion_email="camille@example.org",
        deletion_reference="EIG-2222-3333", last_reference="EIG-2222-3333",
        target_profile="technical_director",
    )  # fmt: skip
    events, _ = run_on_state(ActionSessionStart(), state)
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"audience": "candidate", "target_profile": "technical_director"}
    assert not set(carried) & personal.PERSONAL_SLOTS


def test_a_webinar_still_ahead_gets_the_registration_answer(monkeypatch):
    monkeypatch.setenv("EIG_TODAY", "2022-03-01")
    _, messages = run_action(ActionSessionStart(), "session_start_webinar")
    assert [m["response"] for m in messages] == ["utter_webinar_not_yet"]


def test_unknown_webinar_link():
    _, messages = run_action(ActionWebinarFollowup(), "webinar_link_unknown")
    assert [m["response"] for m in messages] == ["utter_webinar_unknown"]


def test_a_typed_followup_without_a_link_gets_the_typed_answer():
    state = load_tracker("webinar_link_unknown")
    state["latest_message"]["entities"] = []
    _, messages = run_on_state(ActionWebinarFollowup(), state)
    assert [m["response"] for m in messages] == ["utter_webinar_followup_typed"]


# ---- "donc je peux postuler dès aujourd'hui ?" right after a follow-up


def after(reply: str, text: str, **slots) -> Tracker:
    """A conversation whose last reply was ``reply``, and the message ``text``."""
    return Tracker(
        sender_id="call-today",
        slots={"language": "fr", "home_language": "fr", **slots},
        latest_message={"text": text, "intent": {"name": "faq", "confidence": 0.9}},
        events=[
            {"event": "user", "text": "/webinar_followup"},
            {"event": "bot", "text": "…", "metadata": {"utter_action": reply}},
            {"event": "action", "name": "action_listen"},
            {"event": "user", "text": text},
        ],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    ("reply", "text", "asks"),
    [
        ("utter_webinar_followup", "donc je peux postuler dès aujourd'hui ?", True),
        ("utter_webinar_followup", "so can I apply right now?", True),
        ("utter_faq/webinars", "c'est déjà ouvert ?", True),
        ("utter_webinar_followup", "c'était à quelle heure ?", False),
        ("utter_faq/salary", "donc je peux postuler dès aujourd'hui ?", False),
        # a webinar named in the same message, without saying one attended it
        ("utter_greet", "il y a eu un webinaire, je peux postuler maintenant ?", True),
        ("utter_greet", "le webinaire c'est aujourd'hui ?", False),
        # back from a webinar in the same message: the follow-up's (webinar_next_events)
        ("utter_greet", "I just attended your webinar, so I can apply today?", False),
        ("utter_greet", "je sors du webinaire, c'est ouvert maintenant ?", False),
    ],
)
def test_can_i_apply_today_is_read_right_after_a_webinar_follow_up(reply, text, asks):
    events = call_today_events(after(reply, text))
    assert events == ([SlotSet("asks_if_open_today", True)] if asks else [])


def test_back_from_a_webinar_asking_if_open_gets_thanks_and_where_the_call_stands(monkeypatch):
    monkeypatch.setenv("EIG_TODAY", "2026-11-23")
    state = load_tracker("webinar_link_unknown")
    state["latest_message"]["entities"] = []
    state["latest_message"]["text"] = (
        "Bonsoir, suite au webinaire de présentation, je souhaiterais déposer ma candidature. "
        "Est-ce possible dès à présent ?"
    )
    _, messages = run_on_state(ActionWebinarFollowup(), state)
    assert [m["response"] for m in messages] == ["utter_webinar_thanks", "utter_offer_notification"]
    thanks = nlg.render("utter_webinar_thanks", {}, "en", knowledge.get(), clock.today())["text"]
    assert thanks == "Thank you for following our webinar!"


def test_the_reading_is_forgotten_on_the_next_message():
    tracker = after("utter_faq/salary", "merci", asks_if_open_today=True)
    assert call_today_events(tracker) == [SlotSet("asks_if_open_today", None)]


def test_the_call_is_not_open_today_so_it_says_so_and_offers_to_tell(monkeypatch):
    monkeypatch.setenv("EIG_TODAY", "2026-11-23")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCallToday().run(dispatcher, after("x", "y"), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_offer_notification"]
    assert events == [SlotSet("asks_if_open_today", None)]
    text = nlg.render("utter_offer_notification", {}, "fr", knowledge.get(), clock.today())
    assert "sera bientôt ouvert" in text["text"]


def test_without_e_mail_the_call_is_not_open_today_and_where_to_follow_it(monkeypatch, no_mail):
    monkeypatch.setenv("EIG_TODAY", "2026-11-23")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCallToday().run(dispatcher, after("x", "y"), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_follow_call"]
    assert events == [SlotSet("asks_if_open_today", None)]
    text = nlg.render("utter_follow_call", {}, "en", knowledge.get(), clock.today())["text"]
    assert "will open soon" in text
    assert text.endswith(f"on the official page: {knowledge.get().programme.links.apply}.")
    assert "buttons" not in text and "Would you like" not in text


def test_an_open_call_gets_how_to_apply(tmp_path, monkeypatch):
    copy = tmp_path / "knowledge"
    shutil.copytree(ROOT / "data" / "knowledge", copy)
    promotions = copy / "promotions.yml"
    promotions.write_text(
        promotions.read_text(encoding="utf-8").replace(
            "announced: true\n      opens: null\n      closes: null",
            "announced: true\n      opens: 2026-11-01\n      closes: 2026-12-15",
            1,
        ),
        encoding="utf-8",
    )
    opened = knowledge.load(copy)
    assert schedule.call_status(opened.current.call, dt.date(2026, 11, 23)).state == "open"
    monkeypatch.setenv("EIG_TODAY", "2026-11-23")
    monkeypatch.setattr(knowledge, "get", lambda: opened)
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCallToday().run(dispatcher, after("x", "y"), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_faq/apply"]


def test_can_i_apply_now_a_few_messages_after_the_webinar_follow_up():
    text = "can I start my application right now?"
    tracker = after("utter_webinar_followup_typed", text)
    tracker.events[-1:-1] = [
        {"event": "user", "text": "what were the key dates again?"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq/deadline"}},
        {"event": "user", "text": "and the salary?"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq/salary"}},
    ]
    assert call_today_events(tracker) == [SlotSet("asks_if_open_today", True)]
    # too far back: a question of its own
    tracker.events[-1:-1] = [
        {"event": "user", "text": "who runs it?"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq/who_runs"}},
    ]
    assert call_today_events(tracker) == []


@pytest.mark.parametrize(
    ("text", "webinar"),
    [
        ("j'ai assisté au webinaire du 17 mars, c'est quoi la suite ?", "eig6-code-data"),
        ("I attended the webinar on design and digital law, what's next?", "eig6-design-law"),
    ],
)
def test_a_typed_followup_naming_the_webinar_is_answered_for_it(text, webinar):
    state = load_tracker("webinar_link_unknown")
    state["latest_message"]["entities"] = []
    state["latest_message"]["text"] = text
    _, messages = run_on_state(ActionWebinarFollowup(), state)
    assert [(m["response"], m.get("webinar")) for m in messages] == [
        ("utter_webinar_followup", webinar)
    ]
