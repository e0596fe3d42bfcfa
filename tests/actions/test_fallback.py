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


def test_a_likely_topic_is_offered_when_faq_itself_ranked_low():
    """ "combien de temps": the classifier says out of scope 0.29 and help 0.19, the
    response selector the contract 0.34 and the selection 0.13."""
    parse = {
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.4},
            {"name": "out_of_scope", "confidence": 0.29},
            {"name": "help", "confidence": 0.19},
            {"name": "faq", "confidence": 0.02},
        ],
        "response_selector": {
            "faq": {
                "ranking": [
                    {"intent_response_key": "faq/contract", "confidence": 0.34},
                    {"intent_response_key": "faq/selection_process", "confidence": 0.13},
                ]
            }
        },
    }
    assert candidates(parse) == ["faq/contract", "help"]
    parse["response_selector"]["faq"]["ranking"][0]["confidence"] = 0.15
    assert candidates(parse) == ["help"]
