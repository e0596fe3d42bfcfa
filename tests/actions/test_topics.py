from __future__ import annotations

from typing import Any, Optional

import pytest

from actions.common import previous_topic
from actions.topics import ActionAnswerFaq, ActionAnswerTopic, earlier_case
from bot.domain.nlu_keys import CLAUSES_KEY
from tests.actions.conftest import run_action, run_on_state
from tests.conftest import load_tracker


def test_button_topic_is_answered_with_its_faq_response():
    events, messages = run_action(ActionAnswerTopic(), "topic_button")
    assert events == []
    assert [m["response"] for m in messages] == ["utter_faq/deadline"]


def test_unknown_topic_gets_the_default_answer():
    state = load_tracker("topic_button")
    state["latest_message"]["entities"][0]["value"] = "<script>alert(1)</script>"
    _, messages = run_on_state(ActionAnswerTopic(), state)
    assert [m["response"] for m in messages] == ["utter_default"]


# ---- action_answer_faq ----------------------------------------------------------------------


def answered(response: str) -> list[dict[str, Any]]:
    """The events of a turn that asked a question and got ``response``."""
    return [
        {"event": "user", "text": "…", "parse_data": {}},
        {"event": "action", "name": "action_listen"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": response}},
    ]


def state(
    text: str,
    intent: str = "faq",
    topic: Optional[str] = None,
    confidence: float = 0.0,
    before: Optional[list[dict[str, Any]]] = None,
    clauses: Optional[list[dict[str, Any]]] = None,
) -> dict[str, Any]:
    selection = {}
    if topic:
        selection = {
            "faq": {
                "response": {"intent_response_key": f"faq/{topic}", "confidence": confidence},
                "ranking": [{"intent_response_key": f"faq/{topic}", "confidence": confidence}],
            }
        }
    latest: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": [{"entity": "question_detail", "value": "case"}],
        "response_selector": selection,
    }
    if clauses is not None:
        latest[CLAUSES_KEY] = clauses
    events = [*(before or []), {"event": "user", "text": text, "parse_data": latest}]
    return {
        "sender_id": "test",
        "slots": {"language": "fr"},
        "latest_message": latest,
        "events": events,
        "active_loop": {},
        "latest_action_name": "action_listen",
    }


def replies(tracker_state: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    events, messages = run_on_state(ActionAnswerFaq(), tracker_state)
    assert events == []
    ignored = {"response", "text", "image", "custom", "template", "attachment"}
    ignored |= {"buttons", "elements"}
    return [
        (m["response"], {k: v for k, v in m.items() if k not in ignored and v is not None})
        for m in messages
    ]


def test_a_follow_up_is_answered_about_the_previous_topic():
    tracker = state(
        "et c'est renouvelable ?",
        topic="support",
        confidence=0.2,
        before=answered("utter_faq/contract"),
    )
    assert replies(tracker) == [("utter_faq/contract", {})]


def test_a_follow_up_with_years_gets_the_pay_for_those_years():
    tracker = state(
        "et avec 15 ans ?",
        topic="host_cofinancing",
        confidence=0.15,
        before=answered("utter_faq/salary"),
    )
    assert replies(tracker) == [("utter_faq/salary", {"years": 15, "years_exact": True})]
    junior = state(
        "and for a junior?", topic="profiles", confidence=0.3, before=answered("utter_faq/salary")
    )
    assert replies(junior) == [("utter_faq/salary", {"seniority": "junior"})]


def test_a_follow_up_naming_a_promotion_keeps_the_topic_for_that_promotion():
    tracker = state(
        "et pour la promo 5 ?",
        intent="nlu_fallback",
        topic="host_cofinancing",
        confidence=0.25,
        before=answered("utter_faq/deadline"),
    )
    assert replies(tracker) == [("utter_faq/deadline", {"asked_promotion": 5})]


def test_a_question_with_its_case_is_answered_for_it():
    tracker = state("la paie de la promo 3 c'était combien ?", topic="salary", confidence=0.9)
    assert replies(tracker) == [("utter_faq/salary", {"asked_promotion": 3})]
    year = state(
        "les webinaires de la promo 2021 à quelle heure ?", topic="webinars", confidence=0.9
    )
    assert replies(year) == [("utter_faq/webinars", {"asked_year": 2021, "asks_time": True})]


def test_two_questions_are_answered_in_order():
    clauses = [
        {"text": "quel salaire", "intent": "faq", "topic": "salary", "topic_confidence": 0.8},
        {"text": "quel contrat ?", "intent": "faq", "topic": "contract", "topic_confidence": 0.7},
    ]
    tracker = state(
        "quel salaire et quel contrat ?", topic="contract", confidence=0.5, clauses=clauses
    )
    assert replies(tracker) == [("utter_faq/salary", {}), ("utter_faq/contract", {})]


def test_years_outside_a_form_are_a_pay_question():
    tracker = state("mon conjoint a 12 ans d'expérience", intent="correct")
    assert replies(tracker) == [("utter_faq/salary", {"years": 12, "years_exact": True})]
    correction = state("en fait j'ai 15 ans d'expérience", intent="correct")
    assert replies(correction) == [("utter_nothing_to_correct", {})]


def test_what_is_not_a_programme_question_gets_its_intent_s_own_answer():
    out = state(
        "combien gagne un data scientist dans une banque ?",
        intent="out_of_scope",
        topic="salary",
        confidence=0.9,
    )
    assert replies(out) == [("utter_out_of_scope", {})]
    unsure = state("et pour la promo 5 ?", intent="nlu_fallback", topic="deadline", confidence=0.2)
    unsure["latest_message"]["intent_ranking"].append({"name": "faq", "confidence": 0.9})
    assert replies(unsure) == [("utter_did_you_mean", {"candidates": ["faq/deadline"]})]


def test_the_previous_topic_is_the_last_faq_answer_within_reach():
    now = [{"event": "user", "text": "et avec 15 ans ?", "parse_data": {}}]
    assert previous_topic([*answered("utter_faq/salary"), *now]) == "salary"
    later = [*answered("utter_faq/salary"), *answered("utter_greet"), *now]
    assert previous_topic(later) == "salary"
    far = [*answered("utter_faq/salary"), *answered("utter_greet"), *answered("utter_thank")]
    assert previous_topic([*far, *answered("utter_help"), *now]) is None
    restarted = [*answered("utter_faq/salary"), {"event": "session_started"}, *now]
    assert previous_topic(restarted) is None
    assert previous_topic([*answered("utter_faq/<script>"), *now]) is None


def asked(text: str, response: str) -> list[dict[str, Any]]:
    return [
        {"event": "user", "text": text, "parse_data": {}},
        {"event": "bot", "text": "…", "metadata": {"utter_action": response}},
    ]


def test_the_earlier_case_is_the_last_question_naming_a_promotion_or_year_within_reach():
    now = [{"event": "user", "text": "and what did they pay back then?", "parse_data": {}}]
    promo = asked("and the deadline for promo 5?", "utter_faq/deadline")
    case = earlier_case([*promo, *now])
    assert case is not None and case.promotion == 5
    year = earlier_case([*asked("what about 2022?", "utter_faq/salary"), *now])
    assert year is not None and year.year == 2022 and year.promotion is None
    far = [*promo, *answered("utter_greet"), *answered("utter_thank"), *answered("utter_help")]
    assert earlier_case([*far, *now]) is None
    assert earlier_case([*promo, {"event": "session_started"}, *now]) is None
    assert earlier_case(now) is None  # the current message is not an earlier one


def test_questions_that_referred_back_carry_the_earlier_case_on():
    now = [{"event": "user", "text": "when did applications close that year?", "parse_data": {}}]
    third = asked("how many EIGs were in the third promotion?", "utter_faq/key_figures")
    back = [
        *asked("how many challenges did they take on?", "utter_faq/key_figures"),
        *asked("and what was the pay back then?", "utter_faq/salary"),
    ]
    case = earlier_case([*third, *back, *now])
    assert case is not None and case.promotion == 3
    # questions that did not refer back do not carry it
    other = [*answered("utter_greet"), *answered("utter_thank"), *answered("utter_help")]
    assert earlier_case([*third, *other, *now]) is None


def test_back_then_is_answered_for_the_earlier_promotion():
    tracker = state(
        "and what did they pay back then?", intent="faq", topic="salary", confidence=0.4
    )
    tracker["events"][-1:-1] = asked("and the deadline for promo 5?", "utter_faq/deadline")
    assert replies(tracker) == [("utter_faq/salary", {"asked_promotion": 5})]


def test_a_short_question_in_the_past_is_answered_for_the_earlier_promotion():
    tracker = state(
        "ils avaient recruté combien de personnes ?", topic="key_figures", confidence=0.99
    )
    tracker["events"][-1:-1] = asked(
        "Pour la promo 3, les candidatures étaient ouvertes quand ?", "utter_faq/deadline"
    )
    assert replies(tracker) == [("utter_faq/key_figures", {"asked_promotion": 3})]
    paid = state("how much were they paid?", topic="salary", confidence=0.99)
    paid["events"][-1:-1] = asked(
        "the 3rd promotion, how many people were recruited?", "utter_faq/key_figures"
    )
    assert replies(paid) == [("utter_faq/salary", {"asked_promotion": 3})]
    deadline = state("what was the deadline?", topic="deadline", confidence=0.99)
    deadline["events"][-1:-1] = asked(
        "how many positions were open for the sixth promotion?", "utter_faq/key_figures"
    )
    assert replies(deadline) == [("utter_faq/deadline", {"asked_promotion": 6})]
    webinars = state("were there any webinars?", topic="webinars", confidence=0.99)
    webinars["events"][-1:-1] = asked("and for the 5th promotion?", "utter_faq/contract")
    assert replies(webinars) == [("utter_faq/webinars", {})]  # in general: the latest
    today = state("et aujourd'hui, combien de postes ?", topic="key_figures", confidence=0.99)
    today["events"][-1:-1] = asked("Pour la promo 3, c'était quand ?", "utter_faq/deadline")
    assert replies(today) == [("utter_faq/key_figures", {})]


@pytest.mark.parametrize(
    ("text", "intent", "previous", "answer"),
    [
        ("even hospitals?", "greet", "utter_faq/host_who_can_apply", "utter_faq/host_who_can_apply"),
        ("même un hôpital ?", "i_am_administration", "utter_faq/host_who_can_apply",
         "utter_faq/host_who_can_apply"),
        ("et si j'en avais 12 ?", "pre_apply", "utter_faq/salary", "utter_faq/salary"),
    ],
)  # fmt: skip
def test_a_follow_up_read_as_another_intent_is_answered_about_the_previous_topic(
    text, intent, previous, answer
):
    # what MessageSlotPolicy runs when action_read_message sets follows_previous_answer
    tracker = state(text, intent=intent, topic="contact", confidence=0.1, before=answered(previous))
    assert [response for response, _ in replies(tracker)] == [answer]


def test_an_administration_asking_when_the_call_opens_gets_the_call_for_projects():
    tracker = state("when does the call open?", topic="deadline", confidence=0.95)
    tracker["active_loop"] = {"name": "host_check_form"}
    assert replies(tracker) == [("utter_faq/host_timeline", {})]
    told = state("quand ouvre l'appel ?", topic="deadline", confidence=0.95)
    told["slots"]["audience"] = "administration"
    assert replies(told) == [("utter_faq/host_timeline", {})]


def test_an_administration_asking_who_can_apply_or_who_pays_gets_its_side_of_it():
    who = state("qui peut candidater exactement ?", topic="profiles", confidence=0.94)
    who["active_loop"] = {"name": "host_check_form"}
    assert replies(who) == [("utter_faq/host_who_can_apply", {})]
    which = state("quels profils peuvent candidater ?", topic="profiles", confidence=0.94)
    which["active_loop"] = {"name": "host_check_form"}
    assert replies(which) == [("utter_faq/profiles", {})]  # the profiles sought, asked
    pays = state(
        "Who pays the salaries in that case?",
        topic="salary",
        confidence=0.9,
        before=answered("utter_faq/host_who_can_apply"),
    )
    assert replies(pays) == [("utter_faq/host_cofinancing", {})]
    share = state("Et on devrait payer une partie des salaires ?", topic="salary", confidence=1.0)
    share["active_loop"] = {"name": "host_check_form"}
    assert replies(share) == [("utter_faq/host_cofinancing", {})]
    candidate = state("who can apply?", topic="profiles", confidence=0.94)
    assert replies(candidate) == [("utter_faq/profiles", {})]


def test_a_follow_up_after_the_webinar_follow_up_is_about_the_webinars():
    recorded = state(
        "Was it recorded? A friend of mine missed it.",
        intent="nlu_fallback",
        topic="not_in_sources",
        confidence=0.24,
        before=answered("utter_webinar_followup_typed"),
    )
    assert replies(recorded) == [("utter_faq/webinars", {})]
    when = state(
        "when then?",
        intent="nlu_fallback",
        topic="deadline",
        confidence=0.37,
        before=answered("utter_offer_notification"),
    )
    # the offer again: a yes answers the question just asked
    assert replies(when) == [("utter_faq/deadline", {}), ("utter_ask_notification", {})]


def test_a_follow_up_naming_its_own_subject_gets_it_when_fairly_sure():
    tracker = state(
        "et côté calendrier ?",
        topic="host_timeline",
        confidence=0.475,
        before=answered("utter_faq/host_commitments"),
    )
    assert replies(tracker) == [("utter_faq/host_timeline", {})]


def test_an_administration_asking_about_candidates_or_a_candidate_keep_the_deadline():
    about_candidates = state("when can candidates apply?", topic="deadline", confidence=0.95)
    about_candidates["slots"]["audience"] = "administration"
    assert replies(about_candidates) == [("utter_faq/deadline", {})]
    candidate = state("when does the call open?", topic="deadline", confidence=0.95)
    # a candidate is offered to be told when it opens
    assert replies(candidate) == [("utter_faq/deadline", {}), ("utter_ask_notification", {})]


def test_how_long_after_the_selection_steps_is_about_them_not_the_contract():
    after_selection = state(
        "ça dure combien de temps ?",
        topic="contract",
        confidence=1.0,
        before=answered("utter_faq/selection_process"),
    )
    assert replies(after_selection) == [("utter_faq/selection_process", {})]
    named = state(
        "et le contrat, il dure combien de temps ?",
        topic="contract",
        confidence=1.0,
        before=answered("utter_faq/selection_process"),
    )
    assert replies(named) == [("utter_faq/contract", {})]


def test_a_number_alone_after_the_pay_is_years_of_experience():
    exactly = state(
        "et si j'en ai exactement 10 ?",
        topic="not_in_sources",
        confidence=0.93,
        before=answered("utter_faq/salary"),
    )
    assert replies(exactly) == [("utter_faq/salary", {"years": 10, "years_exact": True})]
    # after another answer, or naming a promotion, a number alone is no experience
    after_deadline = state(
        "et à 11 ?", topic="deadline", confidence=0.9, before=answered("utter_faq/deadline")
    )
    assert replies(after_deadline)[0] == ("utter_faq/deadline", {})
    promotion = state(
        "et la promo 5 ?", topic="salary", confidence=0.9, before=answered("utter_faq/salary")
    )
    assert replies(promotion) == [("utter_faq/salary", {"asked_promotion": 5})]


def test_whether_it_varies_is_asked_of_the_previous_answer():
    tracker = state(
        "ça change selon qu'on est produit ou technique ?",
        topic="profiles",
        confidence=1.0,
        before=answered("utter_faq/salary"),
    )
    assert replies(tracker) == [("utter_faq/salary", {})]


def test_a_sponsor_s_seniority_after_a_host_topic_is_not_the_pay():
    tracker = state(
        "and the sponsor, how senior must they be?",
        topic="host_commitments",
        confidence=0.43,
        before=answered("utter_faq/host_cofinancing"),
    )
    # unsure of its own topic, it follows the previous answer's: never the EIGs' pay
    assert replies(tracker) == [("utter_faq/host_cofinancing", {})]


def test_two_questions_with_a_host_topic_take_the_call_for_projects():
    clauses = [
        {"text": "does the PIA pay everything", "intent": "faq", "topic": "host_cofinancing",
         "topic_confidence": 0.9},
        {"text": "when is the jury?", "intent": "faq", "topic": "deadline",
         "topic_confidence": 0.8},
    ]  # fmt: skip
    tracker = state(
        "does the PIA pay everything, and when is the jury?",
        topic="host_cofinancing",
        confidence=1.0,
        clauses=clauses,
    )
    assert replies(tracker) == [("utter_faq/host_cofinancing", {}), ("utter_faq/host_timeline", {})]


def test_years_of_one_s_own_and_pay_read_as_out_of_scope_are_the_pay():
    tracker = state(
        "ça fait neuf ans que je suis développeur, chez vous ça me ferait quel salaire ?",
        intent="out_of_scope",
        topic="salary",
        confidence=0.3,
    )
    assert replies(tracker) == [
        ("utter_faq/salary", {"years": 9, "years_exact": True, "profile": "developer"})
    ]
    bank = state(
        "how much does a data scientist with 8 years earn in a bank?",
        intent="out_of_scope",
        topic="salary",
        confidence=0.3,
    )
    assert replies(bank) == [("utter_out_of_scope", {})]


def test_before_asks_about_the_previous_answer():
    tracker = state(
        "et avant ça ressemblait à quoi ?",
        topic="what_is_eig",
        confidence=1.0,
        before=answered("utter_faq/profiles"),
    )
    # the previous answer, for the latest promotion before the current one
    assert replies(tracker) == [("utter_faq/profiles", {"asked_promotion": 6})]


@pytest.mark.parametrize(
    ("text", "previous", "topic"),
    [
        ("what was the deadline last time?", "utter_faq/deadline", "deadline"),
        ("et la dernière fois c'était jusqu'à quand ?", "utter_faq/deadline", "deadline"),
        ("et avant, dans les anciennes promos ?", "utter_faq/salary", "salary"),
        ("what about earlier cohorts?", "utter_faq/salary", "salary"),
        ("was it always that much?", "utter_faq/salary", "salary"),
    ],
)
def test_an_earlier_promotion_unnamed_is_the_latest_before_the_current(text, previous, topic):
    tracker = state(text, topic=topic, confidence=0.9, before=answered(previous))
    assert replies(tracker) == [(f"utter_faq/{topic}", {"asked_promotion": 6})]


def test_the_totals_up_to_a_year_name_no_promotion():
    tracker = state(
        "and how many were recruited in total up to 2022?",
        topic="key_figures",
        confidence=1.0,
        before=answered("utter_faq/key_figures"),
    )
    assert replies(tracker) == [("utter_faq/key_figures", {})]


def test_years_after_two_answers_one_of_them_the_pay_are_about_the_pay():
    before = [
        {"event": "user", "text": "…", "parse_data": {}},
        {"event": "action", "name": "action_listen"},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq/salary"}},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq/who_runs"}},
    ]
    tracker = state("and with 11?", topic="who_runs", confidence=0.3, before=before)
    assert replies(tracker) == [("utter_faq/salary", {"years": 11, "years_exact": True})]
    assert previous_topic(before) == "who_runs"


def test_the_deadline_while_the_call_is_not_open_offers_to_tell_when_it_opens():
    asked_when = state("c'est quand la date limite ?", topic="deadline", confidence=0.93)
    assert [r for r, _ in replies(asked_when)] == ["utter_faq/deadline", "utter_ask_notification"]
    # two questions, the deadline one of them: the offer after both answers
    both = state(
        "c'est payé combien et c'est quand la date limite ?",
        topic="salary",
        confidence=0.8,
        clauses=[
            {
                "text": "c'est payé combien",
                "intent": "faq",
                "topic": "salary",
                "topic_confidence": 0.8,
            },
            {"text": "c'est quand", "intent": "faq", "topic": "deadline", "topic_confidence": 0.8},
        ],
    )
    assert [r for r, _ in replies(both)] == [
        "utter_faq/salary",
        "utter_faq/deadline",
        "utter_ask_notification",
    ]


def test_an_earlier_promotion_s_deadline_offers_nothing():
    earlier = state("c'était quand la date limite de la 6e ?", topic="deadline", confidence=0.9)
    assert replies(earlier) == [("utter_faq/deadline", {"asked_promotion": 6})]


def test_without_e_mail_the_deadline_offers_nothing(no_mail):
    asked_when = state("c'est quand la date limite ?", topic="deadline", confidence=0.93)
    assert replies(asked_when) == [("utter_faq/deadline", {})]


def test_before_said_last_asks_the_earlier_promotion_s_answer():
    before = state(
        "wasn't it 10 months before?",
        topic="contract",
        confidence=0.6,
        before=answered("utter_faq/contract"),
    )
    assert replies(before) == [("utter_faq/contract", {"asked_promotion": 6})]


def test_asked_what_is_ahead_the_webinars_are_only_those_ahead():
    soon = state("Il y a un webinaire bientôt ?", topic="webinars", confidence=0.9)
    assert replies(soon) == [("utter_faq/webinars", {"upcoming": True})]
    fifth = state("les prochains webinaires de la 5e promo ?", topic="webinars", confidence=0.9)
    assert replies(fifth) == [("utter_faq/webinars", {"asked_promotion": 5})]


def test_a_short_follow_up_keeps_to_the_promotion_the_question_before_named():
    challenges = state("et combien de défis ?", topic="key_figures", confidence=0.99)
    challenges["events"][-1:-1] = asked(
        "la troisième promotion, c'était combien de recrues ?", "utter_faq/key_figures"
    )
    assert replies(challenges) == [("utter_faq/key_figures", {"asked_promotion": 3})]
    was = state("deadline was?", topic="deadline", confidence=0.99)
    was["events"][-1:-1] = asked(
        "the 6th promotion had how many positions?", "utter_faq/key_figures"
    )
    assert replies(was) == [("utter_faq/deadline", {"asked_promotion": 6})]
    # not one on today, nor one two questions away
    now = state("et maintenant, combien ?", topic="key_figures", confidence=0.99)
    now["events"][-1:-1] = asked("la 3e promo, combien de recrues ?", "utter_faq/key_figures")
    assert replies(now) == [("utter_faq/key_figures", {})]
    far = state("and how many challenges?", topic="key_figures", confidence=0.99)
    far["events"][-1:-1] = [
        *asked("the 3rd promotion, how many recruits?", "utter_faq/key_figures"),
        *asked("who runs it?", "utter_faq/who_runs"),
    ]
    assert replies(far) == [("utter_faq/key_figures", {})]


def test_the_next_one_after_the_webinars_is_the_next_webinar():
    tracker = state(
        "and when's the next one?",
        topic="deadline",
        confidence=0.95,
        before=answered("utter_faq/webinars"),
    )
    assert replies(tracker) == [("utter_faq/webinars", {"upcoming": True})]
    # the next call names itself
    call = state(
        "and when does the next call open?",
        topic="deadline",
        confidence=0.95,
        before=answered("utter_faq/webinars"),
    )
    assert next(r for r, _ in replies(call)) == "utter_faq/deadline"


@pytest.mark.parametrize(
    ("text", "previous", "answer"),
    [
        ("depuis quand ?", "utter_faq/salary", "utter_faq/salary"),
        ("et depuis quand ?", "utter_faq/profiles", "utter_faq/profiles"),
        ("since when?", "utter_faq/what_is_eig", "utter_faq/key_figures"),  # the start
    ],
)
def test_since_when_after_an_answer_that_changed_over_time_is_that_answer(text, previous, answer):
    tracker = state(text, topic="key_figures", confidence=0.95, before=answered(previous))
    assert [response for response, _ in replies(tracker)] == [answer]


def test_pay_of_the_programme_read_as_out_of_scope_is_the_pay():
    tracker = state("combien gagne un EIG aujourd'hui ?", intent="out_of_scope", topic="salary",
                    confidence=0.4)  # fmt: skip
    assert [r for r, _ in replies(tracker)] == ["utter_faq/salary"]
    bank = state("how much does a data scientist earn in a bank?", intent="out_of_scope",
                 topic="salary", confidence=0.4)  # fmt: skip
    assert [r for r, _ in replies(bank)] == ["utter_out_of_scope"]


def test_recruiting_a_profile_read_as_out_of_scope_is_the_profiles():
    tracker = state("do you still hire designers at all?", intent="out_of_scope",
                    topic="profiles", confidence=0.3)  # fmt: skip
    assert [r for r, _ in replies(tracker)] == ["utter_faq/profiles"]
    bank = state("do banks hire designers?", intent="out_of_scope", topic="profiles",
                 confidence=0.3)  # fmt: skip
    assert [r for r, _ in replies(bank)] == ["utter_out_of_scope"]


def test_the_second_one_after_the_webinars_is_that_webinar_not_the_2nd_promotion():
    tracker = state(
        "and the second one covered what?",
        intent="nlu_fallback",
        topic="webinars",
        confidence=0.4,
        before=answered("utter_faq/webinars"),
    )
    assert replies(tracker) == [("utter_faq/webinars", {})]
    promotion = state(
        "and the 2nd promotion?", topic="key_figures", before=answered("utter_faq/webinars")
    )
    assert ("asked_promotion", 2) in next(a for _, a in replies(promotion)).items()


@pytest.mark.parametrize(
    "text", ["et pour un EIG ?", "and at EIG?", "et dans le programme EIG ?", "and here?"]
)
def test_the_eigs_pay_asked_right_after_another_employer_s_pay(text):
    before = answered("utter_out_of_scope")
    before[0]["text"] = "combien gagne un data scientist dans une banque ?"
    tracker = state(text, intent="nlu_fallback", topic="what_is_eig", confidence=0.4, before=before)
    assert [r for r, _ in replies(tracker)] == ["utter_faq/salary"]


def test_the_eigs_pay_after_another_employer_s_pay_even_after_an_earlier_answer():
    before = [*answered("utter_faq/not_in_sources"), *answered("utter_out_of_scope")]
    before[3]["text"] = "how much does a data scientist earn in a bank?"
    tracker = state(
        "and for an EIG?", intent="nlu_fallback", topic="profiles", confidence=0.4, before=before
    )
    assert [r for r, _ in replies(tracker)] == ["utter_faq/salary"]


def test_a_follow_up_after_not_my_subject_without_pay_is_not_the_pay():
    before = answered("utter_out_of_scope")
    before[0]["text"] = "quel temps fait-il à Paris ?"
    tracker = state("et à Lyon ?", intent="nlu_fallback", topic="what_is_eig", confidence=0.4)
    tracker["events"][:0] = before
    assert "utter_faq/salary" not in [r for r, _ in replies(tracker)]
    elsewhere = answered("utter_out_of_scope")
    elsewhere[0]["text"] = "combien gagne un data scientist dans une banque ?"
    startup = state("et dans une startup ?", intent="nlu_fallback", before=elsewhere)
    assert "utter_faq/salary" not in [r for r, _ in replies(startup)]
