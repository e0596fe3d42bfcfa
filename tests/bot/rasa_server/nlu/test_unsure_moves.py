from __future__ import annotations

import pytest
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.nlu.unsure_moves import UnsureMovesAsked


def read(text: str, ranking: list[tuple[str, float]], topic: float) -> str:
    intents = [{"name": n, "confidence": c} for n, c in ranking]
    selection = {
        "faq": {
            "response": {"intent_response_key": "faq/profiles", "confidence": topic},
            "ranking": [
                {"intent_response_key": "faq/profiles", "confidence": topic},
                {"intent_response_key": "faq/salary", "confidence": 1 - topic},
            ],
        }
    }
    message = Message(
        data={
            TEXT: text,
            INTENT: intents[0],
            INTENT_RANKING_KEY: intents,
            RESPONSE_SELECTOR_PROPERTY_NAME: selection,
        }
    )
    UnsureMovesAsked().process([message])
    return message.get(INTENT)["name"]


@pytest.mark.parametrize(
    "ranking",
    [
        [("out_of_scope", 0.69), ("faq", 0.2)],
        [("correct", 0.63), ("faq", 0.1)],
        [("nlu_fallback", 0.4), ("i_am_candidate", 0.35), ("faq", 0.3)],
    ],
)
def test_a_question_read_unsurely_as_a_move_is_the_topic_the_selector_is_sure_of(ranking):
    assert read("are product people still wanted?", ranking, 0.95) == "faq"


@pytest.mark.parametrize(
    ("text", "ranking", "topic"),
    [
        # not a question; a sure move; a move that changes something; an unsure topic
        ("je cherche un poste dans le public", [("i_am_candidate", 0.6)], 0.95),
        ("are product people still wanted?", [("out_of_scope", 0.9)], 0.95),
        ("can we switch to English, what profiles?", [("change_language", 0.5)], 0.95),
        ("can you delete my answers?", [("delete_my_data", 0.5)], 0.95),
        ("are product people still wanted?", [("out_of_scope", 0.5)], 0.6),
        # the topic itself unsure: the topic fallback's own "did you mean…?"
        ("are product people still wanted?", [("nlu_fallback", 0.3), ("faq", 0.9)], 0.95),
    ],
)
def test_other_readings_are_left_alone(text, ranking, topic):
    assert read(text, ranking, topic) == ranking[0][0]
