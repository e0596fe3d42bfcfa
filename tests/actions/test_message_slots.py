"""``action_read_message``: the language and structure slots read from every message."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from actions.message_slots import (
    ActionReadMessage,
    audience_events,
    follow_up_events,
    greeting_events,
    host_check_resume_events,
    language_events,
    notification_events,
    pre_application_events,
    structure_events,
    webinar_next_events,
)
from bot.domain.language import detect
from tests.actions.conftest import run_on_state
from tests.conftest import load_tracker


def simplified(events):
    return [(e["event"], e["name"], e["value"]) for e in events]


def state(fixture: str, home: Optional[str] = "same", **latest: Any) -> dict[str, Any]:
    """A fixture whose conversation language is ``home`` ("same": the reply's so far)."""
    tracker = copy.deepcopy(load_tracker(fixture))
    if home == "same":
        home = tracker["slots"].get("language")
    tracker["slots"]["home_language"] = home
    tracker["latest_message"].update(latest)
    return tracker


def said(fixture: str, text: str, replied: Optional[str], home: Optional[str], **more: Any):
    """The language events for ``text`` (detected for real) after a reply in ``replied``."""
    tracker = state(fixture, home=home, text=text, language_detection=detect(text).as_dict())
    tracker["slots"]["language"] = replied
    tracker["latest_message"].update(more)
    return simplified(language_events(Tracker.from_dict(tracker)))


def test_the_structure_named_in_a_french_conversation():
    events, messages = run_on_state(ActionReadMessage(), state("town_hall_introduction"))
    assert simplified(events) == [("slot", "structure_type", "local_authority")]
    assert messages == []


def test_an_english_sentence_in_a_french_conversation_is_answered_in_english_only():
    events, messages = run_on_state(
        ActionReadMessage(), state("french_conversation_english_sentence")
    )
    assert simplified(events) == [("slot", "language", "en")]  # home_language stays "fr"
    assert messages == []


def test_nothing_to_set():
    events, messages = run_on_state(ActionReadMessage(), state("english_conversation"))
    assert events == []
    assert messages == []


def test_both_slots_in_one_call():
    tracker = state("town_hall_introduction")
    tracker["latest_message"]["language_detection"] = {"language": "en", "confident": True}
    events, _ = run_on_state(ActionReadMessage(), tracker)
    assert simplified(events) == [
        ("slot", "language", "en"),
        ("slot", "structure_type", "local_authority"),
    ]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        # A confident English sentence in a French conversation: its reply only.
        ("french_conversation_english_sentence", [("slot", "language", "en")]),
        # "ok" never switches.
        ("french_conversation_short_english_word", []),
        # An explicit request always switches the conversation.
        (
            "english_conversation_asks_french",
            [("slot", "language", "fr"), ("slot", "home_language", "fr")],
        ),
        # Same language: nothing to set.
        ("english_conversation", []),
    ],
)
def test_language_slot_events(fixture, expected):
    assert simplified(language_events(Tracker.from_dict(state(fixture)))) == expected


def test_at_session_start_the_page_language_is_the_conversation_s():
    events = language_events(Tracker.from_dict(state("new_session_english_page", home=None)))
    assert simplified(events) == [("slot", "language", "en"), ("slot", "home_language", "en")]


def test_a_conversation_from_before_gets_its_language_as_the_conversation_s():
    events = language_events(Tracker.from_dict(state("english_conversation", home=None)))
    assert simplified(events) == [("slot", "home_language", "en")]


def test_one_english_question_then_french_again():
    fixture = "french_conversation_short_english_word"
    assert said(fixture, "what is the salary for an EIG?", "fr", "fr") == [
        ("slot", "language", "en")
    ]
    # "ok" after the English answer: back to the conversation's French.
    assert said(fixture, "ok", "en", "fr") == [("slot", "language", "fr")]


def test_a_second_english_message_in_a_row_switches_the_conversation():
    fixture = "french_conversation_short_english_word"
    assert said(fixture, "and how long is the contract?", "en", "fr") == [
        ("slot", "home_language", "en")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "EIG-7K3M-Q9XZ",
        "my reference: EIG-7K3M-Q9XZ",
        "anna.k@example.org",
        "https://www.data.gouv.fr/en/datasets/",
        "Mary Ann Smith",
        "<b>hello world</b> <i>test</i>",
        'print("hello world")',
        "slt",
        "ok",
        "merci bcp",
    ],
)
def test_things_that_are_not_language_change_nothing(text):
    assert said("french_conversation_short_english_word", text, "fr", "fr") == []
    assert said("english_conversation", text, "en", "en") == []


def test_the_change_language_intent_without_a_target_toggles_the_conversation():
    events = said(
        "french_conversation_short_english_word", "change language", "fr", "fr",
        intent={"name": "change_language", "confidence": 0.97},
    )  # fmt: skip
    assert events == [("slot", "language", "en"), ("slot", "home_language", "en")]


def test_structure_is_guessed_from_an_introduction():
    events = structure_events(Tracker.from_dict(load_tracker("town_hall_introduction")))
    assert [(e["name"], e["value"]) for e in events] == [("structure_type", "local_authority")]


def test_structure_is_not_guessed_inside_the_form():
    events = structure_events(Tracker.from_dict(load_tracker("host_check_in_progress")))
    assert events == []


# ---- "you would like to take part as…?" answered in words


def after_reply(
    reply: str,
    text: str,
    intent: str = "faq",
    loop: Optional[str] = None,
    turn: Sequence[dict[str, Any]] = (),
    later: Sequence[dict[str, Any]] = (),
    **slots: Any,
) -> Tracker:
    """A conversation whose reply was ``reply`` (with the events ``turn`` of that turn),
    then the events ``later``, then the message ``text``."""
    return Tracker(
        sender_id="audience",
        slots={"language": "fr", "home_language": "fr", **slots},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}},
        events=[
            {"event": "user", "text": "j'aimerais participer"},
            {"event": "bot", "text": "…", "metadata": {"utter_action": reply}},
            *turn,
            {"event": "action", "name": "action_listen"},
            *later,
            {"event": "user", "text": text},
        ],
        paused=False,
        followup_action=None,
        active_loop={"name": loop} if loop else {},
        latest_action_name="action_listen",
    )


@pytest.mark.parametrize(
    ("reply", "text", "slot"),
    [
        ("utter_ask_audience", "en tant que candidat", "answers_as_candidate"),
        ("utter_ask_audience", "as an administration", "answers_as_administration"),
        ("utter_ask_audience", "c'est quoi la différence ?", None),
        ("utter_faq/salary", "en tant que candidat", None),  # not right after the question
    ],
)
def test_the_side_typed_right_after_the_question(reply, text, slot):
    events = audience_events(after_reply(reply, text))
    assert events == ([SlotSet(slot, True)] if slot else [])


def test_the_side_is_forgotten_on_the_next_message():
    tracker = after_reply("utter_candidate_welcome", "merci", answers_as_candidate=True)
    assert audience_events(tracker) == [SlotSet("answers_as_candidate", None)]


@pytest.mark.parametrize(
    ("text", "intent", "loop", "slot"),
    [
        ("jsuis dev fullstack 4ans xp", "faq", None, "answers_as_candidate"),
        (
            "I'm looking for a job in the public sector",
            "faq",
            None,
            "answers_as_candidate",
        ),
        (
            "I'm a project manager in a central government directorate.",
            "faq",
            None,
            "answers_as_administration",
        ),
        # a wish the classifier recognised keeps its answer; a form reads its own answers
        ("je suis dev et je veux postuler", "pre_apply", None, None),
        ("jsuis dev fullstack", "faq", "pre_application_form", None),
        ("je suis designer, c'est bon ?", "faq", None, None),
        # the host check asked for in a letter, whatever the classifier made of it
        (
            "Good afternoon. We would like to verify whether our administration could welcome"
            " a team of EIGs. Could you help us with that? Kind regards.",
            "help",
            None,
            "answers_as_administration",
        ),
        (
            "Madame, Monsieur, nous souhaiterions vérifier notre éligibilité en tant que"
            " structure d'accueil. Bien cordialement.",
            "faq",
            None,
            "answers_as_administration",
        ),
        (
            "Madame, Monsieur, nous souhaiterions vérifier notre éligibilité en tant que"
            " structure d'accueil. Bien cordialement.",
            "pre_apply",
            None,
            "answers_as_administration",
        ),
        ("je voudrais vérifier si je peux postuler", "pre_apply", None, None),
        ("quelles administrations peuvent accueillir des EIG ?", "faq", None, None),
        ("je voudrais savoir si ma mairie peut accueillir des EIG", "faq", "notify_form", None),
    ],
)
def test_a_self_introduction_tells_the_side(text, intent, loop, slot):
    events = audience_events(after_reply("utter_faq/salary", text, intent=intent, loop=loop))
    assert events == ([SlotSet(slot, True)] if slot else [])


@pytest.mark.parametrize(
    ("reply", "text", "slot"),
    [
        ("utter_faq/host_project_criteria", "ok, on peut vérifier si on est éligibles ?", True),
        ("utter_faq/host_who_can_apply", "alright, can you check whether we'd be eligible?", True),
        # not right after an administrations' answer, nor one's own eligibility
        ("utter_faq/salary", "ok, on peut vérifier si on est éligibles ?", None),
        ("utter_faq/host_who_can_apply", "can you check if I am eligible?", None),
    ],
)
def test_checking_our_eligibility_after_the_administrations_topics_is_the_host_check(
    reply, text, slot
):
    events = audience_events(after_reply(reply, text, intent="pre_apply"))
    assert events == ([SlotSet("answers_as_administration", True)] if slot else [])


def test_an_administration_that_introduces_itself_names_its_structure():
    text = "I'm a project manager in a central government directorate."
    tracker = after_reply("utter_greet", text, intent="faq")
    assert structure_events(tracker) == [SlotSet("structure_type", "central_administration")]
    asked = after_reply("utter_greet", "quel ministère peut accueillir ?", intent="faq")
    assert structure_events(asked) == []


@pytest.mark.parametrize(
    ("text", "intent", "loop", "value"),
    [
        ("go pour la precandidature", "nlu_fallback", None, True),
        ("wanna see if I'm a match for the technical director role", "faq", None, True),
        ("c'est quoi la précandidature ?", "faq", None, None),
        ("go pour la precandidature", "pre_apply", None, None),  # its own rule starts it
        ("je veux reprendre ma précandidature", "resume", None, None),
        ("go pour la precandidature", "nlu_fallback", "host_check_form", None),
    ],
)
def test_a_wish_to_do_the_pre_application_sets_its_slot(text, intent, loop, value):
    events = pre_application_events(after_reply("utter_greet", text, intent=intent, loop=loop))
    assert events == ([SlotSet("asks_pre_application", value)] if value else [])


def after_pause(text: str, intent: str, paused: Optional[str] = "stuck", turns_ago: int = 0):
    """The pre-application paused (``pre_application_paused`` set by the assistant's turn,
    ``turns_ago`` user messages before the last reply), then the message ``text``."""
    later = [
        {"event": "user", "text": "et le salaire ?"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq/salary"}},
        {"event": "action", "name": "action_listen"},
    ] * turns_ago
    return after_reply(
        "utter_form_stuck",
        text,
        intent=intent,
        turn=[{"event": "slot", "name": "pre_application_paused", "value": paused}],
        later=later,
        pre_application_paused=paused,
    )


@pytest.mark.parametrize(
    ("text", "intent", "paused", "turns_ago", "value"),
    [
        ("oui", "affirm", "stuck", 0, True),
        ("yes please", "thank", "stuck", 0, True),  # a yes, however it was read
        ("non", "deny", "stuck", 0, None),
        ("c'est combien le salaire ?", "faq", "stuck", 0, None),
        ("oui", "affirm", "cancelled", 0, None),  # a cancellation asks nothing more
        ("oui", "affirm", "stuck", 1, None),  # the pause was two replies ago
    ],
)
def test_a_yes_right_after_the_pause_takes_the_pre_application_up_again(
    text, intent, paused, turns_ago, value
):
    """Not the rules' yes to the offer that follows a pre-application sent (being told
    when the call opens): the pause offered to take it up again."""
    events = pre_application_events(after_pause(text, intent, paused, turns_ago))
    assert events == ([SlotSet("asks_pre_application", True)] if value else [])


def test_the_wish_is_forgotten_on_the_next_message():
    tracker = after_reply("utter_ask_target_profile", "CTO", asks_pre_application=True)
    assert pre_application_events(tracker) == [SlotSet("asks_pre_application", None)]


@pytest.mark.parametrize(
    ("text", "intent", "loop", "value"),
    [
        ("Salut, moi c'est Inès !", "nlu_fallback", None, True),
        ("hey there, I'm Tom", "greet", None, True),
        ("Salut, moi c'est Inès !", "nlu_fallback", "pre_application_form", None),  # the form's
        ("Salut, moi c'est Inès !", "stop", None, None),
        ("salut ça va ?", "greet", None, None),
    ],
)
def test_a_hello_with_a_first_name_sets_its_slot(text, intent, loop, value):
    events = greeting_events(after_reply("utter_greet", text, intent=intent, loop=loop))
    assert events == ([SlotSet("greets_by_name", value)] if value else [])


@pytest.mark.parametrize(
    ("reply", "text", "intent", "loop", "follows"),
    [
        ("utter_faq/host_who_can_apply", "even hospitals?", "greet", None, True),
        ("utter_faq/salary", "et si j'en avais 12 ?", "pre_apply", None, True),
        ("utter_faq/host_who_can_apply", "même un hôpital ?", "i_am_administration", None, True),
        # an FAQ reading goes its own way; no FAQ answer before; a form; not a follow-up
        ("utter_faq/salary", "et avec 15 ans ?", "faq", None, False),
        ("utter_greet", "even hospitals?", "greet", None, False),
        ("utter_faq/salary", "et si j'en avais 12 ?", "pre_apply", "pre_application_form", False),
        ("utter_faq/salary", "bonjour", "greet", None, False),
        ("utter_faq/salary", "and thanks!", "thank", None, False),
        ("utter_faq/salary", "et maintenant, pour la 7e ?", "goodbye", None, True),
        # a question read as a yes or a no, unless a yes or a no was asked for
        ("utter_faq/salary", "ok and today with 12 years of xp?", "affirm", None, True),
        ("utter_faq/contract", "oui et pour la promo 5 ?", "affirm", None, True),
        ("utter_faq/salary", "ok and with 12 years", "affirm", None, False),
        ("utter_offer_notification", "oui et c'est quand ?", "affirm", None, False),
    ],
)
def test_a_short_follow_up_read_as_another_intent_leans_on_the_faq_answer(
    reply, text, intent, loop, follows
):
    events = follow_up_events(after_reply(reply, text, intent, loop))
    assert events == ([SlotSet("follows_previous_answer", True)] if follows else [])


@pytest.mark.parametrize(
    ("text", "intent", "slots", "loop", "value"),
    [
        ("ok I'm back, can we continue?", "resume", {"structure_type": "local_authority"}, None,
         True),
        ("c'est bon je reviens, on peut reprendre", "nlu_fallback",
         {"structure_type": "central_administration", "has_data_project": True}, None, True),
        ("on reprend", "resume", {}, None, None),  # no check stopped: the pre-application
        ("on reprend", "resume", {"structure_type": "other", "target_profile": "cto"}, None,
         None),  # a pre-application under way too: "resume" keeps its rule
        ("on reprend", "resume", {"structure_type": "other"}, "host_check_form", None),
        ("c'est quoi le salaire ?", "faq", {"structure_type": "other"}, None, None),
    ],
)  # fmt: skip
def test_a_wish_to_resume_takes_the_stopped_host_check_up_again(text, intent, slots, loop, value):
    tracker = after_reply("utter_nothing_to_stop", text, intent=intent, loop=loop, **slots)
    events = host_check_resume_events(tracker)
    assert events == ([SlotSet("resumes_host_check", value)] if value else [])


@pytest.mark.parametrize(
    ("reply", "text", "intent", "loop", "accepts"),
    [
        ("utter_ask_notification", "oui vas-y", "affirm", None, True),
        ("utter_ask_notification", "Yes, I would appreciate that.", "thank", None, True),
        ("utter_offer_notification", "oui je veux bien être prévenue", "participate", None, True),
        # no offer just made; a question; a no; inside a form
        ("utter_faq/deadline", "oui vas-y", "affirm", None, None),
        ("utter_ask_notification", "oui mais c'est quand ?", "faq", None, None),
        ("utter_ask_notification", "non merci", "deny", None, None),
        ("utter_ask_notification", "d'accord, merci", "thank", None, None),  # acknowledged
        ("utter_ask_notification", "oui merci", "thank", None, True),
        # the address typed instead of a yes; a question about one is no yes
        ("utter_ask_notification", "marie.lefort@orange.fr", "out_of_scope", None, True),
        ("utter_offer_notification", "oui : sam@example.org", "faq", None, True),
        ("utter_ask_notification", "c'est bien entrepreneur-interet-general@data.gouv.fr ?",
         "faq", None, None),
        ("utter_ask_notification", "oui", "affirm", "pre_application_form", None),
        # another wish said with a yes: its own rule answers it
        ("utter_ask_notification", "ok, I'd like to do the pre-application", "pre_apply", None,
         None),
        ("utter_ask_notification", "oui, on voudrait vérifier si notre mairie peut accueillir "
         "des EIG", "host_check", None, None),
    ],
)  # fmt: skip
def test_a_yes_to_the_offer_to_be_told_when_the_call_opens_sets_its_slot(
    reply, text, intent, loop, accepts
):
    events = notification_events(after_reply(reply, text, intent, loop))
    assert events[:1] == ([SlotSet("accepts_notification", True)] if accepts else [])


def test_an_address_typed_instead_of_a_yes_is_the_address_too():
    tracker = after_reply("utter_ask_notification", "oui : Sam@Example.org", "faq", None)
    assert notification_events(tracker) == [
        SlotSet("accepts_notification", True),
        SlotSet("email", "sam@example.org"),
    ]


@pytest.mark.parametrize(
    ("before", "reply", "text", "asks"),
    [
        (
            "j'étais au webinaire la semaine dernière, il y a un replay ?",
            "utter_faq/webinars",
            "et maintenant je fais quoi, concrètement ?",
            True,
        ),
        (
            "I was at last week's info session, is there a replay?",
            "utter_faq/webinars",
            "and what should I do now?",
            True,
        ),
        # nobody said they attended; not right after the webinars; a longer question
        ("il y a des webinaires ?", "utter_faq/webinars", "et maintenant je fais quoi ?", None),
        (
            "j'étais au webinaire, il y a un replay ?",
            "utter_faq/salary",
            "et maintenant je fais quoi ?",
            None,
        ),
    ],
)
def test_what_now_after_the_webinars_from_an_attendee_is_the_follow_up(before, reply, text, asks):
    tracker = after_reply(reply, text, intent="help")
    tracker.events[0]["text"] = before
    events = webinar_next_events(tracker)
    assert events == ([SlotSet("asks_next_after_webinar", True)] if asks else [])


def test_what_follows_the_application_after_the_webinars_is_not_the_follow_up():
    text = "et les prochaines étapes après le dossier, c'est quoi ?"
    tracker = after_reply("utter_faq/webinars", text, intent="faq")
    tracker.events[0]["text"] = "je sors du webinaire, il y a un replay ?"
    assert webinar_next_events(tracker) == []


@pytest.mark.parametrize(
    "text",
    [
        "back from the info session, can I send my application now?",
        "je sors du webinaire, je peux candidater dès maintenant ?",
    ],
)
def test_back_from_a_webinar_asking_if_open_is_the_follow_up(text):
    tracker = after_reply("utter_greet", text, intent="webinar_followup")
    assert webinar_next_events(tracker) == [SlotSet("asks_next_after_webinar", True)]


def test_here_right_after_another_employer_s_pay_is_a_follow_up():
    tracker = after_reply("utter_out_of_scope", "et ici ?", intent="help")
    tracker.events[0]["text"] = "combien gagne un data scientist dans une banque ?"
    assert follow_up_events(tracker) == [SlotSet("follows_previous_answer", True)]
    tracker.events[0]["text"] = "quel temps fait-il à Paris ?"
    assert follow_up_events(tracker) == []
