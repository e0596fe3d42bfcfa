"""Calls out of scope a question about another organisation's own jobs.

"is SNCF hiring developers right now?" was answered with the profiles the programme seeks,
"how do I apply for the European Commission traineeship?" with how to apply to it: the
classifiers read the words they know (hiring, developers, apply) whoever they are said of.
When a message asks about the jobs of an organisation it names by its own name, or about
another scheme ("le service civique", "le concours d'attaché"), and speaks neither of the
programme nor to it (``bot.domain.question.asks_jobs_elsewhere``), this component, placed
after ``UnknownSubjects``, makes the parse ``out_of_scope``. Training data goes through
unchanged. The figures before and after are in ``docs/understanding.md``.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

from bot.domain.question import OUT_OF_SCOPE_INTENT, asks_jobs_elsewhere
from bot.rasa_server.nlu.readings import ParseOnly, put_intent, readable_text
from bot.rasa_server.nlu.unknown_subjects import UNKNOWN_SUBJECT_KEY

# What the classifiers make of such a question besides "out of scope".
OVERRIDDEN = frozenset(
    {"faq", "nlu_fallback", "help", "participate", "pre_apply", "i_am_candidate",
     "i_am_administration"}
)  # fmt: skip


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class OtherEmployers(ParseOnly):
    """``out_of_scope`` for a question about another organisation's own jobs."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = readable_text(message)
            if text is None:
                continue
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) not in OVERRIDDEN:
                continue
            if message.get(UNKNOWN_SUBJECT_KEY):
                continue  # "could I do the job remotely from Montreal?": remote work, unknown
            if asks_jobs_elsewhere(text):
                put_intent(message, OUT_OF_SCOPE_INTENT, 1.0, replace=True)
        return messages
