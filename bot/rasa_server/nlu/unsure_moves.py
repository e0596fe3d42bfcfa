"""Reads as its FAQ topic a question the intent classifier took, with little confidence, for a
conversation move.

A question whose words the intent classifier matched to a move (out of scope, a
correction, a yes, someone introducing themselves…) with little confidence, or to nothing
at all (``nlu_fallback`` with such a move first), while the response selector, which reads
the same words against the programme's questions only, is sure of one topic, was answered
with that move ("There is no pre-application in progress to correct") or "did you mean…?".
When the message is a question (``reading.is_question``), the move's confidence is below
``MAX_MOVE_CONFIDENCE`` and the topic's at least ``MIN_TOPIC_CONFIDENCE``, this component,
placed after the fallbacks and the other readings of the parse, makes the parse that FAQ
topic. Moves that change what happens (a language, a form, a deletion, stop, resume) and
the bot question are left to the classifier. Training data goes through unchanged. The
figures before and after are in ``docs/understanding.md``.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.domain.question import FAQ_INTENT, UNSURE_INTENT
from bot.domain.reading import is_question
from bot.rasa_server.nlu.readings import ParseOnly, put_intent, readable_text
from bot.rasa_server.nlu.topic_fallback import topic_confidences

PREDICTED_CONFIDENCE = "confidence"
# Moves that start, end or change something: never taken for a question this way.
KEPT = frozenset(
    {FAQ_INTENT, "change_language", "pre_apply", "host_check", "notify_me", "delete_my_data",
     "stop", "resume", "bot_challenge"}
)  # fmt: skip
MAX_MOVE_CONFIDENCE = 0.7
MIN_TOPIC_CONFIDENCE = 0.9


def move_read(message: Message) -> tuple[str | None, float]:
    """The move the classifier read and its confidence; for ``nlu_fallback``, the move it
    ranked first, and no confidence."""
    intent = message.get(INTENT) or {}
    name = intent.get(INTENT_NAME_KEY)
    if name != UNSURE_INTENT:
        return name, float(intent.get(PREDICTED_CONFIDENCE) or 0.0)
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if isinstance(r, dict)]
    others = [r.get(INTENT_NAME_KEY) for r in ranking if r.get(INTENT_NAME_KEY) != UNSURE_INTENT]
    return (others[0] if others else None), 0.0


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnsureMovesAsked(ParseOnly):
    """A question read with little confidence as a move becomes the FAQ topic the response
    selector is sure of."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = readable_text(message)
            if text is None or not is_question(text):
                continue
            move, confidence = move_read(message)
            if move is None or move in KEPT or confidence >= MAX_MOVE_CONFIDENCE:
                continue
            confidences = topic_confidences(
                message.get(RESPONSE_SELECTOR_PROPERTY_NAME), FAQ_INTENT
            )
            if confidences and confidences[0] >= MIN_TOPIC_CONFIDENCE:
                put_intent(message, FAQ_INTENT, 1.0, replace=True)
        return messages
