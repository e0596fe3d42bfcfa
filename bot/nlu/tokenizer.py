"""Per-language tokenization and lookup lemmas with blank spaCy pipelines.

Official pretrained spaCy models cannot be installed here, so each message is tokenized
by ``spacy.blank(lang)`` in its own language with the lookup lemmatizer tables from
``spacy-lookups-data``. Lemmas are lower-cased and stripped of accents, because people
type "eligible", "developpeur" and "salaire" alike.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language

from bot import i18n
from bot.nlu import LANGUAGE_KEY


def fold(text: str) -> str:
    """Lower case without accents: ``Éligibilité`` → ``eligibilite``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def blank_pipeline(language: str) -> Language:
    nlp = spacy.blank(language)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class SpacyLookupTokenizer(Tokenizer):
    """Tokenizes each message with the blank spaCy pipeline of its detected language."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._pipelines = {language: blank_pipeline(language) for language in i18n.LANGUAGES}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SpacyLookupTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        language = i18n.normalize(message.get(LANGUAGE_KEY)) or i18n.DEFAULT_LANGUAGE
        text = message.get(attribute) or ""
        # Lookup tables are lower case ("Les" would stay "Les"); keep the original spans.
        lowered = text.lower() if len(text.lower()) == len(text) else text
        pipeline = self._pipelines[language]
        doc = pipeline.get_pipe("lemmatizer")(pipeline.make_doc(lowered))
        tokens = [
            Token(text[t.idx : t.idx + len(t.text)], t.idx, lemma=fold(t.lemma_ or t.text))
            for t in doc
            if not t.is_space and not (t.is_punct and len(t.text) == 1)
        ]
        return self._apply_token_pattern(tokens)
