"""Reads a message made only of courtesies as the greeting, thanks or goodbye it is.

The classifiers read "super merci, bonne soirée" as unsure and "k thx bye" as thanks:
courtesies are worded in endless ways and weigh little against the programme's questions
in training. ``bot.domain.small_talk`` tells them from their words; this component, placed
after the fallbacks, makes the parse that intent. A yes or a no read by the classifiers
("ok merci" at a form's question) stays as read. Training data goes through unchanged.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.domain.small_talk import keeps_yes_or_no, small_talk
from bot.rasa_server.nlu.readings import ParseOnly, put_intent, readable_text


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SmallTalk(ParseOnly):
    """``greet``, ``thank`` or ``goodbye`` for a message of courtesies only."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = readable_text(message)
            kind = small_talk(text) if text else None
            if kind is None:
                continue
            read = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
            if read != kind and not keeps_yes_or_no(text or "", read):
                put_intent(message, kind, 1.0, replace=True)
        return messages
