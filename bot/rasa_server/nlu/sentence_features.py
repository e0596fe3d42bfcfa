"""Keeps only the sentence-level n-gram features of the text for the classifiers.

DIET and the ResponseSelector run without transformer layers here, so an intent or a FAQ
topic is read from the sentence features alone: the per-token copies of the word and
character n-grams never reach the output, yet each classifier still projects them through
a 14 000 × 128 (DIET) or × 512 (ResponseSelector) layer, updates it at every training step
and keeps it, with its optimiser state, in the model and in memory. Dropping them after
featurization removes that work; the small per-token lexical features stay, because both
classifiers expect some sequence features for the text.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceFeaturesOnly(GraphComponent):
    """Removes the text's sequence features made by the featurizers named in ``origins``."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # the featurizers' `alias` settings in config.yml
        return {"origins": []}

    def __init__(self, config: dict[str, Any]) -> None:
        self._origins = frozenset(config["origins"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceFeaturesOnly:
        return cls(config)

    def strip(self, message: Message) -> None:
        message.features = [f for f in message.features if not self._dropped(f)]

    def _dropped(self, features: Features) -> bool:
        return (
            features.attribute == TEXT
            and features.type == FEATURE_TYPE_SEQUENCE
            and features.origin in self._origins
        )

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.strip(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self.strip(message)
        return training_data
