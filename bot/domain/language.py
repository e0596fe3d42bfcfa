"""Which language a message is in, and when the conversation should switch to it.

Short or neutral messages ("ok", "merci", an e-mail, a number, a name) never switch the
language; a confident sentence of three words or more does; an explicit request always
does. The supported languages and the reading of a language tag or an Accept-Language
header are here too: every process agrees on them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from lingua import LanguageDetector

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
MIN_WORDS = 3
MIN_CONFIDENCE = 0.8

_POLITE = r"(?:\s+(?:please|pls|plz|svp|stp|s'?il\s+(?:te|vous)\s+pla[iî]t))?"
_ASK = (
    r"(?:in|en|speak|talk|write|reply\s+in|answer\s+in|respond\s+in|switch\s+to|"
    r"switch\s+(?:back\s+)?to|continue\s+in|change\s+to|go\s+back\s+to|"
    r"parle[rsz]?|parlons|r[ée]ponds?|r[ée]pondez|r[ée]pondre|[ée]cris|[ée]crire|"
    r"passe[rz]?\s+en|passons\s+en|continue[rz]?\s+en|repasse[rz]?\s+en|revenir\s+en)"
)
_TARGETS = {
    "en": r"(?:english|anglais|eng)",
    "fr": r"(?:french|fran[cç]ais|francais|fr)",
}
_EXPLICIT = {
    code: (
        re.compile(rf"\b{_ASK}\s+{target}\b", re.IGNORECASE),
        re.compile(rf"^\W*(?:in\s+|en\s+)?{target}{_POLITE}\W*$", re.IGNORECASE),
    )
    for code, target in _TARGETS.items()
}
_NEUTRAL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|[\d.,:/+-]+", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
# Everyday chat words that only one of the two languages uses. They settle a guess the
# statistical detector is unsure of ("t'es un robot ?", "ok oui vas-y"); they never make
# a message confident enough to switch the conversation.
_MARKERS = {
    "fr": set(
        (
            "oui ouais non merci bonjour bonsoir salut svp stp je j'ai j'suis jsuis tu t'es "
            "il elle nous vous ils c'est c'était ça ca est-ce qu'est-ce quoi koi comment "
            "quand combien pourquoi où ou et les des du une aux au avec pour dans sur mais "
            "donc vas-y y-a ya moi toi mon ma mes ton ta tes votre vos notre nos qui que quel "
            "quelle quels quelles peut peux faut suis sont avez avoir être aussi très trop "
            "beaucoup"
        ).split()
    ),
    "en": set(
        (
            "yes yeah yep nope thanks thank thx hello hi hey please pls plz the is are was "
            "were you your yours i'm i've it's what's how's what how when who where which why "
            "can could would should do does did don't my mine our their there this that these "
            "those of and with for from about into will have has had be been am also very too "
            "much"
        ).split()
    ),
}


def normalize(language: Optional[str]) -> Optional[str]:
    """``"en-GB"``, ``"EN"``, ``"en_US"`` → ``"en"``; anything unsupported → None."""
    if not language or not isinstance(language, str):
        return None
    code = language.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def from_accept_language(header: Optional[str]) -> Optional[str]:
    """The best supported language in an Accept-Language header, by quality."""
    if not header or not isinstance(header, str):
        return None
    ranked = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        language = normalize(pieces[0])
        if language and quality > 0:
            ranked.append((-quality, position, language))
    return min(ranked)[2] if ranked else None


@dataclass(frozen=True)
class Detection:
    language: Optional[str]
    confidence: float
    words: int
    confident: bool
    explicit: Optional[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # Imported here: the processes that only read language tags never load the detector.
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(Language.FRENCH, Language.ENGLISH)
        .with_preloaded_language_models()
        .build()
    )


def explicit_request(text: str) -> Optional[str]:
    """``"in English please"`` → ``"en"``; ``"en français"`` → ``"fr"``; else None."""
    found = {
        code
        for code, patterns in _EXPLICIT.items()
        if any(pattern.search(text) for pattern in patterns)
    }
    return found.pop() if len(found) == 1 else None


def words(text: str) -> int:
    """Words of letters, once e-mails, links and numbers are set aside."""
    return len(_WORD.findall(_NEUTRAL.sub(" ", text)))


def detect(text: str) -> Detection:
    """The language a message is most likely in, and whether that is sure enough to act on."""
    cleaned = _NEUTRAL.sub(" ", text or "").strip()
    count = words(cleaned)
    explicit = explicit_request(text or "")
    if count == 0:
        return Detection(None, 0.0, 0, False, explicit)
    values = _detector().compute_language_confidence_values(cleaned)
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    confident = count >= MIN_WORDS and best.value >= MIN_CONFIDENCE
    if not confident:
        code = _markers_vote(cleaned) or code
    value = next(v.value for v in values if v.language.iso_code_639_1.name.lower() == code)
    return Detection(code, round(value, 4), count, confident, explicit)


def _markers_vote(text: str) -> Optional[str]:
    """The language whose everyday words the text uses more, if one clearly does."""
    tokens = [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]
    fr = sum(t in _MARKERS["fr"] for t in tokens)
    en = sum(t in _MARKERS["en"] for t in tokens)
    if fr > en:
        return "fr"
    if en > fr:
        return "en"
    return None


def decide(
    current: Optional[str],
    detection: Optional[Mapping[str, Any]],
    metadata: Optional[Mapping[str, Any]],
    intent: Optional[str] = None,
) -> Optional[str]:
    """The language the conversation should be in after this message.

    At session start: the page's language, then Accept-Language, then what the first
    message looks like, then French. Later: an explicit request, or a confident message.
    """
    current = normalize(current)
    detection = detection if isinstance(detection, Mapping) else {}
    metadata = metadata if isinstance(metadata, Mapping) else {}
    explicit = normalize(detection.get("explicit"))
    if explicit:
        return explicit
    if intent == "change_language" and current:
        return "en" if current == "fr" else "fr"
    detected = normalize(detection.get("language"))
    if current is None:
        return (
            normalize(metadata.get("language"))
            or from_accept_language(metadata.get("accept_language"))
            or detected
            or DEFAULT_LANGUAGE
        )
    if detection.get("confident") and detected and detected != current:
        return detected
    return current
