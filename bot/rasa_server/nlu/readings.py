"""Helpers shared by the NLU components that read a message's text or rewrite its parse."""

from __future__ import annotations

from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
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
