"""The realistic dialogue evaluation's scoring: text matching, what answers each label, and
the verdicts on turns and conversations, from hand-made tracker events shaped as the Rasa
server stores them (a bot event's ``metadata.utter_action``, an action event's ``name``)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any, Optional

import pytest
import yaml

from bot import ROOT
from bot.ops import dialogue_eval
from bot.ops.dialogue_eval import (
    FORM_ANSWER,
    LABEL_ANSWERS,
    Conversation,
    Gate,
    Message,
    Played,
    SetError,
    Turn,
    answer_of,
    answers,
    contains,
    fold_text,
    form_accepted,
    gate_failures,
    load_conversations,
    load_messages,
    ratchet,
    records_of,
    report_figures,
    score_message,
    score_turn,
    split_turns,
    stored_events,
    verdict,
)

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RESPONSES = set(DOMAIN["responses"])
ACTIONS = set(DOMAIN["actions"]) | set(DOMAIN["forms"])
RASA_DEFAULT_ACTIONS = {"action_deactivate_loop", "action_listen", "action_restart"}

# ---- Hand-made events ----------------------------------------------------------------------


def user(text: str, intent: str = "faq/salary", confidence: float = 0.9) -> dict[str, Any]:
    name, _, _ = intent.partition("/")
    parsed: dict[str, Any] = {"name": name, "confidence": confidence}
    if "/" in intent:
        parsed["full_retrieval_intent_name"] = intent
    return {"event": "user", "text": text, "parse_data": {"intent": parsed, "entities": []}}


def bot(response: str, text: str = "") -> dict[str, Any]:
    return {"event": "bot", "text": text or response, "metadata": {"utter_action": response}}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "name": name}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def loop(name: Optional[str]) -> dict[str, Any]:
    return {"event": "active_loop", "name": name}


SESSION = [action("action_session_start"), {"event": "session_started"}, action("action_listen")]
LISTEN = action("action_listen")


def faq_turn(text: str, topic: str, *more: dict[str, Any]) -> list[dict[str, Any]]:
    return [user(text, f"faq/{topic}"), action("utter_faq"), bot(f"utter_faq/{topic}"), *more]


def pre_application_started() -> list[dict[str, Any]]:
    """ "je veux candidater": the intro, then the form asks the profile."""
    return [
        user("je veux candidater", "pre_apply"),
        action("action_pre_application_start"),
        bot("utter_pre_application_intro"),
        action("pre_application_form"),
        loop("pre_application_form"),
        slot("requested_slot", "target_profile"),
        bot("utter_ask_target_profile"),
        LISTEN,
    ]


def last_turn(events: list[dict[str, Any]]) -> dialogue_eval.TurnRecord:
    return split_turns(events)[-1]


# ---- Text matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("4\u202f250\u00a0€ net par mois", "4250 €"),  # narrow no-break space, no-break space
        ("4\u202f250\u00a0€ net par mois", "4 250 €"),
        ("4 250 € net", "4250"),
        ("4250 € net", "4 250"),
        ("€4,250 net a month", "4250"),
        ("€5,000 net", "5 000"),
        ("RÉMUNÉRATION brute", "remuneration"),
        ("une rémunération", "Rémunération"),
        ("un contrat\u00a0de projet", "contrat de projet"),
        ("l’équipe du programme", "l'equipe"),
        ("l'équipe", "l’équipe"),
        ("une part variable de 10\u202f%", "10 %"),
        ("entrepreneur\u2011interet\u2011general@data.gouv.fr", "entrepreneur-interet-general@"),
        ("plus de 1 000 000 de visites", "1000000"),
        ("en 2018, 4000 € net", "4000"),
        ("en 2018, 4000 € net", "2018"),
    ],
)
def test_expected_text_found_whatever_case_accents_and_spacing(reply, expected):
    assert contains(reply, expected)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("4\u202f250 € net", "250"),  # a number is not found inside a longer one
        ("4250 € net", "425"),
        ("avec 14 ans d'expérience", "4 ans"),
        ("5 000 € net", "4250"),
        ("le salaire", "contrat"),
        ("promotion 7", "promotion 71"),
    ],
)
def test_expected_text_not_found(reply, expected):
    assert not contains(reply, expected)


def test_fold_text_keeps_numbers_apart_that_are_not_thousands():
    assert fold_text("Les 2 ou 3 EIG") == "les 2 ou 3 eig"
    assert fold_text("en 2018 4000 €") == "en 2018 4000 €"
    assert fold_text("4 250 €") == "4250 €"
    assert fold_text("€4,250, 6,5 %, 2021,2022") == "€4250, 6,5%, 2021,2022"
    assert fold_text("  Deux\tlignes\nici ") == "deux lignes ici"


def test_fold_text_reads_percentages_and_english_dates_either_way():
    assert contains("une part variable de 6 %", "6%")
    assert contains("a variable part of 6%", "6 %")
    assert contains("closed on 3 April 2022.", "April 3")
    assert contains("closed on April 3rd, 2022.", "3 April 2022")
    assert contains("until the 3rd of April", "3 April")
    assert not contains("closed on 13 April 2022.", "April 3")
    assert fold_text("in May 2021") == "in may 2021"
    assert contains("a 10-month fixed-term contract", "10 months")
    assert contains("un CDD de 10 mois", "10 mois")
    assert contains("at least 12 months", "12-month")
    assert not contains("a 10-month contract", "1 month")


def test_fold_text_reads_markdown_escapes_as_the_page_shows_them():
    # The summary quotes a typed e-mail escaped so that it never becomes a link.
    assert contains("- E-mail : karim.benali\\@example.com", "karim.benali@example.com")
    assert fold_text("a\\_b \\\\ c\\: d") == "a_b \\ c: d"
    assert not contains("karim.benali\\@example.com", "karim.benali\\@example.org")


# ---- What answers a label ------------------------------------------------------------------


def test_every_response_and_action_of_the_table_exists():
    for label, answer in LABEL_ANSWERS.items():
        assert answer.responses <= RESPONSES, label
        assert answer.actions <= ACTIONS | RASA_DEFAULT_ACTIONS, label


def test_every_intent_the_set_writers_were_given_has_an_answer():
    """The writers labelled with docs/intents.md's intents and FAQ topics; internal intents
    (buttons' `choose_topic`, a follow-up's own intent…) are no label."""
    doc = (ROOT / "docs" / "intents.md").read_text(encoding="utf-8")
    names = set(re.findall(r"^\| `([a-z_]+)` \|", doc, re.MULTILINE))
    topics = {n for n in names if f"utter_faq/{n}" in RESPONSES}
    intents = names - topics
    assert {"greet", "pre_apply", "i_am_candidate", "host_check"} <= intents
    assert intents - set(LABEL_ANSWERS) == set()
    assert set(LABEL_ANSWERS) <= set(DOMAIN["intents"])
    for topic in topics:
        answer_of(f"faq/{topic}")


def test_a_faq_topic_is_answered_by_its_retrieval_response():
    topics = [r.split("/", 1)[1] for r in RESPONSES if r.startswith("utter_faq/")]
    assert len(topics) > 15
    for topic in topics:
        also = dialogue_eval.FAQ_ALSO_ANSWERED_BY.get(f"faq/{topic}", frozenset())
        assert answer_of(f"faq/{topic}").responses == {f"utter_faq/{topic}", *also}
    assert answer_of("faq/not_in_sources").responses == {"utter_faq/not_in_sources"}
    assert answer_of("out_of_scope").responses == {"utter_out_of_scope"}
    assert answer_of("greet").responses == {"utter_greet"}
    assert answer_of(FORM_ANSWER).form_reply


@pytest.mark.parametrize("label", ["faq/", "nlu_fallback", "smalltalk", ""])
def test_a_label_nothing_answers_is_refused(label):
    with pytest.raises(KeyError):
        answer_of(label)


def _rules() -> list[dict[str, Any]]:
    rules = []
    for path in sorted((ROOT / "data" / "rules").glob("*.yml")):
        rules += yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
    return rules


def _dispatches(action_name: str) -> str:
    """The source of the actions/ module defining ``action_name``."""
    for path in sorted((ROOT / "actions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        if re.search(rf'return "{re.escape(action_name)}"', source):
            return source
    return ""


def test_the_table_agrees_with_the_rules():
    """Each rule starting with an intent, with no form running, runs what the table
    expects: one of its actions, one of its responses, or an action that dispatches one."""
    checked = set()
    for rule in _rules():
        steps = rule["steps"]
        if rule.get("condition") or "intent" not in steps[0]:
            continue
        intent = steps[0]["intent"]
        if intent not in LABEL_ANSWERS:
            continue
        answer = answer_of(intent)
        ran = [step["action"] for step in steps[1:] if "action" in step]
        ok = any(a in answer.actions or a in answer.responses for a in ran) or any(
            response in _dispatches(a) for a in ran for response in answer.responses
        )
        assert ok, f"rule {rule['rule']!r}: {ran} answer none of {answer}"
        checked.add(intent)
    assert len(checked) >= 18


def test_the_call_s_state_today_answers_the_deadline():
    """action_call_today (actions/webinars.py) says where the call stands with the offer to
    be told when it opens while it is closed: a deadline answer."""
    also = dialogue_eval.FAQ_ALSO_ANSWERED_BY
    assert set(also) == {"faq/deadline"}
    assert also["faq/deadline"] == {"utter_offer_notification", "utter_follow_call"}
    assert "utter_offer_notification" in RESPONSES
    assert "utter_offer_notification" in _dispatches("action_call_today")
    assert "utter_follow_call" in _dispatches("action_call_today")  # e-mail not configured
    events = [
        user("donc je peux postuler dès aujourd'hui ?", "faq/apply"),
        action("action_call_today"),
        bot("utter_offer_notification"),
    ]
    assert verdict("faq/deadline", last_turn(events)).right
    assert not verdict("faq/apply", last_turn(events)).right


def test_the_dev_set_labels_are_all_known():
    messages, conversations = dialogue_eval.load_set("dev")
    for language in ("fr", "en"):
        assert len([m for m in messages if m.language == language]) > 500  # both parts
        assert len([c for c in conversations if c.language == language]) > 45
    # The first part has no patterns; the second part names the issue's patterns.
    assert {"plain", "numbers", "negation", "two_questions", "injection"} <= {
        m.pattern for m in messages
    }
    assert {"form_natural", "follow_up", "language_flip"} <= {c.pattern for c in conversations}
    labels = {m.label for m in messages} | {t.label for c in conversations for t in c.turns}
    assert FORM_ANSWER in labels and "faq/salary" in labels


# ---- Turns from the tracker store's events -------------------------------------------------


def test_turns_are_split_at_each_user_message():
    events = [
        *SESSION,
        user("slt", "greet"),
        action("utter_greet"),
        bot("utter_greet"),
        LISTEN,
        *faq_turn("c combien le salaire", "salary", LISTEN),
    ]
    first, second = split_turns(events)
    assert (first.text, first.intent, first.responses) == ("slt", "greet", ["utter_greet"])
    assert first.actions == ["utter_greet"]  # action_listen is left out
    assert (second.intent, second.responses, second.actions) == (
        "faq/salary",
        ["utter_faq/salary"],
        ["utter_faq"],
    )
    assert second.confidence == 0.9


def test_a_response_without_utter_action_is_named_by_its_template_or_as_text():
    events = [
        user("hello", "greet"),
        {"event": "bot", "text": "Hi", "metadata": {"template": "utter_greet"}},
        {"event": "bot", "text": "free text", "metadata": {}},
    ]
    assert last_turn(events).responses == ["utter_greet", "(text)"]


def test_the_form_state_is_replayed_before_and_after_each_turn():
    events = [
        *SESSION,
        *pre_application_started(),
        user("CTO", "faq/profiles"),
        action("pre_application_form"),
        slot("target_profile", "technical_director"),
        slot("requested_slot", "years_experience"),
        bot("utter_ask_years_experience"),
        LISTEN,
    ]
    start, answer = split_turns(events)
    assert (start.loop_before, start.requested_before) == (None, None)
    assert (start.loop_after, start.requested_after) == ("pre_application_form", "target_profile")
    assert (answer.loop_before, answer.requested_before) == (
        "pre_application_form",
        "target_profile",
    )
    assert answer.requested_after == "years_experience"
    assert "target_profile" not in answer.answered_before


def test_a_new_session_forgets_the_form():
    events = [*pre_application_started(), *SESSION, user("oui", "affirm")]
    assert (last_turn(events).loop_before, last_turn(events).requested_before) == (None, None)


# ---- Verdicts on one turn ------------------------------------------------------------------


def test_a_faq_answered_with_its_topic_is_right():
    record = last_turn(faq_turn("salaire ?", "salary", LISTEN))
    assert verdict("faq/salary", record).right
    wrong = verdict("faq/contract", record)
    assert not wrong.right and wrong.why == "faq/contract not answered"


def test_answering_another_topic_too_is_wrong_unless_it_is_the_second_question():
    events = faq_turn("salaire et contrat ?", "salary", bot("utter_faq/contract"), LISTEN)
    record = last_turn(events)
    assert not verdict("faq/salary", record).right
    assert "utter_faq/contract" in verdict("faq/salary", record).why
    assert verdict("faq/salary", record, also="faq/contract").right
    assert answers("faq/contract", record)
    out = last_turn(faq_turn("salaire ?", "salary", bot("utter_out_of_scope")))
    assert not verdict("faq/salary", out).right


def test_a_greeting_beside_the_answer_does_not_spoil_it():
    events = [user("salut, le salaire ?"), bot("utter_greet"), bot("utter_faq/salary")]
    assert verdict("faq/salary", last_turn(events)).right


def test_did_you_mean_answers_nothing():
    events = [user("renouvelable ?", "nlu_fallback"), action("action_did_you_mean")]
    record = last_turn([*events, bot("utter_did_you_mean"), LISTEN])
    assert not answers("faq/contract", record)
    assert not answers(FORM_ANSWER, record)


def test_the_pre_application_starting_answers_pre_apply_and_resume():
    record = split_turns(pre_application_started())[0]
    assert verdict("pre_apply", record).right
    assert verdict("resume", record).right
    assert not verdict("faq/apply", record).right


def test_the_host_check_starting_answers_host_check_and_the_welcome_the_administration():
    events = [
        user("je travaille dans une mairie", "i_am_administration"),
        action("utter_administration_welcome"),
        bot("utter_administration_welcome"),
        action("host_check_form"),
        loop("host_check_form"),
        slot("requested_slot", "has_data_project"),
        bot("utter_ask_has_data_project"),
    ]
    record = last_turn(events)
    assert verdict("i_am_administration", record).right
    assert verdict("host_check", record).right  # the check started
    without_welcome = last_turn([user("ma mairie peut accueillir ?", "host_check"), *events[3:]])
    assert verdict("host_check", without_welcome).right
    assert not verdict("i_am_administration", without_welcome).right


def test_notify_me_and_a_yes_to_the_notification_offer():
    offer = [action("action_submit_pre_application"), bot("utter_offer_notification"), LISTEN]
    events = [
        *offer,
        user("oui", "affirm"),
        action("notify_form"),
        loop("notify_form"),
        slot("requested_slot", "email"),
        bot("utter_ask_email"),
    ]
    record = last_turn(events)
    assert verdict("affirm", record).right
    assert verdict("notify_me", record).right
    no = last_turn([*offer, user("non", "deny"), action("utter_anything_else")])
    assert not verdict("deny", no).right  # the action ran but nothing was said
    no = last_turn([*offer, user("non", "deny"), bot("utter_anything_else")])
    assert verdict("deny", no).right


# ---- Form answers --------------------------------------------------------------------------


def answered_with(*events: dict[str, Any], text: str = "CTO", intent: str = "faq/profiles"):
    return last_turn([*pre_application_started(), user(text, intent), *events])


def test_a_form_answer_accepted_when_the_form_moves_on():
    record = answered_with(
        action("pre_application_form"),
        slot("target_profile", "technical_director"),
        slot("requested_slot", "years_experience"),
        bot("utter_ask_years_experience"),
        LISTEN,
    )
    assert form_accepted(record)
    assert verdict(FORM_ANSWER, record).right


def test_a_form_answer_refused_and_asked_again_is_not_accepted():
    record = answered_with(
        action("pre_application_form"),
        slot("target_profile", None),
        slot("invalid_answers", 1.0),
        bot("utter_invalid_target_profile"),
        slot("requested_slot", "target_profile"),
        bot("utter_ask_target_profile"),
        text="je sais pas trop",
        intent="nlu_fallback",
    )
    assert not form_accepted(record)
    silent_reask = answered_with(action("pre_application_form"), bot("utter_ask_target_profile"))
    assert not form_accepted(silent_reask)


def test_an_answer_kept_for_a_later_question_is_accepted():
    """The years ("douze ans") while the profile is asked: kept for the years, the profile asked again."""
    record = answered_with(
        action("pre_application_form"),
        slot("years_experience", 12.0),
        bot("utter_answer_noted"),
        bot("utter_ask_target_profile"),
        text="douze ans",
        intent="nlu_fallback",
    )
    assert form_accepted(record)
    refused_too = answered_with(
        action("pre_application_form"),
        bot("utter_answer_noted"),
        bot("utter_invalid_target_profile"),
        bot("utter_ask_target_profile"),
    )
    assert not form_accepted(refused_too)


def test_help_after_i_dont_know_answers_a_form_answer_without_accepting_it():
    record = answered_with(
        action("pre_application_form"),
        slot("target_profile", None),
        slot("invalid_answers", 1.0),
        bot("utter_form_dont_know"),
        slot("requested_slot", "target_profile"),
        bot("utter_ask_target_profile"),
        text="je sais pas trop",
        intent="nlu_fallback",
    )
    assert not form_accepted(record)
    assert verdict(FORM_ANSWER, record).right


def test_a_faq_answer_instead_of_the_form_answer_is_not_accepted():
    record = answered_with(
        action("utter_faq"),
        bot("utter_faq/host_cofinancing"),
        action("pre_application_form"),
        bot("utter_ask_target_profile"),
        text="j'ai cofondé une startup",
        intent="faq/host_cofinancing",
    )
    assert not form_accepted(record)
    assert not verdict(FORM_ANSWER, record).right


def test_an_answer_taken_for_a_stop_or_a_correction_is_not_accepted():
    stop = answered_with(
        action("pre_application_form"),
        slot("cancel_pending", True),
        slot("requested_slot", "cancel_confirmed"),
        bot("utter_ask_cancel_confirmed"),
    )
    assert stop.requested_after != stop.requested_before
    assert not form_accepted(stop)
    corrected = answered_with(
        action("pre_application_form"),
        slot("years_experience", 5.0),
        bot("utter_answer_corrected"),
        slot("requested_slot", "years_experience"),
    )
    assert not form_accepted(corrected)


def test_a_pause_after_too_many_invalid_answers_is_not_accepted():
    record = answered_with(
        action("pre_application_form"),
        bot("utter_form_stuck"),
        slot("pre_application_paused", "stuck"),
        slot("requested_slot", None),
        loop(None),
    )
    assert record.requested_after is None
    assert not form_accepted(record)


def test_a_host_check_paused_after_invalid_answers_is_not_accepted():
    events = [
        user("je travaille dans une mairie", "i_am_administration"),
        bot("utter_administration_welcome"),
        action("host_check_form"),
        loop("host_check_form"),
        slot("requested_slot", "has_data_project"),
        bot("utter_ask_has_data_project"),
        LISTEN,
        user("bof", "nlu_fallback"),
        action("host_check_form"),
        bot("utter_host_check_stuck"),
        slot("requested_slot", None),
        loop(None),
    ]
    record = last_turn(events)
    assert record.requested_after != record.requested_before
    assert not form_accepted(record)


def test_the_last_answer_ends_the_form():
    events = [
        *pre_application_started(),
        user("oui", "affirm"),
        action("pre_application_form"),
        slot("requested_slot", "summary_confirmed"),
        bot("utter_pre_application_summary"),
        LISTEN,
        user("c'est bon", "affirm"),
        action("pre_application_form"),
        slot("summary_confirmed", True),
        slot("requested_slot", None),
        loop(None),
        action("action_submit_pre_application"),
        bot("utter_pre_application_result"),
    ]
    record = last_turn(events)
    assert (record.requested_before, record.loop_after) == ("summary_confirmed", None)
    assert form_accepted(record)
    assert verdict("affirm", record).right  # a yes to the form's question


def test_confirming_the_cancellation_is_an_answer():
    events = [
        *pre_application_started(),
        user("stop", "stop"),
        action("pre_application_form"),
        slot("requested_slot", "cancel_confirmed"),
        bot("utter_ask_cancel_confirmed"),
        LISTEN,
        user("non", "deny"),
        action("pre_application_form"),
        slot("cancel_pending", None),
        slot("requested_slot", "target_profile"),
        bot("utter_ask_target_profile"),
    ]
    turns = split_turns(events)
    assert verdict("stop", turns[1]).right
    assert form_accepted(turns[2])  # the question pending was the cancellation's


def test_no_form_answer_without_a_pending_question():
    record = last_turn([user("douze ans", "faq/not_in_sources"), bot("utter_faq/not_in_sources")])
    assert not form_accepted(record)
    reason = verdict(FORM_ANSWER, record).why
    assert reason == "form_answer not answered"


def test_a_correction_asks_an_answered_question_again():
    events = [
        *pre_application_started(),
        user("CTO"),
        action("pre_application_form"),
        slot("target_profile", "technical_director"),
        slot("requested_slot", "years_experience"),
        bot("utter_ask_years_experience"),
        LISTEN,
        user("je veux changer mon profil", "correct"),
        action("pre_application_form"),
        slot("target_profile", None),
        slot("requested_slot", "target_profile"),
        bot("utter_ask_target_profile"),
    ]
    assert verdict("correct", last_turn(events)).right
    outside = last_turn([user("en fait 8 ans", "correct"), bot("utter_nothing_to_correct")])
    assert verdict("correct", outside).right
    refused = last_turn(
        [*events[:-5], user("4 ans", "correct"), bot("utter_invalid_years_experience")]
    )
    assert not verdict("correct", refused).right


# ---- Conversations -------------------------------------------------------------------------


def test_a_turn_needs_its_label_an_expected_string_and_no_unwanted_one():
    record = last_turn(faq_turn("salaire ?", "salary"))
    record.reply = "Jusqu'à 10 ans d'expérience : 4\u202f250\u00a0€ net par mois."
    turn = Turn("salaire ?", "faq/salary", expect_any=("4250", "5000"), expect_none=("3500",))
    assert score_turn(turn, record).right
    missing = Turn("salaire ?", "faq/salary", expect_any=("5000",))
    assert score_turn(missing, record).why == ["none of expect_any in the reply"]
    unwanted = Turn("salaire ?", "faq/salary", expect_none=("4 250",))
    assert score_turn(unwanted, record).why == ["expect_none found: '4 250'"]
    wrong_topic = Turn("salaire ?", "faq/contract", expect_any=("4250",))
    assert score_turn(wrong_topic, record).why == ["faq/contract not answered"]
    assert score_turn(turn, None).why == ["no reply stored"]


def _conversation(pattern: str, *turns: Turn, language: str = "fr") -> Conversation:
    return Conversation(language, f"c-{pattern}", tuple(turns), pattern)


def test_a_conversation_reaches_its_goal_only_when_every_turn_is_right():
    salary = last_turn(faq_turn("salaire ?", "salary"))
    salary.reply = "4 250 €"
    contract = last_turn(faq_turn("contrat ?", "contract"))
    asked = [
        Turn("salaire ?", "faq/salary", expect_any=("4250",)),
        Turn("contrat ?", "faq/contract"),
    ]
    good = _conversation("follow_up", *asked)
    bad = _conversation("follow_up", asked[0], Turn("contrat ?", "faq/deadline"))
    other = _conversation("numbers", asked[0])
    scored = [
        (good, [score_turn(t, r) for t, r in zip(good.turns, [salary, contract], strict=True)]),
        (bad, [score_turn(t, r) for t, r in zip(bad.turns, [salary, contract], strict=True)]),
        (other, [score_turn(other.turns[0], salary)]),
    ]
    figures = report_figures([], scored)["fr"]["conversations"]
    assert (figures["total"], figures["right"], figures["ratio"]) == (3, 2, 0.6667)
    assert figures["by_pattern"]["follow_up"] == {"total": 2, "right": 1, "ratio": 0.5}
    assert figures["by_pattern"]["numbers"]["ratio"] == 1.0
    assert figures["turns"]["by_label"]["faq/deadline"] == {"total": 1, "right": 0, "ratio": 0.0}
    failures = dialogue_eval.failures([], scored)["conversations"]
    assert [f["name"] for f in failures] == ["c-follow_up"]
    assert failures[0]["turns"][1]["happened"]["responses"] == ["utter_faq/contract"]


def test_single_messages_by_label_pattern_and_second_question():
    both = last_turn(faq_turn("salaire et contrat ?", "salary", bot("utter_faq/contract")))
    one = last_turn(faq_turn("salaire et contrat ?", "salary"))
    greet = last_turn([user("slt", "greet"), bot("utter_greet")])
    results = [
        score_message(Message("fr", "a", "faq/salary", "two_questions", "faq/contract"), both),
        score_message(Message("fr", "b", "faq/salary", "two_questions", "faq/contract"), one),
        score_message(Message("fr", "c", "greet", "texting"), greet),
        score_message(Message("fr", "d", "thank", "texting"), greet),
        score_message(Message("en", "e", "greet", "texting"), None),
    ]
    figures = report_figures(results, [])
    fr = figures["fr"]["messages"]
    assert (fr["total"], fr["right"]) == (4, 3)
    assert fr["by_pattern"]["two_questions"] == {"total": 2, "right": 2, "ratio": 1.0}
    assert fr["second_question_answered"] == {"total": 2, "right": 1, "ratio": 0.5}
    assert fr["by_label"]["thank"]["right"] == 0
    assert figures["en"]["messages"]["ratio"] == 0.0
    wrong = dialogue_eval.failures(results, [])
    assert [w["text"] for w in wrong["messages"]] == ["d", "e"]
    assert wrong["messages"][0]["expected"]["responses"] == ["utter_thank"]
    assert wrong["messages"][0]["happened"]["responses"] == ["utter_greet"]
    assert wrong["messages"][1]["happened"] == {"stored": False}
    assert [w["text"] for w in wrong["second_questions"]] == ["b"]


def test_messages_also_in_training_are_counted_apart():
    greet = last_turn([user("bonjour", "greet"), bot("utter_greet")])
    results = [
        score_message(Message("fr", "Bonjour !", "greet"), greet),  # a training sentence
        score_message(Message("fr", "bonjour à toute l'équipe du bot", "thank"), greet),
    ]
    dialogue_eval.mark_training_sentences(results)
    assert [r.in_training for r in results] == [True, False]
    fr = report_figures(results, [])["fr"]["messages"]
    assert (fr["right"], fr["total"], fr["also_in_training"]) == (1, 2, 1)
    assert fr["without_those_in_training"] == {"total": 1, "right": 0, "ratio": 0.0}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_training_sentences_read_as_rasa_reads_them(language):
    from bot.ops.evaluation import training_examples

    rasa = [text for text, _ in training_examples(language)]
    assert set(dialogue_eval.training_texts(language)) == set(rasa)  # Rasa drops repeats


# ---- Sent messages and stored turns --------------------------------------------------------


def test_each_sent_message_finds_its_stored_turn():
    events = [
        *SESSION,
        user("slt", "greet"),
        bot("utter_greet"),
        *faq_turn("salaire ?", "salary"),
    ]
    played = Played("s", ["slt", "perdu", "salaire ?"], ["Bonjour", None, "4250"])
    first, lost, third = records_of(played, events)
    assert first is not None and first.reply == "Bonjour"
    assert lost is None
    assert third is not None and third.responses == ["utter_faq/salary"]


def test_a_personal_answer_redacted_once_its_form_ended_finds_its_turn():
    events = [
        *SESSION,
        user("slt", "greet"),
        bot("utter_greet"),
        user("[redacted]", "nlu_fallback"),
        bot("utter_ask_email"),
        *faq_turn("salaire ?", "salary"),
    ]
    played = Played("s", ["slt", "Camille", "salaire ?"], ["Bonjour", "Votre e-mail ?", "4250"])
    _, name, third = records_of(played, events)
    assert name is not None and name.responses == ["utter_ask_email"]
    assert third is not None and third.responses == ["utter_faq/salary"]


def test_a_message_whose_e_mail_address_was_redacted_finds_its_turn():
    sent = "I emailed team@example.org last week, is that the right address?"
    events = [
        *SESSION,
        *faq_turn("I emailed [redacted] last week, is that the right address?", "contact"),
    ]
    (turn,) = records_of(Played("s", [sent], ["Write to…"]), events)
    assert turn is not None and turn.responses == ["utter_faq/contact"]


def test_events_are_read_from_rasa_s_events_table(tmp_path: Path):
    db = tmp_path / "tracker.db"
    connection = sqlite3.connect(db)
    connection.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
        "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
        "action_name VARCHAR(255), data TEXT)"
    )
    for i, (sender, event) in enumerate(
        [("a", user("slt", "greet")), ("b", user("hi", "greet")), ("a", bot("utter_greet"))]
    ):
        connection.execute(
            "INSERT INTO events (id, sender_id, type_name, data) VALUES (?, ?, ?, ?)",
            (i + 1, sender, event["event"], json.dumps(event)),
        )
    connection.commit()
    connection.close()
    events = stored_events(db)
    assert [e["event"] for e in events["a"]] == ["user", "bot"]
    assert split_turns(events["a"])[0].responses == ["utter_greet"]


# ---- Set files -----------------------------------------------------------------------------


def test_the_test_format_of_single_messages(tmp_path: Path):
    path = tmp_path / "fr.yml"
    path.write_text(
        "messages:\n"
        "  - {text: 'salaire et contrat ?', label: faq/salary, pattern: two_questions,"
        " also: faq/contract}\n"
        "  - {text: slt, label: greet, pattern: texting}\n"
        "  - {text: 'sans motif', label: thank}\n",
        encoding="utf-8",
    )
    first, second, third = load_messages(path, "fr")
    assert first == Message(
        "fr", "salaire et contrat ?", "faq/salary", "two_questions", "faq/contract"
    )
    assert (second.pattern, second.also) == ("texting", None)
    assert third.pattern == "plain"


def test_the_nlu_format_of_single_messages(tmp_path: Path):
    path = tmp_path / "en.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: faq/salary\n  examples: |\n'
        "    - how much do I get\n    - pay for [promo 5](promotion)?\n"
        "- intent: greet\n  examples: |\n    - hey\n",
        encoding="utf-8",
    )
    texts = [(m.text, m.label, m.pattern) for m in load_messages(path, "en")]
    assert texts == [
        ("how much do I get", "faq/salary", "plain"),
        ("pay for promo 5?", "faq/salary", "plain"),
        ("hey", "greet", "plain"),
    ]


def test_conversations_in_both_formats(tmp_path: Path):
    path = tmp_path / "fr.yml"
    path.write_text(
        "conversations:\n"
        "  - name: a\n    pattern: follow_up\n    goal: the pay for 15 years\n    turns:\n"
        "      - {user: 'salaire ?', label: faq/salary, expect: x, expect_any: ['4250', '4 250']}\n"
        "      - {user: 'et avec 15 ans ?', label: faq/salary, expect_none: '4250'}\n"
        "      - {user: CTO, label: form_answer}\n"
        "  - name: b\n    turns:\n      - {user: slt, intent: greet, expect: hello}\n",
        encoding="utf-8",
    )
    a, b = load_conversations(path, "fr")
    assert (a.pattern, a.goal, len(a.turns)) == ("follow_up", "the pay for 15 years", 3)
    assert a.turns[0].expect_any == ("4250", "4 250")
    assert a.turns[1].expect_none == ("4250",)
    assert a.turns[2].label == FORM_ANSWER
    assert (b.pattern, b.turns[0].label, b.turns[0].expect_any) == ("plain", "greet", ())


@pytest.mark.parametrize(
    "body",
    [
        "messages:\n  - {text: x, label: faq/nothing_like_it}\n",
        "messages:\n  - {text: x, label: greet, also: smalltalk}\n",
        "messages:\n  - {text: x}\n",
    ],
)
def test_a_label_nothing_answers_makes_the_set_unplayable(tmp_path: Path, body):
    path = tmp_path / "fr.yml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(SetError):
        load_messages(path, "fr")


def test_a_missing_set_file_is_said_so(tmp_path: Path, monkeypatch):
    monkeypatch.setitem(
        dialogue_eval.SETS, "test", dialogue_eval.SetFiles((ROOT / "nowhere",), (ROOT / "nowhere",))
    )
    with pytest.raises(SetError, match="missing"):
        dialogue_eval.load_set("test")
    assert dialogue_eval.main(["dev", "test"], ["test"], model=ROOT / "nowhere.tar.gz") == 2


# ---- Gates ---------------------------------------------------------------------------------


def test_the_ratchet_is_two_hundredths_below_rounded_down():
    assert ratchet(0.734, 0.02) == 0.71
    assert ratchet(0.92, 0.02) == 0.90
    assert ratchet(0.9167, 0.02) == 0.89
    assert ratchet(0.9167, 0.03) == 0.88
    assert ratchet(0.5128, 0.06) == 0.45
    assert ratchet(0.01, 0.02) == 0.0


def test_gates_per_set_and_language(monkeypatch):
    monkeypatch.setitem(
        dialogue_eval.GATES, "test", {"fr": Gate(0.80, 0.50), "en": Gate(0.70, 0.40)}
    )
    figures = {
        "fr": {"messages": {"ratio": 0.80}, "conversations": {"ratio": 0.49}},
        "en": {"messages": {"ratio": 0.75}, "conversations": {"ratio": None}},
    }
    assert gate_failures("test", figures) == [
        "test fr: conversations reaching goal 0.490 is below the gate 0.50 (target 0.90)",
        "test en: conversations reaching goal none is below the gate 0.40 (target 0.90)",
    ]


def test_the_gates_stay_at_or_below_the_target():
    for languages in dialogue_eval.GATES.values():
        for gate in languages.values():
            assert 0 <= gate.messages <= dialogue_eval.TARGET.messages
            assert 0 <= gate.conversations <= dialogue_eval.TARGET.conversations
    assert (dialogue_eval.TARGET.messages, dialogue_eval.TARGET.conversations) == (0.92, 0.90)


def test_the_test_set_is_gated_at_the_target_in_both_languages():
    # issue 16: at least 0.92 of single messages and 0.90 of conversations, per language
    assert dialogue_eval.GATES["test"] == {
        "fr": dialogue_eval.TARGET,
        "en": dialogue_eval.TARGET,
    }


def test_each_gate_is_at_least_the_measured_figure_less_its_margin_and_passes_it():
    assert set(dialogue_eval.GATES) == set(dialogue_eval.MEASURED) == {"dev", "test"}
    margin, target = dialogue_eval.MARGIN, dialogue_eval.TARGET
    for name, languages in dialogue_eval.MEASURED.items():
        for language, ((right, total), (goals, conversations)) in languages.items():
            gate = dialogue_eval.GATES[name][language]
            least = Gate(
                min(ratchet(right / total, margin.messages), target.messages),
                min(ratchet(goals / conversations, margin.conversations), target.conversations),
            )
            where = (name, language)
            # never below the ratchet (a gate kept from before may be above it) …
            assert gate.messages >= least.messages and gate.conversations >= least.conversations
            # … never above the target, and the measured model passes it
            assert gate.messages <= target.messages and gate.conversations <= target.conversations
            assert right / total >= gate.messages and goals / conversations >= gate.conversations, (
                where
            )
