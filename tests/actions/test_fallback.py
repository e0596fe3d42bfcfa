from __future__ import annotations

from actions.fallback import ActionDidYouMean, candidates
from tests.actions.conftest import run_action
from tests.conftest import load_tracker


def test_candidates_expand_faq_topics_and_skip_unofferable_intents():
    parse = load_tracker("low_confidence_salary")["latest_message"]
    # out_of_scope is not offered; faq expands to its two best topics; greet is too unlikely.
    assert candidates(parse) == ["faq/salary", "faq/contract", "help"]


def test_did_you_mean_dispatches_a_response_name_with_candidates():
    events, messages = run_action(ActionDidYouMean(), "low_confidence_salary")
    assert events == []
    assert len(messages) == 1
    assert messages[0]["response"] == "utter_did_you_mean"
    assert messages[0]["candidates"] == ["faq/salary", "faq/contract", "help"]
    assert messages[0]["text"] is None


def test_emoji_only_message_is_explained_not_guessed():
    _, messages = run_action(ActionDidYouMean(), "emoji_only")
    assert [m["response"] for m in messages] == ["utter_bad_input_no_letters"]


def test_no_candidate_gives_the_default_answer():
    parse = {"intent_ranking": [{"name": "nlu_fallback", "confidence": 0.9}]}
    assert candidates(parse) == []
