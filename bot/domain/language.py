"""Which language a message is in, and which language the assistant answers it in.

A conversation has a language (``home``), and each reply has one. What is not language is
set aside before the detector reads a message: e-mails, links, domain names, numbers,
codes and references (``EIG-7K3M-Q9XZ``), markup, code, names (capitalised words past a
sentence's start) and acronyms. Then:

- an explicit request ("in English please", "en français") switches the conversation, and
  so does a request to change language that names no target ("change de langue") — only
  when the message does speak of languages, whatever the classifier thought;
- saying one does not speak a language ("sorry, I don't speak French very well", "je ne
  parle pas anglais") asks for the other one, and asking for one's own language ("je
  préférerais qu'on échange dans ma langue") for the language the message is in: both
  are explicit requests;
- a confident message in the other language (three words or more left, the detector at
  0.8 or more) is answered in its language, but the conversation keeps its own: one
  English question in a French conversation gets an English answer, and "ok" after it a
  French one. A second confident message in a row in that language switches the
  conversation, and so does a long one (``LONG_MESSAGE_WORDS``: someone who writes a
  paragraph in a language is not trying out one question in it);
- anything else ("slt", "ok", "merci bcp", an e-mail, a first name, a reference) is
  answered in the conversation's language.

At a session's start the conversation takes the page's language, then Accept-Language,
then the first message's, then French. The supported languages and the reading of a
language tag or an Accept-Language header are here too: every process agrees on them.
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
MIN_MARKERS = 3  # everyday words of one language, none of the other: sure below MIN_CONFIDENCE
LONG_MESSAGE_WORDS = 15  # a confident message this long switches the conversation at once

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
# "I don't speak French very well", "je ne parle pas bien anglais", "je parle pas anglais":
# the language named is the one NOT wanted.
_NOT_SPOKEN = {
    code: re.compile(
        rf"\b(?:(?:don'?t|do\s+not|can'?t|cannot|can\s+not|doesn'?t|does\s+not)\s+"
        rf"(?:really\s+|actually\s+|quite\s+)?(?:speak|understand|read|write)|"
        rf"(?:ne\s+|n')?(?:parle|comprends|lis|ma[iî]trise)\s+pas\s+(?:tr[eè]s\s+|vraiment\s+)?"
        rf"(?:bien\s+)?(?:l')?|(?:poor|bad|limited|no)|(?:mauvais|pas\s+bon)\s+en|"
        rf"(?:my|mon)\s+(?:\w+\s+)?(?:is\s+(?:not|bad|poor|limited)|est\s+(?:nul|mauvais|limit[ée]))"
        rf")\s*{target}\b",
        re.IGNORECASE,
    )
    for code, target in _TARGETS.items()
}
# "je préférerais qu'on échange dans ma langue", "in my own language please": the language
# the message itself is written in.
_OWN_LANGUAGE = re.compile(
    r"\b(?:dans|en)\s+ma\s+(?:propre\s+)?langue|\bin\s+my\s+(?:own\s+)?(?:language|"
    r"mother\s+tongue|native\s+language)",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"<[^<>]{0,300}>|&#?\w{1,10};")
_LETTER_OR_DIGIT = re.compile(r"\w")
_OPERATOR = re.compile(r"\w\s+(?:=|==|!=|<=|>=|:=|\+=)\s+\w")  # "id = 3", "x == y"
_CODE = re.compile(r"\S*(?:[{}\[\];=<>$\\|`]|\w\(|\)\.|::|->|\w_\w)\S*")
_NEUTRAL = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+"
    r"|\b(?:[\w-]+\.)+(?:fr|com|org|net|io|eu|gouv|info|dev|app|co|uk|be|ch|ca|de)\b\S*"
    r"|\b(?=[\w-]*\d)[\w-]+"  # references and codes: EIG-7K3M-Q9XZ, A12B, 4ans
    r"|[\d.,:/+-]*\d[\d.,:/+-]*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_SENTENCE_ENDS = ".!?…:\n"
# A message about the language itself: what the change_language intent must be about before
# it switches anything ("et pour 15 ans d'expérience ?" read as one switches nothing).
_ABOUT_LANGUAGE = re.compile(
    r"\b(anglais|english|eng|fran[cç]ais|francais|french|fr|langue|langues|language|languages|"
    r"traduire|traduis|traduction|translate|translation|bilingue|bilingual|lang)\b",
    re.IGNORECASE,
)
_PRONOUN_I = {"i", "i'm", "i've", "i'd", "i'll", "i’m", "i’ve", "i’d", "i’ll"}
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
            "beaucoup le la un de en pas ne ce cette ces son ses leur leurs tout tous toute "
            "toutes"
        ).split()
    ),
    "en": set(
        (
            "yes yeah yep nope thanks thank thx hello hi hey please pls plz the is are was "
            "were you your yours i'm i've it's what's how's what how when who where which why "
            "can could would should do does did don't my mine our their there this that these "
            "those of and with for from about into will have has had be been am also very too "
            "much it to in an any they them we than then not but if at by get got just "
            "i up out us"
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
    about_language: bool = False  # the message speaks of languages (``asks_about_language``)

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
    """``"in English please"`` → ``"en"``; ``"en français"`` → ``"fr"``; ``"sorry, I don't
    speak French"`` → ``"en"``; else None."""
    refused = {code for code, pattern in _NOT_SPOKEN.items() if pattern.search(text)}
    if len(refused) == 1:
        return next(language for language in LANGUAGES if language not in refused)
    found = {
        code
        for code, patterns in _EXPLICIT.items()
        if any(pattern.search(text) for pattern in patterns)
    }
    return found.pop() if len(found) == 1 else None


def asks_for_own_language(text: str) -> bool:
    """ "je préférerais qu'on échange dans ma langue": the language the message is in."""
    return _OWN_LANGUAGE.search(text) is not None


def set_aside(text: str) -> str:
    """``text`` without what is not language: e-mails, links, numbers, codes, markup, names.

    Names are capitalised words past a sentence's start ("je suis Inès Martin"), or every
    word of a message whose words are all capitalised ("Jean-Baptiste Martin"); acronyms
    ("EIG", "DINUM") and shouted words too.
    """
    cleaned = _NEUTRAL.sub(" ", _CODE.sub(" ", _MARKUP.sub(" ", text or "")))
    tokens = list(_TOKEN.finditer(cleaned))
    if not tokens:
        return ""

    def capitalised(token: str) -> bool:
        return token[0].isupper() and token.lower() not in _PRONOUN_I

    def starts_sentence(position: int) -> bool:
        before = cleaned[:position].rstrip(" \t")
        return not before or before[-1] in _SENTENCE_ENDS

    all_capitalised = len(tokens) > 1 and all(capitalised(t.group()) for t in tokens)
    kept = []
    for match in tokens:
        token = match.group()
        shouted = len(token) > 1 and token.isupper()
        # "Jean-Baptiste", "Île-de-France": a compound with a capital inside is a name even
        # first ("Est-ce que", "Peut-être" are not).
        compound = any(part[:1].isupper() for part in re.split(r"[-’']", token)[1:])
        name = capitalised(token) and (
            all_capitalised or compound or not starts_sentence(match.start())
        )
        if not (shouted or name):
            kept.append(token)
    return " ".join(kept)


# "il faut parler anglais ?", "do I need to speak French?": a question about what the
# programme requires, not a request to change the conversation's language.
_REQUIREMENT = re.compile(
    r"\b(faut|faudra|faudrait|exig\w*|requis|requise|n[eé]cessaire|obligatoire|niveau|"
    r"courant|ma[iî]trise\w*|demand[eé]\w*|need|needs|needed|required|requirement\w*|"
    r"must|mandatory|level|fluent|fluency|"
    # "were they in English or French?", "les entretiens se passent en anglais ?": the
    # language something of the programme is in
    r"english or french|french or english|anglais ou (?:en )?fran[cç]ais|"
    r"fran[cç]ais ou (?:en )?anglais|which language|what language|quelle langue|"
    r"were they in|was it in|is it held in|are they held in|held in|take place in|"
    r"[ée]tait en|[ée]taient en|se passe en|se passent en|se d[ée]roule en|"
    r"se d[ée]roulent en)\b",
    re.IGNORECASE,
)


def asks_language_requirement(text: str) -> bool:
    """ "et il faut parler anglais ?": whether the programme requires a language."""
    return _ABOUT_LANGUAGE.search(text or "") is not None and (
        _REQUIREMENT.search(text or "") is not None
    )


def asks_about_language(text: str) -> bool:
    """ "change de langue", "do you speak English?": the message is about the language (not
    about a language the programme would require: ``asks_language_requirement``)."""
    return _ABOUT_LANGUAGE.search(text or "") is not None and not asks_language_requirement(text)


def words(text: str) -> int:
    """Words of letters, once what is not language is set aside (``set_aside``)."""
    return len(_WORD.findall(set_aside(text)))


def detect(text: str) -> Detection:
    """The language a message is most likely in, and whether that is sure enough to act on."""
    cleaned = set_aside(text or "")
    count = len(_WORD.findall(cleaned))
    # "do I need to speak French?" asks what the programme requires, not for French
    requirement = asks_language_requirement(text or "")
    explicit = None if requirement else explicit_request(text or "")
    about = asks_about_language(text or "")
    if count == 0:
        return Detection(None, 0.0, 0, False, explicit, about)
    values = _detector().compute_language_confidence_values(cleaned)
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    # Markup or code around the words: pasted or typed as such, never a reason to switch.
    technical = bool(_MARKUP.search(text) or _OPERATOR.search(text)) or any(
        _LETTER_OR_DIGIT.search(code.group()) for code in _CODE.finditer(text)
    )
    # "et le salary ?": the detector's guess for a few words, against their everyday words.
    markers = _markers(cleaned)
    vote = _vote(markers)
    contradicted = vote is not None and vote != code
    # "et c'est quel type de contrat ?": four everyday French words and no English one say
    # what the detector, unsure of "type" and "contrat", guessed.
    other = next(language for language in LANGUAGES if language != code)
    # "c'est en net ?": in three words, two everyday words of one language and none of the
    # other say it as surely.
    marked = vote == code and markers[other] == 0 and markers[code] >= min(MIN_MARKERS, count - 1)
    confident = (
        count >= MIN_WORDS
        and (best.value >= MIN_CONFIDENCE or marked)
        and not technical
        and not contradicted
    )
    if not confident:
        code = vote or code
    elif explicit is None and asks_for_own_language(text):
        explicit = code  # "… dans ma langue": the language it is written in
    value = next(v.value for v in values if v.language.iso_code_639_1.name.lower() == code)
    return Detection(code, round(value, 4), count, confident, explicit, about)


def _markers(text: str) -> dict[str, int]:
    """How many everyday words of each language the text uses."""
    tokens = [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]
    return {language: sum(t in _MARKERS[language] for t in tokens) for language in LANGUAGES}


def _vote(markers: Mapping[str, int]) -> Optional[str]:
    """The language whose everyday words the text uses more, if one clearly does."""
    if markers["fr"] > markers["en"]:
        return "fr"
    if markers["en"] > markers["fr"]:
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
    if intent == "change_language" and current and detection.get("about_language"):
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


@dataclass(frozen=True)
class Languages:
    """The language of the reply to a message, and the conversation's after it."""

    reply: str
    home: str


def follow(
    home: Optional[str],
    replied: Optional[str],
    detection: Optional[Mapping[str, Any]],
    metadata: Optional[Mapping[str, Any]],
    intent: Optional[str] = None,
    answers_a_form: bool = False,
) -> Languages:
    """The languages after this message (the rules are in this module's docstring).

    ``home``: the conversation's language so far (None at a session's start, or in a
    conversation from before there was one: then ``replied``); ``replied``: the language
    the previous message was answered in; ``answers_a_form``: the message answers a form's
    question ("Senior software engineer, 12 years" in a French pre-application): job titles
    and names are often English, so only an explicit request changes the language there.
    """
    replied = normalize(replied)
    home = normalize(home) or replied
    detection = detection if isinstance(detection, Mapping) else {}
    explicit = normalize(detection.get("explicit"))
    if explicit:
        return Languages(explicit, explicit)
    if home is None:
        home = decide(None, detection, metadata, intent) or DEFAULT_LANGUAGE
    elif intent == "change_language" and detection.get("about_language"):
        home = "en" if home == "fr" else "fr"
        return Languages(home, home)
    detected = normalize(detection.get("language"))
    if answers_a_form:
        return Languages(home, home)
    if detection.get("confident") and detected and detected != home:
        if replied == detected:
            return Languages(detected, detected)  # the second in a row: the conversation's
        if int(detection.get("words") or 0) >= LONG_MESSAGE_WORDS:
            return Languages(detected, detected)  # a paragraph in it: the conversation's
        return Languages(detected, home)
    return Languages(home, home)
