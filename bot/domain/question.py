"""Reads what a question says beyond its topic, and cuts a message into its questions.

"avec 15 ans je touche combien ?", "la paie de la promo 3 ?", "webinars of EIG 5?", "and
for a junior?": the topic comes from the NLU; this module reads the case the question is
about (``read``): the years of experience, the promotion (its number or the year of its
call), the profile and the seniority it names, and whether it asks for a time. It also says
whether a message leans on the previous answer (``leans_on_previous``: "et avec 15 ans ?",
"what about the 6th?"), cuts a message that asks two things at once into its questions
(``clauses``: "quel salaire et quel type de contrat ?"), and decides which FAQ topics a
message asks about, given the previous answer (``topics_to_answer``).

Numbers written in words are read with ``text2num`` in French and English; years of
experience are whole years, as the pre-application reads them (``reading.read_years``:
"10 ans et demi" is 10, so the 10-year boundary falls where ``fit.salary_band`` puts it).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Optional

from text_to_num import alpha2digit

from bot.domain import reading
from bot.domain.fields import MAX_YEARS
from bot.domain.knowledge import Knowledge
from bot.domain.language import explicit_request

JUNIOR, SENIOR = "junior", "senior"
MIN_AGE = 18  # "j'ai 12 ans" alone cannot be a candidate's age: years of experience
MAX_PROMOTION = 30  # a number above this next to "promo" is not a promotion's rank
ARTICLE_NUMBERS = 2  # "un", "une", "one" alone may be articles: no bare number below this


def _plain(text: str) -> str:
    """Lower case, no accents, apostrophes and hyphens as spaces, one space between words."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`\-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def digitised(text: str, threshold: int = 0) -> str:
    """The text with its numbers in digits ("quinze ans" → "15 ans", "fifth" → "5th"),
    then folded (``_plain``). French ordinals typed without accents are read too. A number
    word alone below ``threshold`` stays a word ("un", "one": an article as often as not)."""
    lowered = reading.with_halves_said(text.lower())
    lowered = re.sub(r"\b(\w+?)ieme(s?)\b", r"\1ième\2", lowered)
    lowered = re.sub(r"\bpremiere\b", "première", lowered)
    for language in ("fr", "en"):
        lowered = alpha2digit(lowered, language, threshold=threshold)
    return _plain(lowered)


# ---- Years of experience -----------------------------------------------------------------

_YEARS_UNIT = r"(?:ans?|annees?|years?|yrs?|piges?)"
_NUMBER = r"(\d{1,3}(?:[.,]\d+)?)"
_MORE = (
    r"(?:plus de|\+ de|\+|au dela de|au dela des|au dessus de|superieure? a|more than|over|"
    r"above|beyond|(?<!the )past|passee?s?|apres|after|depasse\w*|pass|passed|passing|"
    r"exceed\w*)"  # "past 10 years" is beyond; "for the past 10 years", ten; "passé dix ans
    # de carrière", "after ten years", "once I pass 10 years", "dépassé les 10 ans", beyond
    r"(?:\s+(?:les|le|the|cap des|the mark of))?"
)
_LESS = r"(?:moins de|less than|under|below|fewer than)"
_HALF = r"(?:et demi|and a half)"
_YEARS = re.compile(
    rf"(?:(?P<more>{_MORE})\s*|(?P<less>{_LESS})\s*)?\b{_NUMBER}\s*(?P<plus>\+)?"
    rf"(?P<half_before>\s+{_HALF})?\s*{_YEARS_UNIT}\b(?P<half>\s+{_HALF})?"
    # "10 ans et 3 mois", "10 years and 6 months"
    rf"(?P<months>\s+(?:et|and|plus)\s+(?:[1-9]|1[01]|quelques|a few|some|several)\s+"
    r"(?:mois|months?)\b)?"
)
_DECADES = re.compile(r"\b(?:a|an|one|une|1)\s+(?:decennie|decade)\b")
_DECADE_AND_A_HALF = re.compile(r"\b(?:decennie et demie?|decade and a half)\b")
_ONE_YEAR = re.compile(r"\b(?:a|an|one|1)\s+year\b|\b1\s+an\b")
# Words that make a duration one of experience, not an age or a contract's length.
_EXPERIENCE = reading.EXPERIENCE_SAID
_AGE = re.compile(
    r"\b(years? old|yo|age|ages|agee?s?|ne en|nee en|born|anniversaire)\b|"
    r"\b(j ai|il a|elle a|i m|i am|he s|she s|he is|she is)\s+\d{1,2}\s*(ans?|years?)?\s*$|"
    r"\b(j ai|il a|elle a|i m|i am)\s+\d{1,2}\s*(ans?|years?)?\s*[,.;!?]"
)
# "j'ai 45 ans" alone is an age; "avec 15 ans", "15 ans tout pile" are experience.
_HAS = re.compile(r"\b(j ai|il a|elle a|on a|i have|i ve got|he has|she has|has)\s+$")
_CONTRACT_LENGTH = re.compile(r"\b(contrat|contract|cdd|mission|duree|renouvel\w*|renew\w*)\b")
_CAREER_SINCE = re.compile(
    r"\b(?:depuis|since|started in|started working in|commence en|debute en|"
    r"j ai commence en|i started in)\s+((?:19|20)\d\d)\b"
)


@dataclass(frozen=True)
class Years:
    value: int
    stated: bool  # said with an experience word ("12 ans d'expérience", "6 yrs of xp")
    exact: bool = True  # False for "plus de 10 ans": only the side of the boundary is known


# "dans deux ans j'en aurai onze", "in 2 years I'll have 11": a time from now, not years of
# experience.
_FROM_NOW = re.compile(rf"\b(?:dans|d ici|in|within)\s+(?:\d{{1,2}}|un|une|a)\s*{_YEARS_UNIT}\b")


# A year's unit said at all: only then is a message digitised to look for a time from now
# (``QuestionReader`` asks it of every message it flags).
_YEARS_SAID = re.compile(rf"\b{_YEARS_UNIT}\b")


def names_time_from_now(text: str) -> bool:
    """ "dans deux ans j'en aurai onze", "in 2 years": a time from now named."""
    if _YEARS_SAID.search(_plain(text)) is None:
        return False
    return _FROM_NOW.search(digitised(text)) is not None


def without_time_from_now(folded: str) -> str:
    """A digitised text without the times from now it names ("dans 2 ans", "in 2 years")."""
    return _FROM_NOW.sub(" ", folded)


# "en fait j'en ai plutôt 11 si je compte mon alternance", "it's closer to 12": years named
# by "en" (the years the conversation speaks of) or a correction's number, alone, no unit of
# its own ("dans deux ans j'en aurai onze" is a time from now: ``bare_years``).
_YEARS_BY_PRONOUN = re.compile(
    # "actually it's closer to 12, does that change it?": the number a correction gives
    r"(?:\bj en (?:ai|aurais|avais)|\b(?:closer to|more like|nearer to|rather))\s+"
    r"(?:(?:plutot|presque|quasi(?:ment)?|environ|pile|exactement|deja|bientot|a peu pres|"
    r"genre|dans les)\s+)?(\d{1,2})\b(?![.,]?\d|\s*(?:[%€$\d]|(?:e|eme|k|h|mois|heures?|"
    r"semaines?|jours?|enfants?|personnes?|startups?|boites?|entreprises?|euros?|months?|"
    r"weeks?|days?|hours?|people|kids?|children|companies|startups?)\b))"
)


def read_years(text: str, today: dt.date) -> Optional[Years]:
    """Years of experience a question gives, as whole years; None for an age ("j'ai 45
    ans") or none at all. "plus de 10 ans" is 11 and "moins de 10 ans" 9: the side of the
    boundary they name; "depuis 2015" counts the years to ``today``; "dans 2 ans" is no
    experience."""
    # "the variable for >10 yrs": beyond ten
    folded = without_time_from_now(
        digitised(
            re.sub(r"[>≥]\s*(?=\d)", " more than ", re.sub(r"[<≤]\s*(?=\d)", " less than ", text))
        )
    )
    if _AGE.search(folded):
        return None
    stated = bool(_EXPERIENCE.search(folded))
    since = _CAREER_SINCE.search(folded)
    if since:
        years = today.year - int(since.group(1))
        return Years(years, True) if 0 <= years <= MAX_YEARS else None
    match = _YEARS.search(folded)
    if match is None and _DECADES.search(folded) and not re.search(r"\bold\b", folded):
        # "what if it were a decade and a half?", "une décennie d'expérience"
        return Years(15 if _DECADE_AND_A_HALF.search(folded) else 10, stated)
    if match is None:
        counted = _YEARS_BY_PRONOUN.search(folded)
        if counted and int(counted.group(1)) <= MAX_YEARS:
            return Years(int(counted.group(1)), stated)  # "en fait j'en ai plutôt 11"
        one = _ONE_YEAR.search(folded)
        if one is None or _CONTRACT_LENGTH.search(folded):
            return None
        return Years(1, stated)
    has = not stated and _HAS.search(folded[: match.start()])
    if has and float(match.group(3).replace(",", ".")) >= MIN_AGE:
        return None  # "j'ai 30 ans": an age; "I've got more than 10 yrs?", experience
    value = float(match.group(3).replace(",", "."))
    half = match.group("half") or match.group("half_before") or match.group("months")
    more = match.group("more") or match.group("plus")  # "10+ ans"
    return _counted(value, more, match.group("less"), half, stated, folded)


def _counted(
    value: float, more: Any, less: Any, half: Any, stated: bool, folded: str
) -> Optional[Years]:
    """Whole years from a number read: "plus de 10" is 11 and "moins de 10" 9, the side of
    the boundary they name; so is "10 ans et demi" (or "10,5 ans", "10 ans et 3 mois"):
    11, past 10 ("au-delà de 10 ans", as the texts put it), as the pre-application counts
    it (``reading.read_years``)."""
    fraction = bool(half) or value != int(value)
    exact = not (more or less or fraction)
    if more or (fraction and not less):
        value = int(value) + 1
    elif less:
        value = max(0, int(value) - (0 if value != int(value) else 1))
    years = int(value)
    if not 0 <= years <= MAX_YEARS:
        return None
    if not stated and _CONTRACT_LENGTH.search(folded):
        return None  # "un contrat de 2 ans ?"
    return Years(years, stated, exact)


# "et si j'en ai exactement 10 ?", "and at 11?" after the pay: a number alone, which the
# pay's answer makes years of experience (``ActionAnswerFaq``), not a money amount, a
# share, an hour, a rank or a year.
_BARE_NUMBER = re.compile(
    r"(?<![\d.,])\b(\d{1,2})\b(?![.,]\d)(?!\s*(?:%|€|eur|euros?|k\b|h\b|heures?|hours?|"
    r"e\b|er\b|eme\b|ieme\b|th\b|st\b|nd\b|rd\b|°|mois|months?|semaines?|weeks?|jours?|"
    r"days?|personnes?|people|eigs?|postes?|places?))"
)


_NUMBER_ALONE = re.compile(
    rf"(?:(?P<more>{_MORE})\s*|(?P<less>{_LESS})\s*)?\b(\d{{1,2}})\b(?P<half>\s+{_HALF})?"
)


def bare_years(text: str) -> Optional[Years]:
    """The years a follow-up of the pay gives as a number alone ("and past 10?", "et 10 et
    demi ?", "plutôt 11 en fait"): ``bare_number``, on the side of the boundary it names."""
    folded = without_time_from_now(digitised(text, threshold=ARTICLE_NUMBERS))
    number = _bare_number_in(folded)
    if number is None:
        return None
    match = _NUMBER_ALONE.search(folded)
    if match is None:
        return Years(number, False)
    return _counted(
        float(number), match.group("more"), match.group("less"), match.group("half"), False, ""
    )


def bare_number(text: str) -> Optional[int]:
    """The one small number of a short message that gives no unit, if it has one ("et le
    contrat, c'est un CDI ?" gives none: "un" is its article)."""
    return _bare_number_in(digitised(text, threshold=ARTICLE_NUMBERS))


def _bare_number_in(folded: str) -> Optional[int]:
    """``bare_number`` of a text already digitised."""
    if len(re.findall(r"\w+", folded)) > MAX_NUMBER_FOLLOW_UP_WORDS:
        return None
    found = _BARE_NUMBER.findall(folded)
    if len(found) != 1 or len(re.findall(r"\d+", folded)) != 1:
        return None
    value = int(found[0])
    return value if 0 <= value <= MAX_YEARS else None


# ---- Promotions and years of a call --------------------------------------------------------

_PROMO_WORD = r"(?:promos?|promotions?|cohortes?|cohorts?|editions?|vagues?|sessions?|batch|class)"
_ORDINAL = r"(?:e|er|ere|re|eme|ieme|nd|rd|th|st|°)"
_PROMOTION_PATTERNS = (
    re.compile(rf"\b(\d{{1,2}})\s*{_ORDINAL}?\s+{_PROMO_WORD}\b"),
    re.compile(
        rf"\b{_PROMO_WORD}\s*(?:n|no|n°|numero|number|#)?\s*(\d{{1,2}})\b(?!\s*{_YEARS_UNIT})"
    ),
    re.compile(r"\beig\s*(\d{1,2})(?![\w])"),
    # "the 6th call", "le 6e appel": a promotion's call, by its rank
    re.compile(rf"\b(\d{{1,2}})\s*{_ORDINAL}\s+(?:appels?|calls?)\b"),
    # an ordinal after an article with nothing after it: "et la 5e ?", "and the 6th?" (not
    # "who reads my file first?")
    re.compile(
        rf"\b(?:la|le|les|the|des|of)\s+(\d{{1,2}})\s*{_ORDINAL}\s*(?:1|one|une?)?\s*"
        r"(?:[?!.,;]|$)"
    ),
    # "et la 5 ?" after an answer on a promotion: "la" and a rank, and nothing else
    re.compile(r"^\s*(?:(?:et|mais)\s+)?(?:pour\s+|avec\s+)?la\s+(\d{1,2})\s*[?!.]*\s*$"),
    # "and what did the 6th pay?": "the" and an English rank before a word that is no date's
    re.compile(
        r"\bthe\s+(\d{1,2})(?:th|st|nd|rd)\s+(?!of\b|day|time|floor|century|jan|feb|mar|apr|"
        r"may|jun|jul|aug|sep|oct|nov|dec|week|month|year|place|step|round|interview|person|one)"
    ),
    # "combien de défis pour la 3 ?": "la" and a rank after a preposition, at the end
    re.compile(r"\b(?:pour|de|dans|avec)\s+la\s+(\d{1,2})\s*[?!.]*\s*$"),
    # "6th one?", "right, and the 7th?", "ok et 5e ?": a rank alone, nothing else asked
    re.compile(
        rf"^\s*(?:(?:and|et|ok|okay|right|so|alors|mais|but|what about|how about)[\s,]+)*"
        rf"(?:the\s+|la\s+|le\s+)?(\d{{1,2}})\s*{_ORDINAL}\s*(?:1|one|une?)?\s*[?!.]*\s*$"
    ),
)
_CALENDAR_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_SINCE = re.compile(
    r"\b(depuis|since|started|commence|debute|from|des|"
    # "how many were recruited in total up to 2022?": the totals, not the 6th promotion
    r"up to|up until|until|through|jusqu|jusqu en|jusqu a)\s+(?:en\s+|in\s+)?$"
)


# "and the second one covered what?", "et le premier c'était sur quoi ?" right after a list
# (the webinars): one of its items by its rank, not the 2nd promotion.
_LIST_ITEM = re.compile(
    r"\b(?:first|second|1st|2nd|premier|premiere|1er|1ere|deuxieme|2e|2eme|2nd|seconde?)\b"
)


def names_a_list_item(text: str) -> bool:
    """The first or second one named, no promotion word: an item of a list just given."""
    folded = _plain(text)
    promotion_word = re.search(rf"\b{_PROMO_WORD}\b", folded) is not None
    return _LIST_ITEM.search(folded) is not None and not promotion_word


def read_promotion(text: str) -> Optional[int]:
    """The promotion a question names by its rank ("5e promo", "EIG 5", "promotion n°3")."""
    folded = digitised(text)
    for pattern in _PROMOTION_PATTERNS:
        for match in pattern.finditer(folded):
            number = int(match.group(1))
            if 1 <= number <= MAX_PROMOTION:
                return number
    return None


# "between 2016 and 2022", "de 2016 à 2022": a span of years, not one promotion's year.
# "de 2016 à 2022", and "2016 ou 2017 ?" (a doubt between two years): no one year named
_YEAR_SPAN = re.compile(
    r"\b(?:19|20)\d\d\s*(?:-|–|and|to|et|a|au|jusqu a|until|till|or|ou)\s*(?:19|20)\d\d\b"
)


def read_calendar_year(text: str) -> Optional[int]:
    """A year a question names for a call or a promotion ("la promo 2021", "en 2018"), but
    not the start of someone's career ("depuis 2015"), a span ("de 2016 à 2022") nor a doubt
    between two ("depuis 2016 ou 2017 ?")."""
    folded = _YEAR_SPAN.sub(" ", digitised(text))
    for match in _CALENDAR_YEAR.finditer(folded):
        if not _SINCE.search(folded[: match.start()]):
            return int(match.group(1))
    return None


def promotion_of_year(knowledge: Knowledge, year: int) -> Optional[int]:
    """The promotion whose call was in ``year``, the current one for a later year, or None
    when the texts name no promotion for it."""
    for promotion in knowledge.promotions.values():
        if promotion.year == year:
            return promotion.number
    known = [p.year for p in knowledge.promotions.values() if p.year]
    if known and year > max(known):
        return knowledge.current.number
    return None


# ---- Profiles, seniority, time -------------------------------------------------------------

_PROFILES = (
    (
        "technical_director",
        r"\b(cto|chief technology officer|chief technical officer|directeur technique|"
        r"directrice technique|direction technique|technical director|tech director|"
        r"engineering manager|head of engineering|vp (?:of )?engineering)\b",
    ),
    (
        "product_director",
        r"\b(cpo|chief product officer|directeur (?:de )?produit|directrice (?:de )?produit|"
        r"direction (?:de )?produit|product director|director of product|head of product|"
        r"product managers?|chefs? de produit|product owners?)\b",
    ),
    (
        "data_scientist",
        r"\b(data scien\w*|datascien\w*|data engineers?|data analysts?|machine learning|"
        r"ml engineers?|ingenieure?s? (?:de la |des )?donnees?)\b",
    ),
    (
        "developer",
        r"\b(devs?|developpeu\w*|develop(?:p)?ers?|software engineers?|programmeu\w*|"
        r"programmers?|codeu\w*|coders?|full ?stack|back ?end|front ?end)\b",
    ),
    ("designer", r"\b(designers?|designeuses?|ux|ui|ux designers?|ui designers?)\b"),
    ("digital_lawyer", r"\b(juristes?|lawyers?|droit du numerique|digital law)\b"),
    ("geomatician", r"\b(geomatici\w*|geomatics?|sig|gis|cartographes?)\b"),
)
_JUNIOR = re.compile(
    r"\b(junior|juniors|debutante?s?|debute|debutent|qui commence|beginners?|entry level|"
    r"just starting|starting out|jeunes? diplomee?s?|"
    r"fresh graduates?|new grads?|sans experience|no experience|peu d experience|"
    r"little experience|premier emploi|first job)\b"
)
_SENIOR = re.compile(
    r"\b(senior|seniors|confirmee?s?|experimentee?s?|experienced|seasoned|chevronnee?s?)\b"
)
_TIME = re.compile(
    r"\b(quelle heure|heure|heures|horaires?|what time|which time|at what time|what hour|"
    r"time of day|start time)\b"
)


def read_profile(text: str) -> Optional[str]:
    """The profile a question names by its title ("je suis dev", "CTO", "UX designer");
    None when it names none or several ("la différence entre directeur produit et directeur
    technique": the profiles in general)."""
    named = profiles_named(text)
    return named[0] if len(named) == 1 else None


def profiles_named(text: str) -> list[str]:
    """Every profile a question names by its title."""
    folded = digitised(text)
    return [profile for profile, pattern in _PROFILES if re.search(pattern, folded)]


def read_seniority(text: str) -> Optional[str]:
    folded = digitised(text)
    if _JUNIOR.search(folded):
        return JUNIOR
    if _SENIOR.search(folded):
        return SENIOR
    return None


def asks_time(text: str) -> bool:
    return bool(_TIME.search(digitised(text)))


@dataclass(frozen=True)
class Case:
    """What a question says about the case it asks about; None where it says nothing."""

    years: Optional[Years] = None
    promotion: Optional[int] = None  # by its rank
    year: Optional[int] = None  # a calendar year, when no rank is given
    profile: Optional[str] = None
    seniority: Optional[str] = None
    asks_time: bool = False
    several_profiles: bool = False  # "directeur produit ou directeur technique ?"
    # The latest promotion before the current one, named by neither rank nor year ("last
    # time", "et avant ?", "les anciennes promos"): ``EARLIER_PROMOTION``
    earlier: bool = False

    def is_empty(self) -> bool:
        return self == Case()

    def names_a_promotion(self) -> bool:
        """By its rank, its year, or as the earlier one."""
        return self.promotion is not None or self.year is not None or self.earlier


# "en 2021 le contrat durait 10 mois, c'est toujours pareil ?", "is that still the case for
# the 7th?": an earlier promotion or year named as the past, the question on today's.
_STILL_TODAY = re.compile(
    r"\b(toujours|encore|aujourd hui|actuellement|maintenant|de nos jours|desormais|"
    r"still|nowadays|today|currently|these days|anymore|any more|now|"
    r"(?:a|ont|a t il|a t elle) (?:change|evolue|bouge) depuis|changed since|since then)\b"
)


# "what was the deadline last time?", "et avant, dans les anciennes promos ?", "and in
# earlier cohorts?": an earlier promotion, named by neither its rank nor its year (the latest
# one before the current, which the texts describe). Not "la dernière promo", which may be
# the current one.
_EARLIER_PROMOTION = re.compile(
    r"\b(last time|the time before|la derniere fois|la fois d avant|la fois precedente|"
    r"(?:previous|earlier|past|former|older|old|prior) (?:promotions?|promos?|cohorts?|calls?|"
    r"editions?|rounds?|intakes?|years?)|"
    r"(?:promos?|promotions?|cohortes?|appels?|editions?) (?:precedente?s?|d avant|passee?s?)|"
    r"(?:anciennes?|precedente?s?) (?:promos?|promotions?|cohortes?|editions?)|"
    r"(?:appels?|annees?) (?:precedents?|precedentes?|d avant)|"
    r"was it always|were they always|has it always been|have they always been|always been)\b"
)


# "et par an ?", "how much is that in total per year?": the pay over twelve months.
_PER_YEAR = re.compile(
    r"\b(par an|par annee|l annee|a l annee|sur l annee|sur un an|annuel|annuelle|"
    r"annuellement|per year|a year in total|yearly|annual|annually|per annum)\b"
)


def names_an_earlier_promotion(text: str) -> bool:
    """ "last time", "et avant ?", "les anciennes promos": an earlier promotion, unnamed."""
    return _EARLIER_PROMOTION.search(_plain(text)) is not None or asks_about_before(text)


def read(text: str, today: dt.date) -> Case:
    promotion = read_promotion(text)
    year = None if promotion is not None else read_calendar_year(text)
    still = _STILL_TODAY.search(_plain(text)) is not None
    if still and (promotion is not None or year is not None):
        promotion = year = None  # the current promotion's answer, which recalls the past
    unnamed = promotion is None and year is None and not still
    return Case(
        earlier=unnamed and names_an_earlier_promotion(text),
        years=read_years(text, today),
        promotion=promotion,
        year=year,
        profile=read_profile(text),
        seniority=read_seniority(text),
        asks_time=asks_time(text),
        several_profiles=len(profiles_named(text)) > 1,
    )


# ---- Follow-ups --------------------------------------------------------------------------

_LEANS = re.compile(
    # "right, and the 7th?", "super, et pour la 5e ?": an acknowledgement first
    r"^(?:(?:right|ok|okay|oui|yes|yeah|yep|d accord|ah|oh|cool|super|great|parfait|top|nice|"
    r"merci|thanks|thx|i see|je vois)[\s,!.]+)?"
    r"(et|and|mais|but|ok et|ok and|okay and|oui et|yes and|yeah and|d accord et|ah et|"
    r"ah and|alors|so|du coup|donc|sinon|how was it|how was that|what was it|c etait comment|"
    r"comment c etait|c etait combien|c etait quand|"
    r"what about|how about|what if|same for|same question for|idem|pareil|meme chose|"
    r"et pour|et si|et avec|et en|et quid|quid de|and for|and if|and with|and in|"
    r"meme|even|also|aussi|y compris|including)\b"  # "même un hôpital ?", "even hospitals?"
)
# "vous pouvez me redonner les points clés ?", "remind me the main points", "is it the
# same for women?"
_AGAIN = re.compile(
    r"\b(redonner|redonne|redis|redire|rappeler|rappelle|rappelez|repeter|repete|repetez|"
    r"remind|repeat|say again|say that again|once more|recap|recapitule\w*|"
    r"the same|pareil|pareille|la meme chose|le meme|la meme|idem)\b"
)
# "is that net?", "how long do those last", "what's this pool you mentioned?": a question
# that points at what was just said.
_POINTS_BACK = re.compile(
    r"\b(that|those|these|cela|ceux ci|ceux la|celles ci|celle ci|celui ci|you mentioned|"
    r"the \w+ one|the \w+ ones|the first one|the second one|the other one|l autre|"
    r"you said|you just said|vous avez dit|tu as dit|vous parlez|vous mentionnez|"
    r"all of it|the whole thing|en totalite|entierement|"  # "all of it?" after who pays
    r"celui du|celle du|celui de|celle de|the one on|the one from|the one about|"
    # "which one was about code and data?", "will there be another one?" after the webinars
    r"celui sur|celle sur|which one|which ones|another one|un autre|une autre)\b"
    # "celui du 24 c'était sur quel thème ?"
)
# "who reads it?", "when did it all start?", "on peut faire ça ?": a short question that
# ends on what was just said, or asks with a question word about it (not "is it raining
# tomorrow?").
_PRONOUN_BACK = re.compile(r"\b(it|them|eux|ca)$")
# "is there one coming up?", "y en a un bientôt ?", "il y en aura d'autres ?": another of what
# was just spoken of.
_ANOTHER_ONE = re.compile(
    r"^(?:and |so |et |ok |alors |du coup )?(?:is there|are there|will there be|"
    r"y a t il|il y en a|il y en aura|y en a|y en aura|y en aura t il|y en a t il)\s+"
    r"(?:one|another|any more|more|others|un|une|d autres?|encore|un autre|une autre)\b"
)
_PRONOUN_ASKED = re.compile(
    r"^(?:when|who|where|how|how long|how much|why|what)\s+(?:\w+\s+)?it\b"
)  # "when did it…", "how long does it…"; not "where did they work?" (the people just
# counted, asked about something else) nor "which bodies took them in?", which names
MAX_PRONOUN_WORDS = 5
# "le muséum aussi ?", "hospitals too?": something added to what was just said.
_ALSO_LAST = re.compile(r"\b(aussi|egalement|too|as well)$")
MAX_ALSO_WORDS = 5
_NAMED_BACK = re.compile(
    r"\b(you mentioned|you just mentioned|you said|you just said|vous avez dit|tu as dit|"
    r"vous avez mentionne|tu as mentionne|dont vous parlez|dont tu parles)\b"
)
MAX_FOLLOW_UP_WORDS = 8
# "who decides?", "qui décide au final ?", "and who interviews me?": who does what was just
# described (the selection's steps, the application): a short question on it.
_WHO_DECIDES = re.compile(
    r"^(?:et |and |ok |ok et |ok and |mais |but |so |donc |du coup )?"
    r"(?:qui|who)\s+(?:est ce qui\s+)?"
    r"(?:decide|decides|choisit|chooses|picks|selectionne|selects|evalue|evaluates|assesses|"
    r"juge|judges|reviews|examine|examines|lit|reads|interviewe|interviews|recrute|recruits|"
    r"tranche|valide|validates|signe|signs|fait passer|conduit|sends|envoie|propose|"
    r"proposes|offers|hires|embauche)\b"
)
MAX_WHO_DECIDES_WORDS = 10
_ONE_QUESTION = re.compile(r"[^?.!\n]+\?")
# "l'an dernier c'était à quelle date ?", "was it recorded?": what was just spoken of, in the
# past.
_WAS_IT = re.compile(
    r"\b(c etait|c etaient|ca a eu lieu|ca s est passe|ca se passait|etait ce|"
    r"was it|were they|was that|were those|did it take place|"
    # "what were the topics last time?"
    r"last time|the time before|la derniere fois|la fois d avant|la fois precedente)\b"
)
# "plutôt 11 en fait si je compte mon alternance": a number alone in a few more words.
MAX_NUMBER_FOLLOW_UP_WORDS = 10
# "and what did they pay back then?", "c'était combien à l'époque ?": the promotion or year
# of an earlier question (``with_earlier``).
_BACK_THEN = re.compile(
    r"\b(back then|at the time|at that time|that year|that promotion|that promo|that cohort|"
    r"in those days|same year|same promotion|a l epoque|a cette epoque|cette annee la|"
    r"cette promo la|cette promotion la|ces annees la|la meme annee|la meme promo|"
    r"la meme promotion|a ce moment la|"
    r"at that point|those years|that call|cet appel la|"
    # "and what was the deadline for that one?" after a question on the 5th promotion
    r"for that one|pour celle la|pour celui la)\b"
)


# "ça dure combien de temps ?", "how long do those last": how long, of nothing named. After
# the selection steps, the webinars, the support or a call, it asks how long they last, not
# the contract's length, which the classifiers take every "how long" for.
_HOW_LONG = re.compile(
    r"\b(combien de temps|how long|ca dure|ca prend|ca durait|duree|la duree|dure combien|"
    r"dure t il|dure t elle|durent|duration|takes how long|last how long)\b"
)
_LASTING_SUBJECT = re.compile(
    r"\b(contrat|contract|cdd|cdi|mission|missions|programme|program|eig|eigs|job|poste|"
    r"position|engagement|embauche|recrutement|promo|promotion|salaire|salary|"
    # "et les entretiens durent combien de temps ?" after the webinars: the interviews
    r"entretiens?|interviews?|selection|jury|auditions?|webinaires?|webinars?|"
    r"accompagnement|formations?|coaching|training|appel|call|candidatures?|"
    r"applications?|processus|process|etapes?|steps?)\b"
)
# A promotion or a year pulls a question to the key figures ("and when were they in 2021?"
# after the webinars; "how was it for the 5th promotion?" after the pay): a follow-up that
# names one and counts nothing stays on the previous answer's topic.
KEY_FIGURES = "key_figures"
_COUNTS = re.compile(
    r"\b(combien de|combien d|how many|nombre|number of|positions?|postes?|places?|recrues?|"
    r"recruits?|recrute\w*|recruited|defis|challenges?|projets|projects|laureats?|eigs?)\b"
)


# "et de projets ?", "and how many projects?" right after a count: the same count, of
# something else.
_COUNT_MORE = re.compile(
    r"^(?:et|and|ok et|ok and)\s+(?:combien |how many )?(?:de |d |of )?(?:\w+ ){0,1}\w+$"
)


def counts_more(text: str) -> bool:
    """ "et de projets ?" after "combien d'EIG ?": another count."""
    folded = _plain(text).strip(" ?!.")
    return _COUNT_MORE.match(folded) is not None and counts_something(text)


def counts_something(text: str) -> bool:
    """Whether a question asks how many (positions, recruits, challenges…)."""
    return _COUNTS.search(_plain(text)) is not None


HOST_TOPIC_PREFIX = "host_"  # the administrations' topics: host_timeline, host_cofinancing…


def is_host_topic(topic: Optional[str]) -> bool:
    """Whether a FAQ topic is one of the administrations' (hosting EIGs)."""
    return bool(topic) and str(topic).startswith(HOST_TOPIC_PREFIX)


LASTING_TOPICS = frozenset(
    {"selection_process", "webinars", "support", "deadline", "host_timeline"}
)


def _short(text: str, most: int) -> Optional[str]:
    """The folded text of a message of 1 to ``most`` words, else None."""
    folded = _plain(text)
    return folded if 0 < len(re.findall(r"\w+", folded)) <= most else None


def _said_briefly(pattern: re.Pattern[str], text: str, most: int) -> bool:
    """Whether a message of 1 to ``most`` words has ``pattern`` somewhere in its folded text."""
    folded = _short(text, most)
    return folded is not None and pattern.search(folded) is not None


def asks_how_long_of_previous(text: str) -> bool:
    """A short question on how long something lasts that names no subject of its own."""
    folded = _short(text, MAX_FOLLOW_UP_WORDS)
    return (
        folded is not None
        and _HOW_LONG.search(folded) is not None
        and _LASTING_SUBJECT.search(folded) is None
    )


# "ça change selon qu'on est produit ou technique ?", "does it vary by profile?": whether
# what was just said changes with something; "ça", "it" is the previous answer's subject.
_VARIES = re.compile(
    r"^(?:et |and |mais |but |ok |okay |alors |so |ah |ah donc |donc |du coup |oh so )?"
    r"(?:est ce que |est ce qu )?"
    r"(?:ca|cela|c est|it|does it|is it|is that|does that|will it|would it|has it|has that|"
    r"did it|did that)\s+(?:a |a t il |a t elle |has |have )?"
    r"(?:change\w*|vary|vari\w*|depend\w*|differ\w*|different|pareil|le meme|la meme|the same|"
    # "ah donc ça a augmenté depuis ?", "so it went up since?"
    r"evolu\w*|bouge\w*|augment\w*|baisse\w*|monte\w*|increase\w*|decrease\w*|"
    r"go up|gone up|went up|goes up|risen|rose|go down|gone down|went down)\b"
)


# "would that move up to the higher level after a few more years?": a longer question whose
# subject is what was just said ("that"; not "it", which asks "is it possible…", nor "this",
# which names "this programme").
_THAT_FIRST = re.compile(
    r"^(?:and |et |so |donc |ok |okay )?(?:would|does|do|is|will|can|could|did|was|has)\s+"
    r"that\b"
)
MAX_THAT_FIRST_WORDS = 14


# "et avant, ça ressemblait à quoi ?", "what about before, did you run some in previous
# years?": the previous answer's topic, in the past.
_BEFORE = re.compile(
    r"^(?:et |and |what about |how about |ok et |ok and |mais |but )?(?:avant|auparavant|"
    r"before|previously|les annees d avant|les fois d avant|les annees precedentes|"
    r"in previous years|in the past|dans le passe|les autres annees|other years)\b"
)


# "wasn't it 10 months before?", "c'était pas 10 mois avant ?": the same, "before" last.
_BEFORE_LAST = re.compile(r"\b(?:before|avant|auparavant|previously|in the past|dans le passe)$")
# "le contrat c'est toujours un CDD de 10 mois comme avant ?": a subject of its own named
# first, asked about as it was before; not the previous answer's.
_NAMED_FIRST = re.compile(
    r"^(?:(?:et|and|mais|but|ok|okay|so|donc|du coup)\s+)*(?:le|la|les|l|the|son|sa|ses|leur|"
    r"leurs|its|their)\s+(?!meme\b|same\b)\w{3,}"
)


def asks_about_before(text: str) -> bool:
    """A short question on how the previous answer's subject was before."""
    folded = _short(text, MAX_FOLLOW_UP_WORDS + 4)
    if folded is None:
        return False
    asked = text.rstrip().endswith("?") and _NAMED_FIRST.match(folded) is None
    return _BEFORE.match(folded) is not None or (
        asked and _BEFORE_LAST.search(folded.rstrip(" ?!.")) is not None
    )


# Another employer named: "how much does a data scientist earn in a bank?" is not the EIGs'
# pay, even with years in it.
_OTHER_EMPLOYER = re.compile(
    r"\b(banque|bank|banks|prive|private|secteur prive|private sector|startups?|start ups?|"
    r"esn|ssii|freelances?|agence|agencies|cabinet|consulting|google|amazon|meta|facebook|"
    r"microsoft|en general|in general|en moyenne|on average|au marche|market rate|ailleurs|"
    r"elsewhere|industry average|dans l industrie|in industry|in france generally)\b"
)


# The programme named: "combien gagne un EIG aujourd'hui ?" asks its pay, however the
# classifier read it (out of scope, as "combien gagne un data scientist ?" is).
_PROGRAMME_NAMED = re.compile(
    r"\b(eigs?|entrepreneurs? d interet general|entrepreneurs? of general interest|"
    r"(?:le|ce|du|au|this|the) (?:programme|program))\b"
)


def asks_programme_pay(text: str) -> bool:
    """Pay said of the EIG programme named, no other employer named ("combien gagne un EIG
    aujourd'hui ?", not "… qu'un EIG dans une banque ?")."""
    named = _PROGRAMME_NAMED.search(_plain(text)) is not None
    return named and says_pay(text) and not names_other_employer(text)


# "vous recrutez encore des designers ?", "do you still hire designers at all?": whom the
# programme recruits, however the classifier read it.
_RECRUITS = re.compile(
    r"\b(recrut\w*|embauch\w*|cherch\w*|hire|hires|hiring|looking for|seek\w*|take on)\b"
)


def asks_who_is_recruited(text: str) -> bool:
    """Whether a message asks about recruiting (a profile named besides: the profiles)."""
    return _RECRUITS.search(_plain(text)) is not None


# The administrations' money named: "qui paie, le PIA ?" is theirs, not the EIGs' pay.
_HOSTS_MONEY = re.compile(r"\b(pia|cofinanc\w*|co financ\w*|cofund\w*|co fund\w*|accueil)\b")


def names_hosts(text: str) -> bool:
    """Whether a message names the administrations' side ("our agency",
    ``reading.names_administration_side``) or their money ("le PIA")."""
    return reading.names_administration_side(text) or _HOSTS_MONEY.search(_plain(text)) is not None


def names_other_employer(text: str) -> bool:
    return _OTHER_EMPLOYER.search(_plain(text)) is not None


# ---- Jobs at another organisation ---------------------------------------------------------

# "is SNCF hiring developers right now?", "how do I apply for the European Commission
# traineeship?", "la DGFiP recrute des data scientists en CDI ?": that organisation's own
# jobs, not the programme's. An organisation is named by its own name: an acronym, or a
# capitalised word past a sentence's start, that is none of the programme's names, nor a
# person introducing themselves ("moi c'est Inès", "Aurélien here").
_OWN_NAMES = frozenset(
    "eig eigs dinum etalab pia etat état state france french francais français paris cdi cdd "
    "cto cpo cv ux ui it ia ai rh hr pdf ok i im i'm id i'd ive i've ill i'll bonjour hello hi "
    "hey salut merci thanks thank dear madame monsieur entrepreneurs entrepreneur interet "
    "intérêt general général gouv beta eg zoom linkedin".split()
)
_CAPITALISED = re.compile(r"(?<![\w-])([A-ZÀ-Ý][\w'’-]*)")  # "l'ANSSI" too
_INTRODUCES = re.compile(
    r"(?:je suis|moi c'est|moi c’est|c'est|c’est|i'm|i’m|i am|my name is|name's|je m'appelle|"
    r"je m’appelle|this is|ici)\s*$",
    re.IGNORECASE,
)
_PLACE_BEFORE = re.compile(
    r"\b(?:in|from|to|near|around|à|a|en|depuis|vers|près de|pres de|sur)\s*$", re.IGNORECASE
)
_JOBS_THERE = re.compile(
    r"\b(?:recrut\w*|embauch\w*|hiring|hire|hires|openings?|vacanc\w*|postes?|jobs?|stages?|"
    r"stagiaires?|interns?|internships?|traineeships?|fellowships?|graduate (?:programmes?|"
    r"programs?|schemes?)|alternan\w*|cdi|apply (?:to|for|at)|postul\w* (?:a|au|aux|chez)|"
    r"candidat\w* (?:a|au|aux|chez))\b"
)
# Other schemes named in lower case
_OTHER_SCHEMES = re.compile(
    r"\b(?:service civique|concours (?:d |de |administrati\w*)|fonction publique territoriale|"
    r"civil service (?:exam|fast stream)|fast stream|volontariat international|v i e)\b"
)
_ADDRESSES_PROGRAMME = re.compile(
    r"\b(?:vous|votre|vos|you|your|chez vous|accueillir|heberger|host|hosting|appel a projets|"
    r"call for projects)\b"
)


def names_an_organisation(text: str) -> bool:
    """Whether ``text`` names an organisation by its own name (an acronym, or a capitalised
    word past a sentence's start that is none of the programme's names nor a person
    introducing themselves)."""
    for match in _CAPITALISED.finditer(text):
        word = match.group(1)
        before = text[: match.start()].rstrip()
        acronym = sum(c.isupper() for c in word) >= 2
        if not acronym and (not before or before[-1] in ".!?:;"):
            continue  # a sentence's first word
        if word.lower().strip("'’-") in _OWN_NAMES or _INTRODUCES.search(before):
            continue
        if _PLACE_BEFORE.search(before) and not acronym:
            continue  # "from Montreal", "à Lyon": a place
        after = text[match.end() :].lstrip().lower()
        if after.startswith(("here", "ici")):
            continue  # "Aurélien here"
        return True
    return False


def asks_jobs_elsewhere(text: str) -> bool:
    """A question about another organisation's own jobs, or another scheme's ("le service
    civique", "le concours d'attaché"): not the programme's."""
    folded = _plain(text)
    if _PROGRAMME_NAMED.search(folded) or _ADDRESSES_PROGRAMME.search(folded):
        return False
    if _OTHER_SCHEMES.search(folded):
        return True
    return _JOBS_THERE.search(folded) is not None and names_an_organisation(text)


def asks_if_it_varies(text: str) -> bool:
    """A short question on whether what was just said changes with something."""
    folded = _short(text, MAX_FOLLOW_UP_WORDS + 2)
    return folded is not None and _VARIES.match(folded) is not None


# "ils avaient recruté combien de personnes ?", "et les webinaires c'était quelles dates ?"
# right after a question on the 3rd promotion: a short question in the imperfect or the
# pluperfect, of the time just asked about. The English past with "they" ("how much were
# they paid?") or asking what, when or how something was or could be ("what was the
# deadline?", "until when could people apply?" after the 6th promotion's positions); not
# "were there any webinars?", which asks in general as often (after the 5th promotion's
# contract: the latest ones).
_IN_THE_PAST = re.compile(
    r"\b(c etait|c etaient|etait|etaient|avait|avaient|aviez|avions|fallait|fut|furent|"
    # "et on pouvait candidater jusqu'à quand ?" after a question on the 3rd promotion
    r"pouvait|pouvaient|pouviez|devait|devaient|durait|duraient|payait|payaient|"
    r"recrutait|recrutaient|touchait|touchaient|gagnait|gagnaient|cherchait|cherchaient|"
    r"existait|fermait|ouvrait|cloturait|se passait|se passaient|"
    r"cette promo|cette promotion|"
    r"were they|did they|had they|they were|they had|they got|did those|were those|"
    r"what was|when was|how was|what were|when were|how were|how long was|how much was|"
    r"how many was|when did|what did|how did|"
    # not "could I stay 2 years then?", which asks about oneself, now
    r"could (?:people|candidates|one|they|applicants))\b"
)
MAX_PAST_QUESTION_WORDS = 12


def refers_back(text: str) -> bool:
    """Whether a question speaks of the time of an earlier question ("back then"), or asks
    in the past in a few words ("ils avaient recruté combien ?")."""
    folded = _plain(text)
    if _BACK_THEN.search(folded):
        return True
    short = len(re.findall(r"\w+", folded)) <= MAX_PAST_QUESTION_WORDS
    past = _IN_THE_PAST.search(folded) is not None or _WAS_LAST.search(folded) is not None
    return short and reading.is_question(text) and past


# "deadline was?", "the pay was?": the past said last.
_WAS_LAST = re.compile(r"\b(?:was|were)\W*$")


def with_earlier(case: Case, earlier: Optional[Case]) -> Case:
    """The case with the promotion or year of an earlier question, when it names none."""
    if earlier is None or case.names_a_promotion():
        return case
    return replace(case, promotion=earlier.promotion, year=earlier.year, earlier=earlier.earlier)


# "quand ?", "combien ?", "where?", "c'est-à-dire ?": a question word alone asks about the
# answer just given.
_WORD_ALONE = re.compile(
    r"^(?:(?:et|and|mais|but|ok|okay|so|donc|ah|euh|hmm)\s+)*(?:quand|combien|ou|pourquoi|"
    r"comment|qui|par qui|depuis quand|jusqu a quand|a partir de quand|pour combien de temps|"
    r"c est a dire|c est a dire quoi|genre|when|where|why|how come|how much|how long|who|"
    r"by whom|since when|until when|till when|from when|meaning|like what|such as|ou ca|"
    r"ou exactement|quand exactement|combien exactement|where exactly|when exactly|"
    r"how much exactly)(?:\s+(?:then|alors|donc|du coup|again|encore))?$"  # "when then?"
)
# "tu peux faire plus court ?", "en gros ?", "can you put that in plain words?", "sum it up
# in three bullet points": the answer just given, again (said no other way yet).
_SIMPLER = re.compile(
    r"\b(plus court|plus courte|plus simple|plus simplement|plus clair|plus clairement|"
    r"en plus court|en bref|en gros|resumer|resumez|resume moi|en resume|recapitul\w*|"
    r"en une phrase|en une ligne|en quelques mots|reformul\w*|"
    r"shorter|simpler|more simply|simply put|plain words|plain english|plain language|"
    r"in a nutshell|sum (?:it |that |this |everything |all that )?up|summ?ari[sz]e\w*|tl ?dr|"
    r"in one line|in a sentence|in one sentence|in short|bullet points?|eli5|rephrase|"
    r"reword|short version)\b"
)
MAX_SIMPLER_WORDS = 12


def asks_it_simpler(text: str) -> bool:
    """A request to say the answer just given again, shorter or simpler, that asks nothing
    else ("en gros c'est combien le salaire ?" asks the pay)."""
    folded = _plain(text)
    return (
        0 < len(re.findall(r"\w+", folded)) <= MAX_SIMPLER_WORDS
        and _SIMPLER.search(folded) is not None
        and _WH_WORD.search(folded) is None
    )


MIN_OWN_QUESTION_WORDS = 3
_WHO = re.compile(r"\bqui\b")


# "et côté calendrier ?", "and as for the deadline?": a subject of its own, named.
_ITS_OWN_SUBJECT = re.compile(
    r"^(?:(?:et|and|mais|but|ok|okay|d accord)\s+)*(?:cote|niveau|au niveau d\w*|question|"
    r"concernant|pour ce qui est d\w*|as for|as regards|regarding|in terms of|"
    r"when it comes to)\s+\w"
)


def asks_its_own_question(text: str) -> bool:
    """A follow-up that asks with a question word of its own about something it names ("et
    qui est derrière ?", "and where did they work?"), or names a subject of its own ("et
    côté calendrier ?"), not about what was just said ("when did it all start?", "et
    combien ?")."""
    folded = _plain(text).strip(" ?!.")
    if _ITS_OWN_SUBJECT.match(folded):
        return True
    return (
        len(re.findall(r"\w+", folded)) >= MIN_OWN_QUESTION_WORDS
        and (_WH_WORD.search(folded) is not None or _WHO.search(folded) is not None)
        and not asks_with_a_word_alone(text)
        and _PRONOUN_BACK.search(folded) is None
        and _PRONOUN_ASKED.match(folded) is None
        and _THAT_FIRST.match(folded) is None
        and _POINTS_BACK.search(folded) is None
        and _WAS_IT.search(folded) is None
    )


def asks_with_a_word_alone(text: str) -> bool:
    """ "quand ?", "et combien ?", "where?": a question word and nothing else."""
    return _WORD_ALONE.match(_plain(text).strip(" ?!.")) is not None


def leans_on_previous(text: str) -> bool:
    """A short question that reads as a follow-up of the previous answer: it starts like
    one ("et avec 15 ans ?", "and for a junior?", "what about the 6th?"), asks for it
    again ("vous pouvez me redonner les points clés ?") or compares with it ("is it the
    same for women?")."""
    if asks_if_it_varies(text) or asks_about_before(text):
        return True
    if asks_it_simpler(text) or asks_with_a_word_alone(text):
        return True
    folded = _plain(text)
    words = re.findall(r"\w+", folded)
    if len(words) <= MAX_THAT_FIRST_WORDS and _THAT_FIRST.match(folded):
        return True
    asked_who = len(words) <= MAX_WHO_DECIDES_WORDS and text.rstrip().endswith("?")
    if asked_who and _WHO_DECIDES.match(folded):
        return True  # "and who sends the job offer in the end?"
    if len(words) > MAX_FOLLOW_UP_WORDS:
        # "Was it recorded? A friend of mine missed it.": its one question, alone
        asked = _ONE_QUESTION.findall(text)
        return len(asked) == 1 and asked[0].strip() != text.strip() and leans_on_previous(asked[0])
    if not words:
        return False
    asks = text.rstrip().endswith("?") or _QUESTION_START.match(folded) is not None
    named_back = _NAMED_BACK.search(folded) is not None  # "this pool thing you mentioned"
    points_back = named_back or (asks and _POINTS_BACK.search(folded) is not None)
    also = (
        asks and len(words) <= MAX_ALSO_WORDS and _ALSO_LAST.search(folded.rstrip(" ?")) is not None
    )
    pronoun = (
        asks
        and len(words) <= MAX_PRONOUN_WORDS
        and (
            _PRONOUN_BACK.search(folded.rstrip(" ?!.")) is not None
            or _PRONOUN_ASKED.match(folded) is not None
        )
    )
    return bool(
        _LEANS.match(folded)
        or (asks and _WAS_IT.search(folded) is not None)
        or pronoun
        or also
        or _AGAIN.search(folded)
        or _BACK_THEN.search(folded)
        or points_back
        or (asks and len(words) <= MAX_PRONOUN_WORDS + 2 and _ANOTHER_ONE.match(folded) is not None)
        or asks_how_long_of_previous(text)
    )


# A question of one or two words without a question word ("renouvelable ?", "renewable?",
# "en CDI ?") asks about the answer just given; read as such only when the classifiers took
# it for a programme question or were unsure (``topics_to_answer``), so "pizza?" stays out
# of scope.
MAX_FRAGMENT_WORDS = 2


def is_fragment(text: str) -> bool:
    """A question of at most ``MAX_FRAGMENT_WORDS`` words that asks no question word."""
    folded = _plain(text)
    words = re.findall(r"\w+", folded)
    return (
        text.rstrip().endswith("?")
        and 0 < len(words) <= MAX_FRAGMENT_WORDS
        and not _QUESTION_START.match(folded)
    )


# "et il faut combien d'années d'expérience ?", "how many years of experience do you need?":
# what the programme asks for, the profiles' answer, not the pay for some years.
_EXPERIENCE_WORD = re.compile(r"\b(experiences?|xp|annees|ans|years)\b")
_REQUIRED = re.compile(
    r"\b(faut il|il faut|faut|requis|requise|requises|exige|exigee|exigees|demande|demandee|"
    r"necessaire|minimum|minimale?|au moins|doit|dois|need|needed|required|requirement|"
    r"requirements|have to|must|"
    r"ask for|expect|expected|at least)\b"
)
# How many years, asked: of the experience required, or where the pay bands start (below).
_HOW_MANY_YEARS = r"combien d annees|combien d ans|how many years|how much experience"
_HOW_MUCH_EXPERIENCE = re.compile(
    rf"\b({_HOW_MANY_YEARS}|quelle experience|combien d experience|what experience|"
    r"what level of experience)\b"
)


def asks_required_experience(text: str) -> bool:
    """Whether a question asks how much experience the programme requires."""
    folded = _plain(text)
    return bool(
        _EXPERIENCE_WORD.search(folded)
        and _REQUIRED.search(folded)
        and (_HOW_MUCH_EXPERIENCE.search(folded) or "minimum" in folded)
    )


# ---- Two questions in one message ----------------------------------------------------------

MAX_CLAUSES = 3
MIN_CLAUSE_WORDS = 2
_GAP = r"[\s'’\-]+"


def _words_pattern(*phrases: str) -> str:
    """An alternation of phrases whose spaces also match apostrophes and hyphens."""
    return "(?:" + "|".join(p.replace(" ", _GAP) for p in phrases) + ")"


_INTERROGATIVE = _words_pattern(
    "quel", "quelle", "quels", "quelles", "quand", "qui", "combien", "comment", "pourquoi",
    "que", "qu", "quoi", "est ce", "c est quoi", "cest quoi", "c koi", "y a t il", "y a t",
    "peut on", "puis je", "dois je", "faut il", "what", "whats", "what s", "when", "who",
    "how", "where", "which", "why", "is", "are", "do", "does", "did", "can", "could", "will",
    "would", "should", "was", "were", "jusqu a quand", "jusqu à quand", "a partir de quand",
    "à partir de quand", "depuis quand", "until when", "till when", "by when", "from when",
)  # fmt: skip
_DETERMINER = _words_pattern(
    "le", "la", "les", "l", "un", "une", "des", "du", "the", "a", "an", "my", "your", "mon",
    "ma", "mes", "votre", "vos", "son", "sa", "ses",
)  # fmt: skip
# What a second question may start with besides a question word or a noun: a subject ("et
# c'est un CDD ?", "et ça dure combien ?", "and it's renewable?"); the part must still read
# as a question (``_is_question``).
_SUBJECT = _words_pattern(
    "c est", "cest", "ca", "ça", "il", "elle", "on", "il y a", "y a", "it", "it s", "its",
    "there", "there s", "i", "we", "you",
)  # fmt: skip
# "…, et sur quels critères ?", "and on what basis?": a preposition before the question word
# ("and for how long?" goes on with the same question)
_PREPOSITION = (
    r"(?:sur|pour|par|selon|avec|dans|chez|on|for|by|with|in|about|from|at)\s+"
    r"(?=(?:quel|quelle|quels|quelles|qui|quoi|what|which|whom)\b)"
)
_CONJUNCTION = re.compile(
    r"\s+(?:et|and|puis|then|also|aussi|ainsi que|as well as|&)\s+"
    rf"(?=(?:(?:aussi|also|sinon|ensuite){_GAP})?(?:{_INTERROGATIVE}|{_DETERMINER}|{_SUBJECT}|"
    rf"{_PREPOSITION}{_INTERROGATIVE})\b)",
    re.IGNORECASE,
)
# Spoken French puts the question word last, then asks the next question after a comma:
# "la prochaine promo c'est pour quand, il y a des webinaires avant ?".
_ASKED_LAST_THEN_COMMA = re.compile(
    r"(?:(?<=\bquand)|(?<=\bcombien)|(?<=\bquoi)|(?<=(?<!\w)où))\s*,\s+"
    rf"(?=(?:{_INTERROGATIVE}|{_SUBJECT})\b)",
    re.IGNORECASE,
)
# A first clause of context, then the rest of the message: "j'ai suivi le webinaire, …".
_CONTEXT_FIRST = re.compile(r"^([^,;:?!.]{8,}?)\s*[,;:.]\s+(.+)$", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[?!;])\s+|(?<=\.)\s+(?=\S)")
_LEADING_LINK = re.compile(
    r"^(?:et|and|puis|then|also|aussi|sinon|ensuite|enfin)\s+", re.IGNORECASE
)
_QUESTION_START = re.compile(rf"{_INTERROGATIVE}\b", re.IGNORECASE)
_NOUN_START = re.compile(rf"{_DETERMINER}\b", re.IGNORECASE)


# Question words that ask from inside a clause, as spoken French does ("c'est combien le
# salaire", "ça ouvre quand", "on postule où", "c'est quel contrat") and English too ("and
# the contract lasts how long").
_QUESTION_INSIDE = re.compile(
    r"\b(?:combien|quand|quel|quelle|quels|quelles|quoi|how much|how many|how long)\b|"
    r"(?<!\w)où(?!\w)|\best[\s\-]+ce\b|\bc[’']?\s?est[\s\-]+qui\b",  # "c'est qui l'employeur"
    re.IGNORECASE,
)


def _is_question(part: str) -> bool:
    return (
        part.rstrip().endswith("?")
        or bool(_QUESTION_START.match(part))
        or bool(_QUESTION_INSIDE.search(part))
    )


# Question words that ask even in a sentence that ends with a full stop, when they open it
# ("What is the salary. Is it renewable?"); not "is", "are", "do"…, which start a telling
# sentence's second verb as often ("… and is fed up with ads."), nor a question word
# inside one ("… to think about what's next.").
_WH_WORD = re.compile(
    r"\b(?:quel|quelle|quels|quelles|quand|combien|comment|pourquoi|quoi|"
    r"what|whats|when|who|how|where|which|why)\b|(?<!\w)où(?!\w)",
    re.IGNORECASE,
)


def _asks_in_words(part: str) -> bool:
    """A part of a telling sentence that still asks: it opens with a question word."""
    return bool(_WH_WORD.match(part))


def clauses(text: str) -> list[str]:
    """The questions of a message that asks more than one, in order, as written; ``[]``
    for a message that asks one.

    Cut at the end of a question ("?") and at "et" / "and" before another question word
    or a noun ("quel salaire et quel contrat ?", "c'est quoi le salaire et la durée du
    contrat ?"), a letter's opening left out. Each part must be a question (a question
    word, or its sentence's question mark for a noun after a cut) of at least two words;
    otherwise it is left out, and a message with fewer than two such parts is one question.
    A sentence that tells ("…, and is fed up with selling ads.", a sentence ended with a
    full stop, or followed by another without a question mark) asks only when a question
    word ("how", "quand"…) opens it.
    """
    sentences = _SENTENCE_END.split(text.strip())
    # (part, a noun after a cut in a sentence that ends with "?", its sentence tells)
    parts: list[tuple[str, bool, bool]] = []
    for number, sentence in enumerate(sentences):
        sentence = _LEADING_LINK.sub("", sentence.strip())
        asked = sentence.endswith("?")
        # "… and is fed up with selling ads." tells: its parts ask only with a question word
        tells = sentence.endswith((".", "!")) or (number < len(sentences) - 1 and not asked)
        if number == 0:
            sentence = without_opening(sentence)  # "Bonjour, qui peut candidater et…"
        pieces = [
            cut
            for joined in _CONJUNCTION.split(sentence)
            for cut in _ASKED_LAST_THEN_COMMA.split(joined)
        ]
        for index, piece in enumerate(pieces):
            piece = _LEADING_LINK.sub("", piece.strip(" ,"))
            noun_asked = asked and index > 0 and bool(_NOUN_START.match(piece))
            parts.append((piece, noun_asked, tells))
    questions = [
        part
        for part, noun_asked, tells in parts
        if len(re.findall(r"\w+", part)) >= MIN_CLAUSE_WORDS
        and (_asks_in_words(part) if tells else _is_question(part) or noun_asked)
    ]
    return questions if 2 <= len(questions) <= MAX_CLAUSES else []


# ---- The question of a long message ------------------------------------------------------

# A letter's opening ("Madame, Monsieur,", "Dear colleagues,", "To whom it may concern:",
# "Bonjour,") and a sentence that only closes it ("Veuillez agréer…", "Best regards,
# Hélène", "Merci d'avance") say nothing of what is asked.
_OPENING = re.compile(
    r"^(?:(?:madame|monsieur|mesdames|messieurs|madame ou monsieur|madame monsieur|"
    r"bonjour|bonsoir|salut|hello|hi|hey|coucou|good (?:morning|afternoon|evening)|"
    r"greetings|to whom it may concern|a qui de droit|"
    r"(?:cher|chere|chers|cheres|dear)\s+[^,:;.!?]{1,40})\s*(?:[,:;.!]+\s*|\s+(?=\S))){1,3}",
)
_CLOSING = re.compile(
    r"\b(?:salutations|veuillez agreer|je vous prie d agreer|recevez|cordialement|bien a vous|"
    r"merci d avance|merci par avance|en vous remerciant|dans l attente|bonne journee|"
    r"regards|yours faithfully|yours sincerely|sincerely|thanks in advance|"
    r"thank you in advance|many thanks|thanking you|looking forward|best wishes)\b"
)
# A sentence that asks without a question word: "je souhaiterais connaître…", "pourriez-vous
# me communiquer…", "I would appreciate details of…", "I kindly request…".
_REQUEST = re.compile(
    r"\b(?:je souhaite\w*|je voudrais|j aimerais|je veux|je cherche|je me demande|"
    r"je sollicite|je vous saurais gre|je vous serais reconnaissant\w*|je me permets|"
    r"serait il possible|je desire|i am writing|i m writing|i write|i should like|i seek|"
    r"i request|i d be grateful|may i|could i|would it be possible|"
    r"pourriez vous|pouvez vous|tu peux|vous pouvez|merci de|dites moi|dis moi|"
    r"i would like|i d like|i want|i wish|i wonder|i m wondering|i am wondering|"
    r"i would appreciate|i d appreciate|i would be grateful|i kindly|please|could you|"
    r"can you|would you|tell me|let me know)\b"
)
MAX_CORE_SENTENCES = 2
# The question of a long message replaces the whole message's reading when the classifiers
# are this sure of it (intent, and FAQ topic): docs/understanding.md has the figures.
MIN_CORE_CONFIDENCE = 0.5


def makes_request(text: str) -> bool:
    """ "I would like to receive the recording", "pourriez-vous m'envoyer…": a request."""
    return _REQUEST.search(_plain(text)) is not None


# Thanks before a question ("merci, vous pouvez me redonner le mail de l'équipe ?"): an
# opening too, when a comma or a full stop closes them.
_THANKS_FIRST = re.compile(
    r"^(?:(?:ok|okay|super|great|cool|parfait|top|ah)\s+)?(?:merci|thanks|thank you|thx|"
    r"cheers)(?:\s+(?:beaucoup|bcp|a lot|so much|bien|pour (?:ca|l info|la reponse)))?"
    r"\s*[,.!]+\s*(?=\S)"
)


def without_opening(sentence: str) -> str:
    """The sentence as written without a letter's opening ("Bonjour, qui peut…") or the
    thanks before it ("merci, et…")."""
    stripped = _OPENING.sub("", _plain(sentence))
    thanked = _THANKS_FIRST.sub("", stripped)
    if _is_question(thanked) or _REQUEST.search(thanked):
        stripped = thanked  # not "merci, vous m'avez bien aidée", which only thanks
    if stripped == _plain(sentence):
        return sentence
    # Folding keeps the words, so the opening is cut from the text as written at the word
    # where the folded text resumes.
    kept = len(re.findall(r"\w+", stripped))
    words = list(re.finditer(r"\w+", sentence))
    return sentence[words[len(words) - kept].start() :] if kept else ""


MAX_OPENING_CLAUSES = 2  # a courtesy, then who writes or which language they want


def question_after_introduction(text: str) -> Optional[str]:
    """The question after someone says who they are ("Je suis au service informatique d'un
    centre hospitalier, les hôpitaux ont le droit de répondre à l'appel à projets ?" asks
    whether hospitals may apply; "Kevin here, how do I apply?") or which language they
    want; None when the message does not open so or asks nothing after it."""
    # "ah pardon je parle français en fait, il y a combien d'entretiens ?": the language
    # asked for first, then the question (answered in that language); "excusez-moi, je
    # préfère écrire en français : combien…": after a courtesy, the next clause says it
    remaining, said = without_opening(text.strip()), ""
    for _ in range(MAX_OPENING_CLAUSES):
        context = _CONTEXT_FIRST.match(remaining)
        if context is None:
            return None
        part, remaining = context.group(1), context.group(2)
        said = f"{said} {part}".strip()
        if (
            reading.opens_with_introduction(part)
            or reading.names_oneself(part)
            or explicit_request(said) is not None
        ):
            break
    else:
        return None
    rest = remaining.strip()
    if not _is_question(rest) or len(re.findall(r"\w+", rest)) < MIN_CLAUSE_WORDS:
        return None
    # one sentence: a longer message is read by its question (``core_question``)
    return rest if len(_SENTENCE_END.split(rest)) == 1 else None


def core_question(text: str) -> Optional[str]:
    """What a message of several sentences asks, without its context and courtesies: its
    questions (at most the last ``MAX_CORE_SENTENCES``), else its requests, else the last
    of several sentences; ``None`` when that is the whole message.

    "Je suis développeur depuis 9 ans, j'ai monté une agence… C'est quoi le contrat ?" is
    read by its last sentence; "Madame, Monsieur, je souhaiterais connaître les modalités de
    candidature. Veuillez agréer…" by its middle one."""
    context = _CONTEXT_FIRST.match(text.strip())
    if context and reading.attended_webinar(context.group(1)) and _is_question(context.group(2)):
        # "I was at the webinar last week, what's the salary again?": the question
        rest = context.group(2).strip()
        return rest if len(re.findall(r"\w+", rest)) >= MIN_CLAUSE_WORDS else None
    sentences: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if not sentences:
            sentence = without_opening(sentence)
        stripped = _plain(sentence)
        if not stripped or _CLOSING.search(stripped):
            continue
        sentences.append(sentence.strip())
    if not sentences:
        return None
    chosen = [s for s in sentences if _is_question(s)] or [
        s for s in sentences if _REQUEST.search(_plain(s))
    ]
    if not chosen and len(sentences) < 2 and len(re.findall(r"\w+", sentences[0])) < 5:
        return None  # "Salut, moi c'est Inès !": the greeting is what it says
    core = " ".join(chosen[-MAX_CORE_SENTENCES:] if chosen else sentences[-1:])
    if len(re.findall(r"\w+", core)) < MIN_CLAUSE_WORDS or _plain(core) == _plain(text):
        return None
    return core


# ---- A webinar named as where a question comes from ---------------------------------------

# "in the webinar you mentioned the contract, what kind is it again?", "back from the
# webinar, what about money?": the webinar's words outweigh the question's in the n-gram
# features. The question without them is read too (``QuestionReader``), when it names a
# subject of its own and asks nothing of the webinar itself (its recording, time, next one,
# what to do next).
_ABOUT_THE_WEBINAR = re.compile(
    rf"\b(?:{reading.RECORDING_WORDS}|revoir|slides|diapos?|diaporama|heure|horaire|what time|"
    r"inscri\w*|register\w*|sign up|lien|link|prochaine?s?|next|upcoming|bientot|soon|"
    r"themes?|topics?|about what|sur quoi|c etait quoi|animait|presentait|presented|hosted)\b"
)
_OWN_SUBJECT = re.compile(
    r"\b(?:salaires?|salary|salaries|pay|paid|paye\w*|remuneration|money|argent|gagne\w*|"
    r"earn\w*|contrats?|contracts?|cdd|cdi|employeur|employer|employs?|renouvel\w*|renew\w*|"
    r"profils?|profiles?|metiers|jobs|recrut\w*|hiring|hire|selection|entretiens?|interviews?|"
    r"jury|criteres?|criteria|judged|juge\w*|evalu\w*|assess\w*|date limite|deadline|cloture|"
    r"closing date|postuler|candidater|apply|candidatures?|applications?|dossier|organise\w*|"
    r"runs?|running|pilote\w*|etalab|dinum|behind|derriere|accompagnement|coaching|mentor\w*|"
    r"formations?|training|equipes?|teams?|contact|e ?mail|adresse|address|programme dure|"
    r"program(?:me)? last|duree du programme)\b"
)
MIN_CONTEXT_REST_WORDS = 4
_CONTEXT_THEN_QUESTION = re.compile(
    r"^(.{4,}?)(?:\s*[,;:.!]|\s+(?:but|mais|par contre|however|cependant)\b)\s+(.+)$",
    re.DOTALL | re.IGNORECASE,
)


def webinar_as_context(text: str) -> Optional[str]:
    """The question of a message that names a webinar only as where it comes from, without
    the webinar's words; None for any other message."""
    if not isinstance(text, str) or not reading.mentions_webinar(text):
        return None
    folded = _plain(text)
    if _ABOUT_THE_WEBINAR.search(folded) or reading.asks_what_next(text):
        return None
    if reading.asks_recap(text):
        return None
    context = _CONTEXT_THEN_QUESTION.match(text.strip())
    if context and reading.mentions_webinar(context.group(1)):
        # "back from the webinar, what about money?": the question after the context
        asked = context.group(2).strip()
        words = len(re.findall(r"\w+", asked))
        if words >= MIN_CLAUSE_WORDS + 1 and _OWN_SUBJECT.search(_plain(asked)):
            return asked
    rest = reading.without_webinar_words(text)
    if len(re.findall(r"\w+", rest)) < MIN_CONTEXT_REST_WORDS:
        return None
    return rest if _OWN_SUBJECT.search(_plain(rest)) else None


# ---- Which topics to answer ----------------------------------------------------------------

FAQ_INTENT = "faq"
CORRECT_INTENT = "correct"  # a form correction, when no form is running
UNSURE_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
# A clause's topic is answered on its own only when the FAQ classifier is this sure of it.
MIN_CLAUSE_CONFIDENCE = 0.5
# A clause read as a wish or unsure is still a programme question when its topic is this sure.
MIN_CLAUSE_TOPIC_OF_A_WISH = 0.8
# Below this, the topic of a follow-up is taken from the previous answer.
MIN_OWN_TOPIC_CONFIDENCE = 0.6
# The confidence UnknownSubjects gives "the texts do not say" when it reads such a subject.
UNKNOWN_SUBJECT_SURE = 1.0
# ... unless it asks a question of its own ("et qui est derrière ?"): then below this.
MIN_OWN_QUESTION_TOPIC_CONFIDENCE = 0.45
# Wishes a question may be read as while its FAQ topic is sure ("ok et je postule où ?").
WISHES = frozenset({"pre_apply", "participate", "i_am_candidate", "i_am_administration"})
SALARY = "salary"
DEADLINE = "deadline"
PROFILES = "profiles"
SELECTION_PROCESS = "selection_process"
WEBINARS = "webinars"
CONTRACT = "contract"
# Answers that changed from promotion to promotion, which say which one they are for.
CHANGED_OVER_TIME = frozenset({SALARY, PROFILES, CONTRACT})
# Topics whose answers speak of amounts too: an amount named there is not the EIGs' pay.
AMOUNTS_OF_THEIR_OWN = frozenset({SALARY, "host_cofinancing"})
NOT_IN_SOURCES = "not_in_sources"  # the FAQ topic of questions the texts do not answer
# A clause read as a question the texts do not answer, this sure, is answered as one.
MIN_UNCOVERED_CONFIDENCE = 0.3

# Words of pay itself; with the vaguer "combien", "how much", "make", a question on pay.
_PAY_WORDS = (
    r"salaires?|salary|salaries|paie|paye|payes?|payee?s?|paid|pay|remuner\w*|gagn\w*|"
    r"salare|salair|salery|salry|sallary|salaray|renumer\w*|"  # typed in a hurry
    r"primes?|bonus|bonuses|part variable|variable part|"
    r"earn\w*|touch\w*|net|nets|brut|gross|wages?|tax|taxes|impots?|"
    r"bracket|brackets|pay band|pay bands|pay grid|pay scale|grille|tranche|tranches|echelon|"
    # "what's the compensation like?", "la rému ?", "niveau thune ?"
    r"compensation|remu|remus|package|packages|thune|fric|paycheck|paychecks|pay check|"
    r"revenus?|income|incomes|argent|money|take home|take-home"
)
_PAY = re.compile(rf"\b({_PAY_WORDS}|combien|how much|make|makes)\b")
# Pay said outright: a pay word or an amount ("4250 ou 5000 ?", "3,500 €", "5k").
_PAY_AMOUNT = (
    r"\b\d[\d .,]{2,}\s?(€|euros?|eur|balles|net|nets|brut|a month|per month|par mois|"
    r"/ ?mois|/ ?month|monthly|mensuels?)|\b\d{1,2}\s?k\b|"
    r"\b(?:primes?|part variable|variable part|bonus) (?:de |of )?\d{1,2} ?%|"  # "la prime de 6 %"
    r"\b(?:6|10) ?(?:%|percent|per cent|pour ?cent|pourcent)(?!\w)|"  # the variable parts
    r"\b\d{1,2} ?% (?:de )?(?:primes?|bonus|variable)|"
    r"\b(3[ ,.]?500|4[ ,.]?000|4[ ,.]?250|5[ ,.]?000)\b"
)
_PAY_SAID = re.compile(rf"\b({_PAY_WORDS})\b|{_PAY_AMOUNT}")
_AMOUNT = re.compile(_PAY_AMOUNT)


def names_pay_amount(text: str) -> bool:
    """An amount of pay said ("5k a month", "5000 balles", "3 500 €"): the question is the
    pay's, whatever else it resembles ("a friend told me EIGs make 5k, is that true?")."""
    return _AMOUNT.search(_plain(text)) is not None


def says_pay(text: str) -> bool:
    """A pay word or an amount: "je suis à 4250 ou à 5000 ?", "3,500 € net"."""
    return _PAY_SAID.search(_plain(text)) is not None


_CORRECTION = re.compile(
    r"^(en fait|actually|pardon|sorry|oups|oops|non|no|euh|correction|je me suis trompee?|"
    r"i made a mistake|my mistake|erreur)\b|\b(pas|not|instead of|au lieu de|plutot que|"
    r"rather than)\s+\d+\b|\b(corrige\w*|correct\w*|change\w*|modifie\w*|fix)\b"
)


def asks_pay(text: str) -> bool:
    """Whether a question speaks of pay ("je toucherais combien", "how much would I get")."""
    return bool(_PAY.search(digitised(text)))


def corrects(text: str) -> bool:
    """Whether a sentence with years reads as the correction of an earlier answer ("en
    fait j'ai 15 ans d'expérience", "sorry, 9 years not 19") rather than a fact given
    with a question ("mon conjoint a 12 ans d'expérience"). A question whose only cue is a
    verb of change ("does 20 years of experience change the salary?") asks, it corrects
    nothing."""
    folded = digitised(text)
    found = _CORRECTION.search(folded)
    if found is None:
        return False
    only_a_verb = found.group(1) is None and found.group(2) is None
    return not (only_a_verb and text.strip().endswith("?"))


@dataclass(frozen=True)
class Parsed:
    """What the NLU made of a message or a clause: its intent and its FAQ topic."""

    intent: Optional[str]
    topic: Optional[str] = None
    topic_confidence: float = 0.0
    confidence: float = 0.0  # the intent's

    def is_sure(self, minimum: float) -> bool:
        """An intent other than the fallback, and for a FAQ question its topic, both at
        least ``minimum`` sure."""
        if self.intent in (None, UNSURE_INTENT) or self.confidence < minimum:
            return False
        return self.intent != FAQ_INTENT or self.topic_confidence >= minimum

    def faq_topic(self, minimum: float) -> Optional[str]:
        if self.intent == FAQ_INTENT and self.topic and self.topic_confidence >= minimum:
            return self.topic
        return None


def parsed_from(intent: Any, selection: Any, retrieval_intent: str = FAQ_INTENT) -> Parsed:
    """The intent and best FAQ topic of a parse (its ``intent`` and ``response_selector``)."""
    name = intent.get("name") if isinstance(intent, Mapping) else None
    own = intent.get("confidence") if isinstance(intent, Mapping) else None
    chosen = selection.get(retrieval_intent) if isinstance(selection, Mapping) else None
    response = chosen.get("response") if isinstance(chosen, Mapping) else None
    response = response if isinstance(response, Mapping) else {}
    key = str(response.get("intent_response_key") or "")
    confidence = response.get("confidence")
    return Parsed(
        str(name) if name else None,
        key.split("/", 1)[1] if "/" in key else None,
        float(confidence) if isinstance(confidence, (int, float)) else 0.0,
        float(own) if isinstance(own, (int, float)) else 0.0,
    )


def clause_record(part: Parsed, text: str) -> dict[str, Any]:
    """One question of a message as the NLU puts it on the parse (``CLAUSES_KEY``)."""
    return {
        "text": text,
        "intent": part.intent,
        "topic": part.topic,
        "topic_confidence": round(part.topic_confidence, 4),
    }


def clauses_from(records: Any) -> list[Parsed]:
    """The questions' parses back from ``clause_record``s; anything malformed is dropped."""
    found = []
    for item in records if isinstance(records, list) else []:
        if not isinstance(item, Mapping):
            continue
        intent, topic, confidence = (
            item.get("intent"),
            item.get("topic"),
            item.get("topic_confidence"),
        )
        found.append(
            Parsed(
                str(intent) if intent else None,
                str(topic) if topic else None,
                float(confidence) if isinstance(confidence, (int, float)) else 0.0,
            )
        )
    return found


def clause_topics(parts: list[Parsed]) -> list[str]:
    """The topics of a message's questions, in order, once each, when they are at least
    two: each question the classifier is sure of, and a question it reads as one the texts
    do not answer (``not_in_sources``) beside a question it is sure of; else ``[]``."""
    found: list[str] = []
    for part in parts:
        topic = part.faq_topic(MIN_CLAUSE_CONFIDENCE)
        wish = part.intent in WISHES or part.intent == UNSURE_INTENT
        if topic is None and wish and part.topic_confidence >= MIN_CLAUSE_TOPIC_OF_A_WISH:
            topic = part.topic  # "… et comment on fait pour postuler ?" read as a wish to apply
        uncovered = part.intent in (FAQ_INTENT, UNSURE_INTENT) and part.topic == NOT_IN_SOURCES
        if topic is None and uncovered and part.topic_confidence >= MIN_UNCOVERED_CONFIDENCE:
            topic = NOT_IN_SOURCES
        if topic is not None and topic not in found:
            found.append(topic)
    return found if len(found) >= 2 else []


@dataclass(frozen=True)
class Readings:
    """What a message's words say besides its topic and its case, read once
    (``read_message``) for ``topics_to_answer``."""

    follows: bool = False  # a follow-up of the previous answer (``leans_on_previous``)
    correction: bool = False  # worded as a correction ("en fait j'ai 12 ans")
    pay: bool = False  # asks about pay ("combien", "salary")
    fragment: bool = False  # one or two words and a question mark ("renouvelable ?")
    required_experience: bool = False  # how much experience the programme requires
    pay_said: bool = False  # a pay word or an amount said
    how_long: bool = False  # how long something lasts, naming nothing
    counts: bool = True  # counts something ("combien d'EIG")
    varies: bool = False  # whether what was just said changes with something, or was before
    other_employer: bool = False  # another employer named ("in a bank")
    simpler: bool = False  # the answer just given, asked again simpler
    amount: bool = False  # an amount of pay said ("5k a month")
    counted_more: bool = False  # another count ("et de projets ?")
    own_question: bool = False  # a follow-up asking about something it names
    eligible: bool = False  # whether one may apply ("can I still apply?")
    case_only: bool = False  # nothing but a promotion or a year ("et pour la promo 7 ?")
    experience_said: bool = False  # experience named ("d'xp", "de carrière", "as a dev")
    threshold: bool = False  # from how many years ("from how many years?", "and under that?")
    per_year: bool = False  # over a year ("et par an ?", "how much is that per year?")
    after_applying: bool = False  # what comes once applied ("and once I've submitted?")
    opens_follow_up: bool = False  # starts as a follow-up, however long ("et mon associé…")
    upcoming: bool = False  # only what is ahead ("y a un webinaire bientôt ?")
    counts_selection_steps: bool = False  # "how many interviews in total?"
    next_one: bool = False  # the next one of what was just listed ("when's the next one?")
    programme_pay: bool = False  # pay of the programme named ("combien gagne un EIG ?")
    recruits: bool = False  # about recruiting ("vous recrutez encore des designers ?")
    since_when: bool = False  # "depuis quand ?" alone
    hosts_money: bool = False  # the administrations named ("le PIA", "our agency")


def read_message(text: str) -> Readings:
    """The ``Readings`` of a message's text."""
    return Readings(
        follows=leans_on_previous(text),
        correction=corrects(text),
        pay=asks_pay(text),
        fragment=is_fragment(text),
        required_experience=asks_required_experience(text),
        pay_said=says_pay(text),
        how_long=asks_how_long_of_previous(text),
        counts=counts_something(text),
        varies=asks_if_it_varies(text) or asks_about_before(text),
        other_employer=names_other_employer(text),
        simpler=asks_it_simpler(text),
        amount=names_pay_amount(text),
        counted_more=counts_more(text),
        own_question=asks_its_own_question(text),
        eligible=asks_if_eligible(text),
        case_only=names_only_a_case(text),
        experience_said=_EXPERIENCE.search(_plain(text)) is not None,
        threshold=asks_threshold(text),
        per_year=_PER_YEAR.search(_plain(text)) is not None,
        after_applying=asks_after_applying(text),
        opens_follow_up=opens_as_follow_up(text),
        upcoming=asks_upcoming(text),
        counts_selection_steps=counts_selection_steps(text),
        next_one=asks_next_one(text),
        programme_pay=asks_programme_pay(text),
        recruits=asks_who_is_recruited(text) and not asks_jobs_elsewhere(text),
        since_when=asks_since_when(text),
        hosts_money=names_hosts(text),
    )


# "from how many years?", "and under that?", "à partir de combien d'années ?" right after
# the pay: where its bands start, a short question on the pay.
_THRESHOLD = re.compile(
    rf"\b({_HOW_MANY_YEARS}|from what experience|from when|a partir de combien|"
    r"au bout de combien|a partir de quand|under that|below that|above that|over that|"
    r"en dessous|au dessous|au dessus|au dela)\b"
)


# "et une fois le dossier envoyé ?", "and once I've submitted?", "what happens after I
# apply?": what follows an application, the selection's steps.
_AFTER_APPLYING = re.compile(
    r"\b(une fois (?:le |mon |la |ma )?(?:dossier|candidature)s? (?:envoyee?|deposee?|soumise?|"
    r"transmise?|remplie?|completee?|parti)|une fois (?:que )?(?:j ai|on a|c est) "
    r"(?:postule|candidate|envoye|soumis|depose)|apres (?:avoir postule|avoir candidate|"
    r"avoir envoye|avoir depose|avoir soumis|l envoi|le depot|ma candidature|la candidature|"
    r"le dossier|mon dossier)|"
    r"once (?:i ve |i have |i |we ve |you ve |it s |it is |it s been |my application is |"
    r"the application is |i ve been )?(?:submitted|applied|sent it|sent my application)|"
    r"after (?:i |we )?(?:apply|applying|submit|submitting|sending it|sending my application)|"
    r"after (?:my|the) application)\b"
)
MAX_AFTER_APPLYING_WORDS = 12


# "y a un webinaire bientôt ?", "is there one coming up?", "le prochain c'est quand ?": what
# is ahead only.
_UPCOMING = re.compile(
    r"\b(bientot|prochain|prochaine|prochains|prochaines|a venir|prevus?|prevues?|"
    r"programmee?s?|upcoming|coming up|next|soon|planned|scheduled|another one|d autres)\b"
)
MAX_UPCOMING_WORDS = 12


def asks_upcoming(text: str) -> bool:
    """A short question on what is ahead."""
    return _said_briefly(_UPCOMING, text, MAX_UPCOMING_WORDS)


# "and when's the next one?", "et le prochain c'est quand ?": the next one of what was just
# listed (the webinars), not the next call, which names itself ("and the next call?").
_NEXT_ONE = re.compile(
    r"\b(?:next one|another one|one coming up|(?:le|la) prochaine? (?:c est|a lieu|est|sera|"
    r"aura|quand)|(?:le|la) prochaine?\W*$)"
)


def asks_next_one(text: str) -> bool:
    """A short question on the next one of what was just listed."""
    return _said_briefly(_NEXT_ONE, text, MAX_UPCOMING_WORDS)


# "depuis quand ?", "and since when?": since when what was just said holds.
_SINCE_WHEN = re.compile(r"\b(?:depuis quand|since when|a partir de quand|from when)$")


def asks_since_when(text: str) -> bool:
    """ "depuis quand ?" alone (``asks_with_a_word_alone``)."""
    return (
        asks_with_a_word_alone(text) and _SINCE_WHEN.search(_plain(text).strip(" ?!.")) is not None
    )


# "et combien de défis ?", "and the deadline?", "deadline was?": a short follow-up that keeps
# to the promotion the question before named; not one on today ("et maintenant ?").
_GOES_ON = re.compile(r"^(?:et|and|what about|how about|ok et|ok and|mais|but)\b")
# "et on peut rester 2 ans ?", "and can I stay longer?": what one may do, now.
_ONESELF_NOW = re.compile(
    r"\b(?:on peut|je peux|peut on|puis je|est ce que je peux|est ce qu on peut|can i|can we|"
    r"could i|may i)\b"
)


def goes_on_with_case(text: str) -> bool:
    """A short follow-up that names no time of its own and goes on from the question
    before (``_GOES_ON``), or asks in the past (``refers_back``)."""
    folded = _plain(text).strip(" ?!.")
    if len(re.findall(r"\w+", folded)) > MAX_FOLLOW_UP_WORDS or _STILL_TODAY.search(folded):
        return False
    return _GOES_ON.match(folded) is not None and _ONESELF_NOW.search(folded) is None


# "how many interviews in total?", "il y a combien d'entretiens ?": the selection's steps.
_SELECTION_STEPS_COUNTED = re.compile(
    r"\b(?:combien|how many|nombre)\b(?: d| de| of)?\W*(?:\w+\W+){0,2}?"
    r"(?:entretiens?|interviews?|etapes?|steps?|tours?|rounds?)\b"
)


def counts_selection_steps(text: str) -> bool:
    """A short question on how many interviews or steps the selection has."""
    return _said_briefly(_SELECTION_STEPS_COUNTED, text, MAX_FOLLOW_UP_WORDS + 4)


MAX_OPENING_WORDS = 14


def opens_as_follow_up(text: str) -> bool:
    """A question of a few more words than a follow-up that starts as one ("et mon associé
    qui a vingt-cinq ans de métier ?")."""
    folded = _short(text, MAX_OPENING_WORDS)
    return folded is not None and text.rstrip().endswith("?") and _LEANS.match(folded) is not None


def asks_after_applying(text: str) -> bool:
    """A short question on what follows an application."""
    return _said_briefly(_AFTER_APPLYING, text, MAX_AFTER_APPLYING_WORDS)


def asks_threshold(text: str) -> bool:
    """A short question on where the pay bands start or what lies on the other side."""
    return _said_briefly(_THRESHOLD, text, MAX_FOLLOW_UP_WORDS)


# "I only have 3 years though, can I still apply?", "avec 3 ans ça passe ?": whether one
# may apply, not the pay for those years.
_ELIGIBLE = re.compile(
    r"\b(can i (?:still |even )?apply|could i (?:still |even )?apply|can i still|am i eligible|"
    r"eligible|eligibles?|do i qualify|would i qualify|qualify|is (?:that|it) enough|"
    r"rule me out|rules me out|je peux (?:quand meme |encore |meme )?(?:postuler|candidater)|"
    r"puis je (?:postuler|candidater)|est ce (?:que )?(?:c est|ca) (?:suffisant|assez)|"
    r"(?:ca|c est) (?:suffit|suffisant|assez)|ca passe|c est bon pour moi|trop peu)\b"
)


# The words around a promotion or a year that ask nothing else: "et pour la promo 7 du coup
# ?", "and what about EIG 5?", "et en 2021 ?".
_AROUND_A_CASE = frozenset(
    "et and ok okay mais but pour for in en avec with a la le les l the of de du des d "
    "promo promos promotion promotions eig cohort cohorte edition annee year call appel "
    "coup alors then so donc what about how quid si if meme same pareil ca c est is it "
    "celle celui that one one".split()
)
_RANK_OR_YEAR = re.compile(r"^\d{1,4}(?:e|er|ere|eme|ieme|th|st|nd|rd)?$")


def names_only_a_case(text: str) -> bool:
    """A message that names a rank or a year and nothing else it could ask about."""
    words = re.findall(r"\w+", digitised(text, ARTICLE_NUMBERS))
    ranks = [w for w in words if _RANK_OR_YEAR.match(w)]
    return bool(ranks) and all(w in _AROUND_A_CASE or _RANK_OR_YEAR.match(w) for w in words)


def asks_if_eligible(text: str) -> bool:
    """Whether a question asks if one may apply (with what one has)."""
    return _ELIGIBLE.search(_plain(text)) is not None


def topics_to_answer(
    whole: Parsed, parts: list[Parsed], case: Case, said: Readings, previous: Optional[str]
) -> list[str]:
    """The FAQ topics to answer, in order; ``[]`` when the message is not a FAQ question.
    The flags named below are ``said``'s (``Readings``).

    - Two questions (``parts``, one per clause): ``clause_topics``, in order (a question
      the texts do not answer gets the answer that says so).
    - The next one right after the webinars (``next_one``: "and when's the next one?"): the
      webinars, however sure the classifier is of the call.
    - "depuis quand ?" alone (``since_when``) after an answer that changed from promotion to
      promotion (``CHANGED_OVER_TIME``): that answer, not the programme's start.
    - A follow-up (``follows``: "et avec 15 ans ?", "and the 6th?"; a FAQ question whose
      topic is unclear but which names a promotion, a year, years, a seniority or a time):
      its own topic when the classifier is sure of it, else years or a seniority are about
      pay when it follows on, speaks of pay (``pay``) or comes after the pay, else the
      previous answer's topic (``previous``), else its own topic. Years or a seniority
      that follow on the pay answer stay on pay, however sure the classifier is of another
      topic.
    - A question the classifiers doubt (``nlu_fallback``) that names a case or follows on:
      the same, as a follow-up.
    - Years given outside a form, read as a correction (``correct``) but not worded as
      one (``correction``): pay; a short follow-up read as a correction: as a follow-up.
    - A fragment (``fragment``: "renouvelable ?") read as a programme question or unsure:
      as a follow-up.
    - Years or a seniority with pay said outright (``pay_said``: a pay word, an amount) that
      the classifier took for a question the texts do not answer: pay.
    - How much experience is required (``required_experience``), no years given: the
      profiles, however the classifier read it (it takes "années" for pay).
    - A question with no clear topic that names a profile, not about pay: the profiles
      (whether that one is sought), a follow-up too unless it follows the pay.
    - A profile named in a follow-up right after the profiles ("what about developers?"):
      the profiles, however sure the classifier is of another topic; right after the pay,
      the pay.
    - What follows an application (``after_applying``: "et une fois le dossier envoyé ?"):
      the selection's steps.
    - How long something lasts, naming nothing (``how_long``: "ça dure combien de temps ?")
      after an answer on something that lasts (``LASTING_TOPICS``): that answer's topic,
      however sure the classifier is of the contract.
    - Years of one's own and pay, read as out of scope, no other employer named
      (``other_employer``: "in a bank"): pay.
    - Pay said of the programme named, no other employer (``programme_pay``), read as out
      of scope: pay ("combien gagne un EIG aujourd'hui ?").
    - Recruiting a profile named (``recruits``), read as out of scope, no pay, no other
      employer: the profiles ("do you still hire designers at all?").
    - Whether what was just said changes with something (``varies``: "ça change selon
      qu'on est produit ou technique ?"): the previous answer's topic, however sure the
      classifier is of another.
    - Another count right after the key figures (``counted_more``: "et de projets ?"): the
      key figures, however sure the classifier is of another topic.
    - A follow-up that asks a question of its own (``own_question``: "et qui est derrière
      ?"): its own topic when the classifier is fairly sure of it
      (``MIN_OWN_QUESTION_TOPIC_CONFIDENCE``), not the previous answer's.
    - The answer just given asked again, shorter or simpler (``simpler``: "tu peux faire
      plus court ?", "in plain words?"): its topic, however sure the classifier is of
      another.
    - A follow-up that names a promotion or a year and counts nothing (``counts``), read as
      the key figures: the previous answer's topic; read as the key figures but naming pay
      (``pay_said``): pay.
    - A question with no clear topic that speaks of pay, its best guess the pay: pay.
    - An amount of pay said (``amount``: "5k a month, is that true?"): pay, unless the
      topic read has amounts of its own (the administrations' co-financing).
    - Pay said with a profile named, read as the profiles: pay ("le salaire pour un
      directeur de produit ?").
    - Pay said outright (``pay_said``) in a question the classifiers doubt, no other
      employer, no administration named (``hosts_money``) nor just spoken of: pay.
    - Otherwise the message's own topic.
    """
    follows, pay, pay_said, counts = said.follows, said.pay, said.pay_said, said.counts
    own = clause_topics(parts)
    if own:
        return own
    if said.next_one and previous == WEBINARS:
        return [WEBINARS]  # "and when's the next one?" after the webinars, not the next call
    if said.since_when and previous in CHANGED_OVER_TIME:
        return [previous]  # "depuis quand ?" after the pay: the pay, which says for whom
    if said.counted_more and previous == KEY_FIGURES:
        return [KEY_FIGURES]  # "et de projets ?" after "combien d'EIG au total ?"
    if (
        whole.intent == OUT_OF_SCOPE_INTENT
        and case.years is not None
        and pay
        and not said.other_employer
    ):
        return [SALARY]  # "ça fait neuf ans que je suis dev, chez vous ça me ferait quel salaire ?"
    if whole.intent == OUT_OF_SCOPE_INTENT and said.programme_pay:
        return [SALARY]  # "combien gagne un EIG aujourd'hui ?"
    if (
        whole.intent == OUT_OF_SCOPE_INTENT
        and case.profile is not None
        and said.recruits
        and not pay
        and not said.other_employer
    ):
        return [PROFILES]  # "vous recrutez encore des designers d'ailleurs ?"
    if (
        said.amount
        and whole.intent == UNSURE_INTENT
        and previous not in AMOUNTS_OF_THEIR_OWN
        and not said.other_employer
    ):
        return [SALARY]  # "you mentioned 5000 a month, who gets that?" after the webinars
    # "how long do you stay in the pool?": a subject the texts do not cover, made sure by
    # bot/rasa_server/nlu/unknown_subjects.py, is not how long the previous answer lasts
    unknown = whole.topic == NOT_IN_SOURCES and whole.topic_confidence >= UNKNOWN_SUBJECT_SURE
    if said.how_long and previous in LASTING_TOPICS and not unknown:
        return [previous]
    named = case.profile is not None or case.several_profiles
    if named and follows and previous == SALARY and not said.eligible:
        return [SALARY]  # "and for a data scientist?" right after the pay: the same pay
    if named and follows and previous == PROFILES and not pay:
        return [PROFILES]  # "what about developers?" right after the profiles: that one
    if said.threshold and previous == SALARY:
        return [SALARY]  # "from how many years?" after "is it true seniors get 5k?"
    selection = said.after_applying or said.counts_selection_steps
    if selection and whole.intent in (FAQ_INTENT, UNSURE_INTENT):
        # "et une fois le dossier envoyé ?" after how to apply; "how many interviews in
        # total?", which the classifier takes for the key figures
        return [SELECTION_PROCESS]
    if (said.varies or said.simpler) and previous:
        return [previous]
    dated = case.names_a_promotion()
    if follows and dated and said.case_only and previous:
        return [previous]  # "et pour la promo 7 du coup ?": the previous answer, for it
    if follows and dated and not counts and whole.topic == KEY_FIGURES and previous:
        return [previous]  # "and when were they in 2021?" after the webinars
    asked = whole.intent in (FAQ_INTENT, UNSURE_INTENT)
    if asked and not counts and whole.topic == KEY_FIGURES and pay_said:
        return [SALARY]  # "j'étais de la promo 2018, le salaire a changé depuis ?"
    if said.required_experience and case.years is None and asked:
        return [PROFILES]
    clear = whole.faq_topic(MIN_OWN_TOPIC_CONFIDENCE)
    if clear is None and said.own_question:
        clear = whole.faq_topic(MIN_OWN_QUESTION_TOPIC_CONFIDENCE)  # "et qui est derrière ?"
    moved = whole.intent in WISHES
    if clear is None and follows and moved and whole.topic_confidence >= MIN_OWN_TOPIC_CONFIDENCE:
        clear = whole.topic  # "ok et je postule où ?" read as a wish to apply, "où" sure
    # a profile alone ("CTO ?") is a question about profiles, not about the previous answer
    specific = replace(case, profile=None, several_profiles=False)
    names_case = specific.asks_time or not specific.is_empty()
    if whole.intent in (FAQ_INTENT, UNSURE_INTENT):
        # a profile alone ("CTO ?") asks about that profile, not about the previous answer
        leaning = follows or (said.fragment and case.profile is None) or (not clear and names_case)
    elif whole.intent == CORRECT_INTENT:
        # "en fait j'en ai plutôt 11, ça change quelque chose ?" after the pay: no form to
        # correct, the pay for the years now given
        corrects_pay = said.correction and previous == SALARY
        leaning = follows or (case.years is not None and (not said.correction or corrects_pay))
    else:  # read as something else: a plain follow-up, or "c'était à quelle heure ?"
        leaning = follows or (case.asks_time and previous is not None)
    experience = case.years is not None or case.seniority is not None
    if experience and pay_said and whole.topic == NOT_IN_SOURCES:
        return [SALARY]  # "avec 10 ans pile je suis à 4250 ou à 5000 ?"
    eligible = said.eligible and experience and asked and not pay and not pay_said
    if eligible and clear in (None, SALARY):
        # "I only have 3 years though, can I still apply?": not the pay for them (a sure
        # topic of its own stays: "pas de diplôme mais 10 ans de code, ça passe ?")
        return [PROFILES]
    lasting = case.years is not None and not clear and not said.experience_said
    if follows and lasting and previous == CONTRACT and not pay and not pay_said:
        return [CONTRACT]  # "et après un an c'est fini ?" after the contract: its length
    if (follows or said.opens_follow_up) and experience and previous == SALARY:
        # "et pour quelqu'un qui débute ?" after the pay, whatever it resembles; "et mon
        # associé qui a vingt-cinq ans de métier ?", longer, too
        return [SALARY]
    profile_named = case.profile is not None or case.several_profiles
    if leaning and not clear:
        about_pay = follows or pay or previous == SALARY or whole.intent == CORRECT_INTENT
        # "and the sponsor, how senior must they be?" after a host topic: not the EIGs' pay
        hosts_seniority = is_host_topic(previous) and not pay and case.years is None
        if experience and about_pay and not hosts_seniority:
            return [SALARY]
        if pay and whole.topic == SALARY:
            return [SALARY]  # "and what did they pay back then?" after the deadline
        if profile_named and not pay and previous != SALARY:
            # "so no more data scientists?", "she has two years as a developer, would she
            # qualify?": whether they are sought
            return [PROFILES]
        if previous and (follows or previous != NOT_IN_SOURCES or not experience):
            # "I only have 3 years though, can I still apply?" after a question the texts do
            # not answer names its own case, not that unknown subject ("les horaires sont
            # souples ?" after part-time work is that subject)
            return [previous]
    if asked and not clear and (pay or pay_said) and whole.topic == SALARY:
        return [SALARY]  # "ils parlent de 4000 € par mois, c'est toujours le cas ?"
    if asked and not clear and pay_said and previous == SALARY:
        return [SALARY]  # "la prime de 6 % c'est sur quoi ?" after the pay
    if asked and said.amount and whole.topic not in AMOUNTS_OF_THEIR_OWN:
        return [SALARY]  # "un collègue m'a dit que c'était 5000 balles, c'est vrai ?"
    if asked and pay_said and profile_named and whole.topic == PROFILES:
        return [SALARY]  # "quel est le salare pour un directeur de produit ?"
    if (
        whole.intent == UNSURE_INTENT
        and pay_said
        and not clear
        and not said.other_employer
        and not said.hosts_money
        and not is_host_topic(previous)
    ):
        # "et côté argent ?": pay said outright, nothing else sure, not the administrations'
        return [SALARY]
    if asked and not clear and not pay and profile_named:
        return [PROFILES]  # "je suis designer, c'est bon ?": whether that profile is sought
    if whole.intent == FAQ_INTENT and whole.topic:
        return [whole.topic]
    return [clear] if clear else []
