"""Per-language tokenization and lookup lemmas with blank spaCy pipelines.

Official pretrained spaCy models cannot be installed here, so each message is tokenized
by ``spacy.blank(lang)`` in its own language with the lookup lemmatizer tables from
``spacy-lookups-data``. Lemmas are lower-cased and stripped of accents, because people
type "eligible", "developpeur" and "salaire" alike. Links and e-mail addresses are left out.

Building the French pipeline took seconds (spaCy compiles its French tokenizer exceptions
into one large regular expression on import): ``regex_cache`` keeps that compiled pattern
between runs, and the pipelines are built once per process in a background thread, started
when the component is created, while Rasa loads the classifiers.
"""

from __future__ import annotations

import threading
import unicodedata
from concurrent.futures import Future
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language

from bot.domain.nlu_keys import LANGUAGE_KEY
from bot.rasa_server.nlu import regex_cache
from bot.wording import i18n


def fold(text: str) -> str:
    """Lower case without accents: ``Éligibilité`` → ``eligibilite``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def blank_pipeline(language: str) -> Language:
    with regex_cache.remembered():
        nlp = spacy.blank(language)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


_pipelines: dict[str, Future[Language]] = {}
_lock = threading.Lock()


def preload() -> None:
    """Starts building every language's pipeline in one background thread, once."""
    with _lock:
        if _pipelines:
            return
        for language in i18n.LANGUAGES:
            _pipelines[language] = Future()
    threading.Thread(target=_build_all, name="spacy-pipelines", daemon=True).start()


def _build_all() -> None:
    for language, future in _pipelines.items():
        try:
            future.set_result(blank_pipeline(language))
        except BaseException as error:  # handed to whoever asks for the pipeline
            future.set_exception(error)


def pipeline(language: str) -> Language:
    """The language's pipeline, waiting for it if it is still being built."""
    preload()
    return _pipelines[language].result()


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
        preload()

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
        nlp = pipeline(language)
        doc = nlp.get_pipe("lemmatizer")(nlp.make_doc(lowered))
        words = [t for t in doc if not t.is_space and not (t.is_punct and len(t.text) == 1)]
        # A link or an address says nothing of what is asked, and its pieces ("etalab",
        # "candidature", "gouv") pulled "j'ai trouvé https://…, c'est là qu'on postule ?"
        # away from its question: left out, unless nothing else is left.
        kept = [t for t in words if not (t.like_url or t.like_email)] or words
        tokens = [
            Token(text[t.idx : t.idx + len(t.text)], t.idx, lemma=fold(t.lemma_ or t.text))
            for t in kept
        ]
        return self._apply_token_pattern(tokens)
