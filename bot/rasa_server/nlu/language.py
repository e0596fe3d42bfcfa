"""Proposes a language for each message, for the tokenizer and for the ``language`` slot.

Training examples carry their language in the intent metadata, which wins over detection.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.language import detect
from bot.domain.nlu_keys import DETECTION_KEY, LANGUAGE_KEY
from bot.wording import i18n


def declared_language(message: Message) -> str | None:
    """The language a training example's intent metadata declares, if any."""
    metadata = message.get("metadata")
    if isinstance(metadata, dict):
        for level in ("example", "intent"):
            block = metadata.get(level)
            if isinstance(block, dict) and i18n.normalize(block.get("language")):
                return i18n.normalize(block.get("language"))
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Adds ``text_language`` (for tokenization) and ``language_detection`` (output)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls()

    def _annotate(self, message: Message, for_output: bool) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str):
            return
        declared = declared_language(message) if not for_output else None
        if declared:
            message.set(LANGUAGE_KEY, declared)
            return
        detection = detect(text)
        message.set(LANGUAGE_KEY, detection.language or i18n.DEFAULT_LANGUAGE)
        if for_output:
            message.set(DETECTION_KEY, detection.as_dict(), add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._annotate(message, for_output=False)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._annotate(message, for_output=True)
        return messages
