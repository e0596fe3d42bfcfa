"""Hides from the classifiers the clauses of a question that set a topic aside.

"pas de question sur le salaire, je voudrais savoir qui organise" was answered with the
pay: word and character n-grams count "salaire" whatever negates it. The clauses that say
what the visitor is *not* asking about (``bot.domain.asked.without_set_aside``) are taken
out of the text the featurizers read, in training as in conversation; the stored user
message keeps its full text. It runs after the language detector, which reads the whole
message.
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

from bot.domain.asked import without_set_aside
from bot.rasa_server.nlu.readings import readable_text


def _read(message: Message) -> None:
    text = readable_text(message)
    if text is not None:
        message.set(TEXT, without_set_aside(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SetAsideClauses(GraphComponent):
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
        for message in training_data.training_examples:
            _read(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            _read(message)
        return messages
