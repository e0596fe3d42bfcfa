"""Flags messages no classifier should guess at: empty, no letters, only markup, or huge;
reads a "/" message as a button payload only when it is one.

``InputGuard`` runs first and keeps the text the rest of the pipeline sees short; the
stored user message keeps the full text. ``InputVerdict`` runs last and turns a flagged
message into ``nlu_fallback`` with the reason, which the fallback action explains.

Button payloads: Rasa's ``RegexMessageHandler``, the last step of the NLU, reads a text
starting with "/" as ``/intent{"entity": "value"}`` and, when it is anything else, logs a
warning that quotes the whole text ("/contact moi@example.org" would put the address in
the logs). ``InputGuard`` lets through only a known payload (:class:`Payloads`: an intent
of the model's domain, optionally followed by a JSON object of the domain's entities with
plain values, nothing else); any other text starting with "/" loses its slashes, so the
handler never sees it and the classifiers read it as the words it is. The domain is read
from the trained model itself (its ``DomainProvider`` resource) when the pipeline loads.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.graph_components.providers.domain_provider import DomainProvider
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.domain.nlu_keys import MAX_CHARS, PROBLEM_KEY
from bot.rasa_server.nlu.readings import ParseOnly

log = logging.getLogger(__name__)

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


# What a button sends: "/intent" or "/intent{...JSON object...}", on one line, nothing else.
_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z0-9_]+)(?P<entities>\{[^\r\n]*\})?")
_SLASHES = re.compile(r"^\s*/[\s/]*")


def _plain_value(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, (str, int, bool))


@dataclass(frozen=True)
class Payloads:
    """The payloads a message may carry: ``None`` for "any well-formed name" (a model
    without a domain, where Rasa checks none either)."""

    intents: Optional[frozenset[str]] = None
    entities: Optional[frozenset[str]] = None

    @classmethod
    def of(cls, domain: Domain) -> Payloads:
        return cls(frozenset(domain.intents), frozenset(domain.entities))

    def accepts(self, text: str) -> bool:
        """Whether Rasa's handler will read ``text`` as a payload without a warning."""
        match = _PAYLOAD.fullmatch(text.strip())
        if match is None:
            return False
        if self.intents is not None and match["intent"] not in self.intents:
            return False
        if match["entities"] is None:
            return True
        try:
            entities = json.loads(match["entities"])
        except (ValueError, RecursionError):
            return False
        if not isinstance(entities, dict):
            return False
        for name, value in entities.items():
            if self.entities is not None and name not in self.entities:
                return False
            values = value if isinstance(value, list) else [value]
            if not all(_plain_value(item) for item in values):
                return False
        return True

    def read(self, text: str) -> str:
        """``text`` when it is a known payload or does not start with "/"; otherwise the
        words without the leading slashes ("/contact moi@…" → "contact moi@…")."""
        if not text.lstrip().startswith("/") or self.accepts(text):
            return text
        return _SLASHES.sub("", text, count=1)


def model_payloads(model_storage: ModelStorage, execution_context: ExecutionContext) -> Payloads:
    """The payloads of the model being loaded, from the domain it was trained with."""
    for node in execution_context.graph_schema.nodes.values():
        if node.resource is None or not issubclass(node.uses, DomainProvider):
            continue
        try:
            with model_storage.read_from(node.resource) as directory:
                return Payloads.of(Domain.from_path(directory))
        except Exception as error:  # a model without a readable domain: names checked only
            log.warning("input_guard.no_domain: %s", type(error).__name__)
    return Payloads()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class InputGuard(ParseOnly):
    def __init__(self, payloads: Optional[Payloads] = None) -> None:
        self.payloads = payloads or Payloads()

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> GraphComponent:
        return cls(model_payloads(model_storage, execution_context))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Read training examples as messages will be read: without a greeting preamble."""
        for message in training_data.training_examples:
            text = message.get(TEXT)
            if isinstance(text, str):
                message.set(TEXT, without_preamble(text))
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if isinstance(message.get(TEXT), str):
                message.set(TEXT, self.payloads.read(message.get(TEXT)))
            found = problem(message.get(TEXT))
            if found:
                message.set(PROBLEM_KEY, found, add_to_output=True)
            if found == "too_long":
                message.set(TEXT, message.get(TEXT)[:MAX_CHARS])
            elif found is None and not message.get(TEXT).startswith("/"):
                message.set(TEXT, without_preamble(without_markup(message.get(TEXT))))
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class InputVerdict(ParseOnly):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if message.get(PROBLEM_KEY) and not str(message.get(TEXT, "")).startswith("/"):
                verdict = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": 1.0}
                message.set(INTENT, verdict, add_to_output=True)
                ranking = message.get(INTENT_RANKING_KEY) or []
                message.set(INTENT_RANKING_KEY, [verdict, *ranking], add_to_output=True)
        return messages
