"""Helpers shared by the NLU components that read a message's text or rewrite its parse."""

from __future__ import annotations

from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.nlu_keys import PROBLEM_KEY


def readable_text(message: Message) -> Optional[str]:
    """The text a component may read: not a "/" payload, not a message the guard flagged."""
    text = message.get(TEXT)
    if not isinstance(text, str) or text.startswith("/") or message.get(PROBLEM_KEY):
        return None
    return text


def put_intent(message: Message, name: str, confidence: float, replace: bool = False) -> None:
    """Makes ``name`` the message's intent and puts it first in the ranking; ``replace``
    drops the ranking's earlier entry of that name, else the ranking is kept whole."""
    verdict = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    message.set(INTENT, verdict, add_to_output=True)
    ranking = message.get(INTENT_RANKING_KEY) or []
    if replace:
        ranking = [item for item in ranking if item.get(INTENT_NAME_KEY) != name]
    message.set(INTENT_RANKING_KEY, [verdict, *ranking], add_to_output=True)


def topic_chosen(selection: Any, retrieval_intent: str, topic: str) -> dict:
    """The response selector's output with ``topic`` chosen, sure, first in the ranking."""
    key = f"{retrieval_intent}/{topic}"
    found = dict(selection) if isinstance(selection, dict) else {}
    chosen = found.get(retrieval_intent)
    ranking = chosen.get(RESPONSE_SELECTOR_RANKING_KEY) if isinstance(chosen, dict) else None
    others = [
        item
        for item in ranking or []
        if isinstance(item, dict) and item.get(INTENT_RESPONSE_KEY) != key
    ]
    found[retrieval_intent] = {
        RESPONSE_SELECTOR_PREDICTION_KEY: {
            RESPONSE_SELECTOR_RESPONSES_KEY: [{TEXT: f"utter_{key}"}],
            PREDICTED_CONFIDENCE_KEY: 1.0,
            INTENT_RESPONSE_KEY: key,
            RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{key}",
        },
        RESPONSE_SELECTOR_RANKING_KEY: [
            {INTENT_RESPONSE_KEY: key, PREDICTED_CONFIDENCE_KEY: 1.0},
            *others,
        ],
    }
    return found


class ParseOnly(GraphComponent):
    """A component with no configuration that acts on messages to parse only: training data
    goes through it unchanged (a subclass may still read it)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
