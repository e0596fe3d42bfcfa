"""Flags messages no classifier should guess at: empty, no letters, only markup, or huge.

``InputGuard`` runs first and keeps the text the rest of the pipeline sees short; the
stored user message keeps the full text. ``InputVerdict`` runs last and turns a flagged
message into ``nlu_fallback`` with the reason, which the fallback action explains.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.nlu_keys import MAX_CHARS, PROBLEM_KEY

_SCRIPT = re.compile(r"<(script|style)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>?")


def without_markup(text: str) -> str:
    """The text a person wrote around any HTML: tags and script bodies removed."""
    return " ".join(_TAG.sub(" ", _SCRIPT.sub(" ", text)).split())


_PREAMBLE = re.compile(
    r"^\s*(bonjour|bonsoir|salut|coucou|hello|hi|hey|good (morning|afternoon|evening))"
    r"( (à tous|madame|monsieur|there|everyone|all))?\s*[,.!;:]+\s*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
MIN_REST_WORDS = 3


def without_preamble(text: str) -> str:
    """The question after a greeting ("bonjour, je voudrais…" → "je voudrais…").

    A greeting followed by a real question is a question; a greeting alone stays one.
    """
    match = _PREAMBLE.match(text)
    if match and len(match.group("rest").split()) >= MIN_REST_WORDS:
        return match.group("rest")
    return text


def problem(text: Any) -> Optional[str]:
    """Why a message cannot be understood as it is, or None."""
    if not isinstance(text, str) or not text.strip():
        return "empty"
    if len(text) > MAX_CHARS:
        return "too_long"
    if not any(c.isalpha() for c in text):
        return "no_letters"
    if not any(c.isalpha() for c in without_markup(text)):
        return "markup"
    return None


class _Base(GraphComponent):
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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class InputGuard(_Base):
    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Read training examples as messages will be read: without a greeting preamble."""
        for message in training_data.training_examples:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, without_preamble(text))
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            found = problem(message.get(TEXT))
            if found:
                message.set(PROBLEM_KEY, found, add_to_output=True)
            if found == "too_long":
                message.set(TEXT, message.get(TEXT)[:MAX_CHARS])
            elif found is None and not message.get(TEXT).startswith("/"):
                message.set(TEXT, without_preamble(without_markup(message.get(TEXT))))
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputVerdict(_Base):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(PROBLEM_KEY) and not str(message.get(TEXT, "")).startswith("/"):
                verdict = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, verdict, add_to_output=True)
                ranking = message.get(INTENT_RANKING_KEY) or []
                message.set(INTENT_RANKING_KEY, [verdict, *ranking], add_to_output=True)
        return messages
