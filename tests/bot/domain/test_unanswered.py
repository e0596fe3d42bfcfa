"""The rule of what the assistant did not answer well (bot.domain.unanswered)."""

from __future__ import annotations

from bot.domain import unanswered


def user(text: str, confidence: float, intent: str = "faq", ts: float = 100.0) -> dict:
    return {
        "event": "user",
        "text": text,
        "timestamp": ts,
        "parse_data": {"intent": {"name": intent, "confidence": confidence}},
    }


def bot(message_id: str) -> dict:
    return {"event": "bot", "text": "…", "metadata": {"message_id": message_id}}


def test_a_confident_answer_that_got_a_no_counts_with_its_position():
    events = [
        {"event": "slot", "name": "language", "value": "en"},
        user("how much do I earn", 0.99),
        bot("a" * 32),
        user("thanks", 0.99, ts=120.0),
        bot("b" * 32),
    ]
    found = list(unanswered.unanswered_in(events, 0, 0.6, frozenset({"a" * 32})))
    assert [(m.text, m.reasons, m.language, m.index, m.timestamp) for m in found] == [
        ("how much do I earn", ("feedback_no",), "en", 1, 100.0)
    ]


def test_without_feedback_only_the_fallback_counts():
    events = [user("how much", 0.99), bot("a" * 32), user("blorp", 0.3, "nlu_fallback")]
    found = list(unanswered.unanswered_in(events, 0, 0.6))
    assert [(m.text, m.reasons, m.index) for m in found] == [
        ("blorp", ("low_confidence", "nlu_fallback"), 2)
    ]


def test_answers_inside_a_form_never_count_even_with_a_no():
    events = [
        {"event": "active_loop", "name": "pre_application_form"},
        user("camille", 0.2, "nlu_fallback"),
        bot("a" * 32),
    ]
    assert list(unanswered.unanswered_in(events, 0, 0.6, frozenset({"a" * 32}))) == []


def test_the_official_texts_do_not_say_counts_as_i_dont_know():
    event = user("can I be paid in bitcoin", 0.95)
    event["parse_data"]["intent_ranking"] = [{"name": "faq", "confidence": 0.95}]
    event["parse_data"]["response_selector"] = {
        "faq": {"ranking": [{"intent_response_key": "faq/not_in_sources"}]}
    }
    [found] = unanswered.unanswered_in([event, bot("a" * 32)], 0, 0.6)
    assert found.reasons == ("dont_know",) and found.best_guess == "faq/not_in_sources"


def test_an_out_of_scope_answer_is_worth_a_look():
    """Gibberish or a new word the classifier sends out of scope may be a missed question."""
    events = [user("zorblax flibuste ?", 0.99, "out_of_scope"), bot("a" * 32)]
    [found] = unanswered.unanswered_in(events, 0, 0.6)
    assert found.reasons == ("out_of_scope",)
