"""Reads the natural answers of the pre-application: "douze ans", "CTO", "since 2015".

Candidates answer the way they speak, in French or English; each reader returns a clean
value or None, and the form re-asks with an explanation when it gets None. The limits and
formats a clean value must meet are the fields' rules (``bot.domain.fields``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from typing import Optional

from bot.domain.fields import (
    EMAIL_RE,
    MAX_YEARS,
    REFERENCE_RE,
    InvalidSubmission,
    normalize_email,
    normalize_reference,
)
from bot.domain.hosts import structure_from_text

# A typed first name longer than this is a sentence, not a name (the stored field's limit,
# ``fields.MAX_FIRST_NAME``, is the database column's).
MAX_TYPED_FIRST_NAME = 50
MIN_FREE_TEXT_LETTERS = 3


def fold(text: str) -> str:
    """Lower case, no accents, apostrophes and hyphens as spaces, one space between words."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[’'`\-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9+]+", fold(text))


# ---- Profiles ----------------------------------------------------------------------------

# The current profiles and the titles people give them; older profiles get an explanation.
_PROFILE_WORDS = {
    "technical_director": (
        r"\b(cto|chief technology officer|chief technical officer|directeur technique|"
        r"directrice technique|direction technique|dir tech|technical director|"
        r"tech director|director of engineering|engineering director|head of engineering|"
        r"head of tech(nology)?|vp (of )?engineering|vp tech|engineering manager|"
        r"responsable technique|directeur des systemes d information|dsi|"
        r"directeur de l ingenierie|directrice de l ingenierie|profil technique|technique)\b"
    ),
    "product_director": (
        r"\b(cpo|chief product officer|directeur (de )?produit|directrice (de )?produit|"
        r"direction (de )?produit|product director|director of product|head of product|"
        r"vp (of )?product|responsable produit|product lead|profil produit|produit|product)\b"
    ),
    "developer": (
        r"\b(dev|devs|developpeur|developpeuse|developer|developper|software engineer|"
        r"ingenieur logiciel|programmeur|programmer|coder|codeur|full ?stack|back ?end|"
        r"front ?end|web developer)\b"
    ),
    "data_scientist": (
        r"\b(data scientist|data science|datascientist|data engineer|ingenieur de la donnee|"
        r"ingenieure de la donnee|machine learning|ml engineer|data analyst|statisticien|"
        r"statisticienne|data)\b"
    ),
    "designer": r"\b(designer|designeuse|design|ux|ui|ux designer|ui designer)\b",
    "digital_lawyer": r"\b(juriste|lawyer|legal|avocat|avocate|droit du numerique)\b",
    "geomatician": r"\b(geomaticien|geomaticienne|geomatician|gis|sig|cartographe)\b",
}
_OTHER_PROFILE = re.compile(r"^(autre|autre chose|other|something else|aucun|none|neither)$")
# "the technical one", "tech", "the tech side": a short answer pointing at one of the two
# profiles the question offers.
# "alright, technical", "ok je continue : technique" after a question in the middle.
_GOING_ON = (
    r"(?:(?:ok|okay|well|so|alors|bon|euh|um|alright|right|fine|d accord|je continue|"
    r"on continue|continuons|moving on)[\s,:;.!]+)*"
)
_SHORT_TECHNICAL = re.compile(
    rf"^{_GOING_ON}(?:the\s+|le\s+|la\s+)?"
    r"(?:tech|technical|techie|technique)(?:\s+(?:one|side|profile|role|track|please|then))*$"
)
_SHORT_PRODUCT = re.compile(
    rf"^{_GOING_ON}(?:the\s+|le\s+|la\s+)?(?:product|produit)"
    r"(?:\s+(?:one|side|profile|role|track|please|then))*$"
)
CURRENT_PROFILES = ("product_director", "technical_director")


def read_profile(text: str) -> Optional[str]:
    """A profile key: a current one, ``other``, or an older one (the caller explains)."""
    if text in _PROFILE_WORDS or text == "other":  # a button's value
        return text
    folded = fold(text).rstrip(" .!")
    if _OTHER_PROFILE.match(folded):
        return "other"
    # "the tech side, I manage a team of about 20 engineers": the answer, then about oneself
    first = re.split(r"[,;:]|\s[-\u2013\u2014]\s", folded, maxsplit=1)[0].strip(" .!")
    # the whole answer ("alright, technical": its comma opens no clause of its own), or its
    # first clause
    if _SHORT_TECHNICAL.match(folded) or _SHORT_TECHNICAL.match(first):
        return "technical_director"
    if _SHORT_PRODUCT.match(folded) or _SHORT_PRODUCT.match(first):
        return "product_director"
    for profile, pattern in _PROFILE_WORDS.items():
        if re.search(pattern, folded):
            return profile
    return _misspelt_profile(folded)


# "prodcut director", "directeur tecnique": a short answer a letter or two away from a
# profile's name.
_PROFILE_NAMES = {
    "product director": "product_director", "directeur produit": "product_director",
    "directrice produit": "product_director", "directeur de produit": "product_director",
    "directrice de produit": "product_director", "head of product": "product_director",
    "technical director": "technical_director", "directeur technique": "technical_director",
    "directrice technique": "technical_director", "engineering manager": "technical_director",
    "developer": "developer", "developpeur": "developer", "developpeuse": "developer",
    "data scientist": "data_scientist", "designer": "designer",
}  # fmt: skip
MAX_MISSPELT_WORDS = 4
MIN_NAME_LIKENESS = 0.85


def _misspelt_profile(folded: str) -> Optional[str]:
    if not 0 < len(folded.split()) <= MAX_MISSPELT_WORDS:
        return None
    close = difflib.get_close_matches(folded, list(_PROFILE_NAMES), n=1, cutoff=MIN_NAME_LIKENESS)
    return _PROFILE_NAMES[close[0]] if close else None


# ---- Years of experience -----------------------------------------------------------------

_UNITS = {
    "zero": 0, "un": 1, "une": 1, "one": 1, "a": 1, "deux": 2, "two": 2, "trois": 3,
    "three": 3, "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7,
    "seven": 7, "huit": 8, "eight": 8, "neuf": 9, "nine": 9,
}  # fmt: skip
_TEENS = {
    "dix": 10, "ten": 10, "onze": 11, "eleven": 11, "douze": 12, "twelve": 12, "treize": 13,
    "thirteen": 13, "quatorze": 14, "fourteen": 14, "quinze": 15, "fifteen": 15,
    "seize": 16, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "douzaine": 12, "dozen": 12, "dizaine": 10, "quinzaine": 15, "vingtaine": 20,
}  # fmt: skip
_TENS = {
    "vingt": 20, "twenty": 20, "trente": 30, "thirty": 30, "quarante": 40, "forty": 40,
    "cinquante": 50, "fifty": 50, "soixante": 60, "sixty": 60,
}  # fmt: skip
_YEAR_WORDS = {"an", "ans", "annee", "annees", "year", "years", "yr", "yrs"}
_MONTH_WORDS = {"mois", "month", "months"}
_SINCE = re.compile(r"\b(depuis|since|des|from|en|in|starting)\s+((?:19|20)\d\d)\b")


def _number_words(tokens: list[str]) -> Optional[tuple[int, int]]:
    """The first number written in words, and the index of the token after it."""
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if token in _TENS or token == "dix":
            value = _TENS.get(token, 10)
            j = i + 1
            if j < len(tokens) and tokens[j] in ("et", "and"):
                j += 1
            if j < len(tokens) and tokens[j] in _UNITS and tokens[j] not in ("a", "une"):
                return value + _UNITS[tokens[j]], j + 1
            return value, i + 1
        if token in _TEENS:
            return _TEENS[token], i + 1
        if token in _UNITS:
            # "un", "une", "a", "one" count only as "un an", "a year": otherwise they are
            # articles ("un peu", "a lot").
            if token in ("un", "une", "a", "one") and following not in _YEAR_WORDS | _MONTH_WORDS:
                continue
            return _UNITS[token], i + 1
    return None


_DEGREE = re.compile(r"\bbac ?\+ ?\d\b|\bm[12]\b")  # "bac+5": a degree, not years
_COUNTED = re.compile(r"\b\d{1,2} ?(ans?|annees?|years?|yrs?)\b")
_DECADE_WORDS = {"decennie", "decennies", "decade", "decades"}
_DECADE = re.compile(r"\b(decennies?|decades?)\b")
_DECADE_AND_A_HALF = re.compile(r"\b(decennie et demie?|decade and a half)\b")
_MORE_THAN = re.compile(r"\b(plus de|plus d|au dela de|more than|over|above|beyond)$")
_LESS_THAN = re.compile(r"\b(moins de|moins d|less than|under|below|presque|almost|nearly)$")


# An age said or asked about, not years of experience.
_AGE = re.compile(
    r"\b(age|ages|years old|yrs old|yo|vieux|vieille|too old|trop vieux|trop vieille|"
    r"age limit|limite d age)\b"
)
# Experience named ("d'xp", "de carrière", "as a dev", "in tech"): one vocabulary for the
# age read above and the questions' readings (bot.domain.question).
EXPERIENCE_SAID = re.compile(
    r"\b(experience|experiences|exp|xp|carriere|career|metier|boite|boulot|anciennete|"
    r"seniority|in the industry|in tech|in the field|dans le domaine|de dev|of dev|as an?|"
    r"en tant que|working|worked|work|travaille|bosse|pro|professionnelle?s?|professional|"
    r"background)\b"
)


_AND_MONTHS = re.compile(
    r"(?:et|and|plus) (?:[1-9]|1[01]|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|"
    r"onze|one|two|three|four|five|six|seven|eight|nine|ten|eleven|quelques|a few|some|"
    r"several) (?:mois|months?)\b"
)
_HALF_SIGN = re.compile(r"(\d)\s*(?:½|1/2)")


def with_halves_said(text: str) -> str:
    """ "10½ ans", "10 1/2 years" → "10 and a half ans", and "ten-and-a-half" without its
    hyphens: the half said in words, which the readings of years know."""
    text = _HALF_SIGN.sub(r"\1 and a half", text)
    return re.sub(r"(?i)-(and|et)-(a-)?(half|demie?)", lambda m: m.group(0).replace("-", " "), text)


_AND_A_HALF = re.compile(r"(?:et demie?|and a half)\b")


def read_years(text: str, today: dt.date) -> Optional[int]:
    """Whole years of professional experience, 0 to 60, or None when it is not a duration.

    "12", "douze ans", "10+ years", "depuis 2015", "six mois" (0), "12,5 ans" (13: past
    12, as "plus de 12 ans"; "10 ans et demi" is past the 10-year boundary of the pay).
    """
    folded = _DEGREE.sub(" ", fold(with_halves_said(text)))
    if re.search(r"(^|\s)-\s*\d", text):
        return None
    if _AGE.search(folded) and not EXPERIENCE_SAID.search(folded):
        return None  # "il y a une limite d'âge ? j'ai 58 ans": an age
    since = _SINCE.search(folded)
    bare_year = re.fullmatch(r"((?:19|20)\d\d)", folded.rstrip(" ."))
    year_text = since.group(2) if since else bare_year.group(1) if bare_year else None
    if year_text and not _COUNTED.search(folded):  # "9 years" said beats "since 2015"
        started = int(year_text)
        years = today.year - started
        return years if started <= today.year and 0 <= years <= MAX_YEARS else None
    tokens = re.findall(r"[a-z]+|\d+(?:[.,]\d+)?", folded)
    value: Optional[float] = None
    at = after = 0
    counted = _COUNTED.search(folded) is not None
    for i, token in enumerate(tokens):
        if counted and re.fullmatch(r"(?:19|20)\d\d", token):
            continue  # "after my master's in 2015, 9 years": the years said
        if token[0].isdigit():
            value, at, after = float(token.replace(",", ".")), i, i + 1
            break
    if value is None:
        found = _number_words(tokens)
        if found is None:
            if _DECADE_AND_A_HALF.search(folded):
                return 15  # "a decade and a half"
            return 10 if _DECADE.search(folded) else None  # "une décennie", "a decade"
        value, after = float(found[0]), found[1]
        at = after - 1
    unit = tokens[after] if after < len(tokens) else ""
    if unit in _MONTH_WORDS:
        value = value / 12
    elif unit in _DECADE_WORDS:
        value = value * 10  # "two decades"
    if not math.isfinite(value):
        return None  # "999…9 ans": too big for a float
    years = int(value)
    # "plus de dix ans" is beyond ten, "moins de dix ans" below it: the side of the boundary
    # they name, as the FAQ's reading (bot.domain.question) and fit.salary_band count it;
    # "10 ans et demi", "10 years and 3 months" are beyond ten too.
    before = " ".join(tokens[max(0, at - 3) : at])
    rest = " ".join(tokens[after : after + 5])  # "ans et 3 mois", "and a half years"
    fraction = value != years or bool(_AND_MONTHS.search(rest) or _AND_A_HALF.search(rest))
    if unit in _MONTH_WORDS:
        fraction = False  # "six mois": months alone count no year
    if value == years and _MORE_THAN.search(before):
        years += 1
    elif value == years and years > 0 and _LESS_THAN.search(before):
        years -= 1
    elif fraction and years > 0 and not _LESS_THAN.search(before):
        years += 1
    return years if 0 <= years <= MAX_YEARS else None


# ---- Yes / no ----------------------------------------------------------------------------

_YES = re.compile(
    r"^(oui|ouais|ouaip|yes|yep|yeah|yup|ya|y|o|si|bien sur|of course|absolument|"
    r"tout a fait|exactement|d accord|dacc|ok|okay|okey|sure|certainly|certainement|"
    r"affirmatif|correct|c est ca|c est bon|c est juste|that s right|right|j accepte|"
    r"i accept|i agree|je suis d accord|agreed|evidemment|volontiers|avec plaisir|"
    r"confirme|je confirme|i confirm|confirm|valider|je valide|envoyer|send|go|"
    r"yes please|oui merci|oui svp|oui s il vous plait|indeed|definitely|bien entendu|"
    r"i think so|i believe so|i guess so|je pense que oui|je crois que oui|je pense bien)\b"
)
_NO = re.compile(
    r"^(non|nan|nope|no|n|nah|pas du tout|absolutely not|not at all|jamais|never|aucune?|"
    r"none|pas vraiment|not really|je refuse|i refuse|i decline|je ne veux pas|"
    r"i don t|i do not|negatif|pas encore|not yet|hmm non|non merci|no thanks|no thank you|"
    r"i think not|je pense que non|je crois que non|je crois pas|je ne crois pas|"
    r"probably not|probablement pas)\b"
)
# "bah non, toujours en CDI", "well yes": a filler before the yes or the no.
_FILLER = re.compile(
    r"^(?:(?:bah|ben|beh|euh+|heu+|eh bien|bon|well|hmm+|um+|uh+|er+|oh|ah|alors|disons|"
    r"je dirais|i d say|i would say|let s say)\W+)+"
)


# A yes word followed only by a negation ("pas de souci", "no problem" stay yeses).
_NEGATED = re.compile(r"^\s*(que |qu )?(pas|non|not|no|never|jamais)( du tout| at all)?\s*$")
_EMPHATIC = re.compile(
    r"absolument|certainement|bien sur|of course|certainly|definitely|evidemment|sure|"
    r"bien entendu|tout a fait|exactement"
)


# "I don't know" in its usual forms: not a "no", whatever word it starts with.
_DONT_KNOW = re.compile(
    r"\b(je (ne )?sais pas|j sais pas|sais pas|chais pas|jsp|je ne sais|aucune idee|"
    r"pas d idee|sans idee|aucun avis|pas sur|pas sure|je suis pas sur|bof|"
    r"no idea|not sure|don t know|dont know|do not know|dunno|idk|no clue|not a clue|"
    r"i m not sure|unsure|hard to say|hard to tell|tough to say|tough to tell|difficult to say|"
    r"can t tell|cannot tell|can t say|difficile a dire|dur a dire|difficile de dire|"
    r"je saurais pas dire|je ne saurais (?:pas )?dire|ca depend|it depends|"
    r"peut etre|maybe|perhaps|possibly)\b"
)


def is_dont_know(text: str) -> bool:
    """ "je sais pas", "no idea", "bof", "peut-être": an answer that answers nothing."""
    return _DONT_KNOW.search(fold(text)) is not None


# "J'ai dirigé une équipe de 12 devs pendant 5 ans", "I managed a team of 8 engineers": a
# yes to "have you led a technical team?" said as a fact.
_LED_A_TEAM = re.compile(
    r"\b(?:j ai|jai|i ve|ive|i have|i|nous avons|on a)\s+(?:deja\s+|already\s+)?"
    r"(?:dirige|encadre|manage|managed|led|lead|ran|run|headed|supervise\w*|pilote)\b"
    r".{0,40}?\b(?:equipes?|teams?|devs?|developpeu\w+|developers?|engineers?|ingenieu\w+|"
    r"personnes|people|collaborateurs|salaries|employees)\b"
)
_NOT_LED = re.compile(r"\b(?:pas|jamais|never|not|n ai|haven t|have not|didn t)\b")


def tells_leading_a_team(text: str) -> bool:
    """A team one led, told as a fact, not denied."""
    folded = fold(text)
    return _LED_A_TEAM.search(folded) is not None and _NOT_LED.search(folded) is None


# A yes said outright, beside thanks: "Yes, I would appreciate that.", "oui merci"; not
# "d'accord, merci", which acknowledges.
_OUTRIGHT_YES = re.compile(
    r"\b(oui|ouais|yes|yeah|yep|yup|volontiers|avec plaisir|with pleasure|please|svp|stp|"
    r"s il vous plait|s il te plait|bien sur|of course|sure|je veux bien|i d like that|"
    r"go ahead|vas y|allez y|absolument|definitely)\b"
)


def says_yes_outright(text: str) -> bool:
    """A yes with a yes word in it, not an acknowledgement ("d'accord, merci")."""
    return read_yes_no(text) is True and _OUTRIGHT_YES.search(fold(text)) is not None


def read_yes_no(text: str) -> Optional[bool]:
    """A yes or a no at the start of the answer ("oui, j'ai cofondé…", "no thanks"); None for
    anything else, "no idea" and "non je sais pas" included."""
    folded = _FILLER.sub("", fold(text).strip(" .!"))
    if is_dont_know(folded):
        return None
    if _NO.match(folded):
        return False
    yes = _YES.match(folded)
    if yes:
        if _NEGATED.match(folded[yes.end() :]) is None:
            return True
        # "absolument pas", "bien sûr que non", "certainly not" say no; "oui non" says nothing.
        return False if _EMPHATIC.fullmatch(yes.group(1)) else None
    return _trailing_yes_no(text)


# "diriger une équipe… non pas vraiment", "a team of six devs, yes": the question echoed or
# the answer told, then a short yes or no after a comma or an ellipsis.
_CLAUSE_BREAK = re.compile(r"[,;:\u2026]|\.\.\.|\s[-\u2013\u2014]\s")
MAX_TRAILING_ANSWER_WORDS = 4  # "…, je pense que oui"


def _trailing_yes_no(text: str) -> Optional[bool]:
    if "?" in text:
        return None
    clauses = _CLAUSE_BREAK.split(text)
    last = clauses[-1].strip(" .!")
    if len(clauses) < 2 or not 0 < len(last.split()) <= MAX_TRAILING_ANSWER_WORDS:
        return None
    return read_yes_no(last)


# What a "do you have a project?" answer says when it has no yes or no: a project described
# ("we want to use our complaint data") is a yes, the same with a negation a no.
_PROJECT_WORDS = re.compile(
    r"\b(projets?|projects?|donnees|data|datasets?|jeux de donnees|exploiter|utiliser|"
    r"valoriser|analyser|use|using|build|building|construire|developper|develop|"
    r"ameliorer|improve|outils?|tools?|plateformes?|platforms?|applications?|algorithmes?|"
    r"algorithms?|ia|ai|intelligence artificielle|machine learning|automatiser|automate|"
    r"numerique|digital|open data|service public|public service|idees?|ideas?|"
    # "on a des tableurs Excel partout, on aimerait en tirer quelque chose"
    r"tableurs?|spreadsheets?|excel|fichiers|files|tableaux de bord|dashboards?|"
    r"bases? de donnees|databases?|en tirer|make sense of)\b"
)
_NEGATION = re.compile(
    r"\b(pas|plus|aucun|aucune|jamais|rien|sans|n|ne|no|not|never|none|nothing|without|"
    r"don t|dont|haven t|havent|hasn t|didn t|isn t|aren t|nobody|nulle?)\b"
)


def read_project_answer(text: str) -> Optional[bool]:
    """Whether an administration says it has a data project: a yes/no, or a project told
    (never a question: "et c'est quand l'appel à projets ?" tells no project)."""
    answer = read_yes_no(text)
    if answer is not None:
        return answer
    folded = fold(text)
    if is_question(text) or is_dont_know(folded) or not _PROJECT_WORDS.search(folded):
        return None
    return _NEGATION.search(folded) is None


# The host check's questions on a project that has one (the 2018 call's criteria and
# commitments): a yes, a no, or "not sure" ("unsure"), each read from natural words too.
UNSURE = "unsure"
_SPONSOR_WORDS = re.compile(
    r"\b(port\w*|soutien\w*|soutenu\w*|appui\w*|sponsor\w*|back\w*|support\w*|champion\w*|"
    r"dgs|dg|directeur|directrice|direction|director|maire|mayor|elus?|elue?s?|ministre|"
    r"minister|prefet|secretaire general|cabinet|president\w*|management|leadership|boss)\b"
)
_ACCESS_WORDS = re.compile(
    r"\b(acces|access|accessible\w*|donnees|data|serveurs?|servers?|infra\w*|moyens? "
    r"techniques?|technical|outils?|tools?|environnement|environment|api)\b"
)
_MONTHS = re.compile(
    r"\b(\d+|un|une|deux|trois|quatre|six|huit|dix|douze|dix huit|vingt|one|two|three|four|"
    r"six|eight|ten|twelve|eighteen|a|an|half a|half an) ?(ans?|annees?|years?|mois|months?)\b"
)
_NUMBER_WORDS = {"un": 1, "une": 1, "one": 1, "a": 1, "an": 1, "deux": 2, "two": 2,
                 "trois": 3, "three": 3, "quatre": 4, "four": 4, "six": 6, "huit": 8,
                 "eight": 8, "dix": 10, "ten": 10, "douze": 12, "twelve": 12,
                 "dix huit": 18, "eighteen": 18, "vingt": 20, "half a": 0.5,
                 "half an": 0.5}  # fmt: skip
_HEDGED_YES = re.compile(
    r"^(probablement|probably|sans doute|likely|most likely|normalement|normally|"
    r"a priori|en principe|in principle|should be)\b(?!\W*(pas|not|non|no)\b)"
)
_HEDGE = re.compile(r"^(plutot|probablement|sans doute|rather|probably|mostly|i think|je pense)\s+")
# The 2018 call asked for a project feasible in 10 months; the 7th promotion's contracts last
# at least 12: up to a year is within reach.
MAX_PROJECT_MONTHS = 12


def project_months(text: str) -> Optional[float]:
    """How many months a project would take, as said ("en un an", "10 months"), or None."""
    found = _MONTHS.search(fold(text))
    if found is None:
        return None
    count, unit = found.group(1), found.group(2)
    number = float(count) if count.isdigit() else _NUMBER_WORDS.get(count)
    if number is None:
        return None
    return number * 12 if unit.startswith(("an", "annee", "year")) else number


def answers_criterion(question: str, text: str) -> bool:
    """Whether ``text`` speaks of ``question``'s own subject (a length of time, a sponsor,
    access to data), so that it answers it even while another question is asked."""
    folded = fold(text)
    if question == "fits_duration":
        return project_months(text) is not None
    words = _SPONSOR_WORDS if question == "has_sponsor" else _ACCESS_WORDS
    return words.search(folded) is not None and not is_question(text)


def read_criterion_answer(question: str, text: str) -> Optional[str]:
    """``"yes"``, ``"no"`` or ``UNSURE`` to one of the host check's questions on the
    project (``question``: ``has_sponsor``, ``fits_duration``, ``data_access``), or None
    when the message does not answer it. A yes or no said first wins; a duration answers
    the duration; words of sponsorship or of access to data answer theirs (with a negation,
    no)."""
    folded = fold(text)
    if is_dont_know(folded):
        return UNSURE
    answer = read_yes_no(folded)  # "I think so, a first version at least"
    if answer is None:
        answer = read_yes_no(_HEDGE.sub("", folded))  # "plutôt oui" is a yes
    if answer is None and _HEDGED_YES.match(folded):
        answer = True  # "probably, it's fairly contained"
    if answer is not None:
        return "yes" if answer else "no"
    if question == "fits_duration":
        months = project_months(text)
        if months is not None:
            return "yes" if months <= MAX_PROJECT_MONTHS else "no"
        return None
    words = _SPONSOR_WORDS if question == "has_sponsor" else _ACCESS_WORDS
    if is_question(text) or not words.search(folded):
        return None
    return "no" if _NEGATION.search(folded) else "yes"


_DURATION_WORDS = re.compile(
    r"\b(\d+ ?(ans?|annees?|years?|yrs?|y|mois|months?)|ans?|annees?|years?|yrs?|mois|"
    r"months?|depuis|since|decennies?|decades?)\b"
)


def mentions_duration(text: str) -> bool:
    """ "douze ans", "6 years", "depuis 2015": a duration said as one, not a bare number."""
    return _DURATION_WORDS.search(fold(text)) is not None


# ---- Names, e-mails, free text, references -----------------------------------------------

_NAME_PREAMBLE = re.compile(
    r"^\s*(je m'?\s?appelle|je m’appelle|moi c'?est|moi c’est|c'?est|c’est|mon prénom est|"
    r"mon prenom est|mon prénom c'?est|my name is|my first name is|i'?m|i am|it'?s|"
    r"call me|appelez-moi|appelle-moi)\s+",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[^\W\d_]+(?:[ '’.-][^\W\d_]+)*\.?$")


def read_first_name(text: str) -> Optional[str]:
    """A first name as typed ("Je m'appelle Anne-Marie" → "Anne-Marie"), or None."""
    name = _NAME_PREAMBLE.sub("", text.strip()).strip(" .!,")
    name = re.sub(r"\s+", " ", name)
    if not name or len(name) > MAX_TYPED_FIRST_NAME or len(name.split()) > 4:
        return None
    if not _NAME.match(name):
        return None
    return name[0].upper() + name[1:] if name.islower() else name


_EMAIL_IN_TEXT = re.compile(r"[^@\s<>()\[\],;:\"']+@[^@\s<>()\[\],;:\"']+")


# An address dictated to a phone: "jerome point martin arobase gmail point com", "anna at
# example dot org" (both "at" and "dot" said, or "arobase").
_SPOKEN_AT = re.compile(r"\s+(?:arobase|arrobase|at)\s+", re.IGNORECASE)
_SPOKEN_DOT = re.compile(r"\s+(?:point|dot)\s+", re.IGNORECASE)
_SPOKEN_DASH = re.compile(r"\s+(?:tiret|dash|hyphen)\s+", re.IGNORECASE)
_SPOKEN_ADDRESS = re.compile(r"\b(?:arobase|arrobase)\b|\sat\s.*\sdot\s", re.IGNORECASE | re.DOTALL)


def spelled_address(text: str) -> str:
    """The text with an address dictated word by word written as one, if it has one."""
    if "@" in text or not _SPOKEN_ADDRESS.search(text):
        return text
    written = _SPOKEN_DASH.sub("-", _SPOKEN_DOT.sub(".", _SPOKEN_AT.sub("@", text)))
    return written if written.count("@") == 1 else text


def read_email(text: str) -> Optional[str]:
    """The e-mail address in an answer ("c'est Anne@Exemple.fr", or dictated: "anne arobase
    exemple point fr"), normalised, or None."""
    found = _EMAIL_IN_TEXT.findall(spelled_address(text))
    if len(found) != 1:
        return None
    candidate = found[0].strip(".")
    if not EMAIL_RE.match(candidate):
        return None
    try:
        return normalize_email(candidate)
    except InvalidSubmission:
        return None


def read_free_text(text: str, maximum: int) -> Optional[str]:
    """A free-text answer with a few letters, whitespace tidied, at most ``maximum`` chars."""
    cleaned = re.sub(r"[ \t]+", " ", re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text))
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned).strip()
    if sum(c.isalpha() for c in cleaned) < MIN_FREE_TEXT_LETTERS or len(cleaned) > maximum:
        return None
    return cleaned


def read_reference(text: str) -> Optional[str]:
    """A pre-application reference anywhere in the text ("EIG-7K3M-Q9XZ"), or None."""
    match = re.search(r"\bEIG[\s-]?([0-9A-Z]{4})[\s-]?([0-9A-Z]{4})\b", text.upper())
    if not match:
        return None
    reference = normalize_reference(f"EIG-{match.group(1)}-{match.group(2)}")
    return reference if REFERENCE_RE.match(reference) else None


# ---- Stopping -----------------------------------------------------------------------------

_STOP = re.compile(
    r"\b(stop|stoppe|stopper|arrete|arreter|arretons|annule|annuler|annulez|laisse tomber|"
    r"laissez tomber|abandonne|abandonner|j abandonne|cancel|quit|abort|never mind|"
    r"forget it|give up|let s leave it (?:there|here|at that)|on en reste la|restons en la)\b"
)


def says_stop(text: str) -> bool:
    """ "non en fait stop", "laissez tomber", "never mind": a wish to stop what is going on."""
    return _STOP.search(fold(text)) is not None


# "stop, je dois d'abord voir avec mon chef", "hold on, stop, I need to check something",
# "let's stop here, I need to talk to my manager first": a message that opens with a stop,
# after a filler at most; not "stop sending me e-mails" nor "arrête de m'écrire".
_OPENS_WITH_STOP = re.compile(
    r"^(?:(?:ok|okay|bon|bah|ben|euh|hmm|hold on|wait|attends|attendez|non|no|sorry|"
    r"desole|en fait|actually|ah|oh|zut|mince|oups|oops|damn|argh)\s+)*"
    r"(?:stop|on arrete|on s arrete|j arrete|je m arrete|arretons|arrete|arretez|annule|"
    r"annulez|annuler|laisse tomber|laissez tomber|let s stop|lets stop|let s pause|"
    r"cancel|never mind|nevermind|forget it|i ll stop|i will stop|pause|let s leave it|"
    r"lets leave it|on en reste|restons en)"
    r"(?:\s+(?:la|ici|here|there|now|maintenant|pour l instant|for now|tout|it|that|this|"
    r"at that|everything))*"
    r"(?:\s+|$)(?!de |d |\w+ing\b)"  # "arrête de…", "stop wasting my time and…"
)


def opens_with_stop(text: str) -> bool:
    """ "stop, je dois d'abord voir avec mon chef", "let's stop here, I need to talk to my
    manager first": a stop said first, whatever follows (no question)."""
    folded = " ".join(re.sub(r"[,.;:!\-–…]+", " ", fold(text)).split())
    return _OPENS_WITH_STOP.match(folded) is not None and not text.strip().endswith("?")


# "we need to check with the president first lets stop here": a stop said last.
_ENDS_WITH_STOP = re.compile(
    r"\b(?:let s|lets|let us|we ll|we will|i ll|i will|on|je|nous)\s+"
    r"(?:stop|pause|arrete|s arrete|m arrete|arretons|stoppe|cancel|annule)"
    r"(?:\s+(?:it|this|that|ca))?"
    r"(?:\s+(?:here|there|now|for now|for today|for the moment|la|ici|pour l instant|"
    r"pour aujourd hui|pour le moment)){0,2}\s*$|"
    # "…, cancel for now", "…, on annule pour l'instant": the verb alone, for a while
    r"\b(?:cancel|annule|annulez|annulons|stop|pause|arrete|arretons|stoppe)"
    r"(?:\s+(?:it|this|that|ca|tout|everything))?"
    r"\s+(?:for now|for today|for the moment|pour l instant|pour aujourd hui|pour le moment)"
    r"\s*$"
)


def ends_with_stop(text: str) -> bool:
    """ "…, let's stop here", "…, on s'arrête là": a stop said last (no question)."""
    folded = " ".join(re.sub(r"[,.;:!\-–…]+", " ", fold(text)).split())
    return _ENDS_WITH_STOP.search(folded) is not None and not text.strip().endswith("?")


_RESUME = re.compile(
    r"\b(reprend\w*|reprenons|continu\w*|on y retourne|on poursuit|poursuiv\w*|resume|"
    r"carry on|go on|keep going|pick (it|this|that)? ?(back )?up|back to it|let s go on|"
    r"(go|get|come) back to (it|the (pre ?application|application|form|questions?|check))|"
    r"back to the (pre ?application|application|form|questions?|check)|"
    r"where were we|i m back|je suis de retour|me revoila|"
    r"on en etait ou|ou en etions nous|ou on en etait)\b"
)


# "oui allons-y", "sure, check it", "ok let's do it": a go-ahead, and nothing else.
_GO_AHEAD = re.compile(
    r"^(?:(?:oui|ouais|yes|yep|yeah|ok|okay|sure|d accord|dac|alright|all right|bien sur|"
    r"parfait|great|super|cool|fine|bon|alors|then)\s+)*"
    r"(?:go on|go ahead|go for it|let s go|let s do it|let s do this|let s check|check it|"
    r"do it|please do|allons y|vas y|allez y|on y va|c est parti|on peut y aller|faisons le|"
    r"verifions|on verifie|je veux bien|volontiers|avec plaisir)"
    r"(?:\s+(?:then|alors|please|svp|merci|thanks|go))*$"
)


def says_go_ahead(text: str) -> bool:
    """A go-ahead and nothing else: "oui allons-y", "sure, check it", "let's do it"."""
    return _GO_AHEAD.match(" ".join(words(text))) is not None


def says_resume(text: str) -> bool:
    """ "ok on reprend", "let's pick it back up": a wish to go on with what was stopped."""
    folded = fold(text)
    return _RESUME.search(folded) is not None and not says_stop(text)


_KEEP_VERB = (
    r"(?:gard\w*|conserv\w*|stock\w*|enregistr\w*|sauvegard\w*|keep\w*|kept|stor\w*|"
    r"sav\w*|retain\w*|record\w*)"
)
_PERSONAL = (
    r"(?:(?:mes|mon|ma|my|nos|our) (?:infos?|informations?|donnees|data|details|coordonnees|"
    r"e ?mails?|adresses?|address|reponses|answers|personal data|stuff|things|trucs|"
    r"profil|profile|dossier)|rien|nothing|anything|"
    r"aucune? (?:info\w*|donnee\w*)|it)"
)
_REFUSES_KEEPING = re.compile(
    r"\b(?:ne|n|pas|jamais|don t|do not|dont|didn t|did not|never|rather not|not)\b.{0,25}?"
    rf"\b{_KEEP_VERB}\b.{{0,12}}?\b{_PERSONAL}\b"
    rf"|\b{_KEEP_VERB}\s+(?:rien|nothing|aucune? (?:info\w*|donnee\w*))\b"
    rf"|\bne rien\s+{_KEEP_VERB}\b"
)


# "vous pouvez effacer mes données ?", "pls erase my stuff", "I kindly request the erasure
# of all personal data relating to me": a wish to have one's data erased.
_ERASE = re.compile(
    r"\b(effac\w*|supprim\w*|delete|deleting|deletion|del|erase|erasing|erasure|remove|"
    r"removing|wipe|purge\w*|retir\w*)\b.{0,30}?\b(mes|mon|ma|my|me|all|toutes?|tous|les|"
    r"any|mine)\b.{0,20}?\b(donnees?|data|infos?|informations?|stuff|details|dossiers?|"
    r"comptes?|account|e ?mails?|adresses?|address|coordonnees|traces?|pre ?candidature|"
    r"pre ?application|application|candidature|answers|reponses|personal)\b"
    r"|\b(droit a l oubli|right to be forgotten|right to erasure|forget (about )?me|"
    r"oubliez moi|oublie moi)\b"
)


def asks_erasure(text: str) -> bool:
    """A wish to have one's data erased, however it is worded."""
    return _ERASE.search(fold(text)) is not None


def refuses_keeping(text: str) -> bool:
    """ "non je préfère pas que vous gardiez mes infos", "I'd rather you didn't keep my
    data": a refusal to have one's answers kept, whichever question is asked."""
    return _REFUSES_KEEPING.search(fold(text)) is not None


# "en fait non, plus tard", "maybe later", "attendez, je préfère pas donner mon mail
# maintenant", "hold on, I'd rather not give my email yet": the form put off, said in a few
# words (not "je vous recontacte plus tard", a farewell, nor "I'd rather not give my e-mail",
# a refusal to be contacted, which the consent question takes).
_LATER = re.compile(
    r"^(?:(?:ok|okay|bon|bah|ben|euh|hmm|hold on|wait|attends|attendez|non|no|nope|sorry|"
    r"desole|en fait|actually|finalement|finally|ah|oh|merci|thanks|mais|but)\s+)*"
    r"(?:plus tard|later|maybe later|peut etre plus tard|not now|pas maintenant|"
    r"pas pour l instant|pas pour le moment|pas tout de suite|"
    r"une autre fois|another time|some other time|not right now)"
    r"(?:\s+(?:merci|thanks|thank you|peut etre|maybe|alors|then))*$"
)
_NOT_YET_GIVEN = re.compile(
    r"\b(?:prefere|prefererais|aime mieux|aimerais mieux|would rather|d rather|rather)\s+"
    r"(?:ne )?(?:pas|not)\s+(?:vous\s+|te\s+|you\s+)?(?:donner|give|share|laisser|communiquer|"
    r"enter|type|provide)\s+(?:mon|mes|my)\s+(?:e ?mail|mail|adresse|address|coordonnees|"
    r"details)\b.{0,20}?\b(?:maintenant|pour l instant|pour le moment|tout de suite|encore|"
    r"yet|now|right now|for now|at the moment|just yet)\b"
)
MAX_LATER_WORDS = 16


def puts_off(text: str) -> bool:
    """ "en fait non, plus tard", "I'd rather not give my email yet": the thing going on put
    off, in a few words (a stop, which the pre-application confirms first)."""
    folded = " ".join(re.sub(r"[,.;:!\-–…]+", " ", fold(text)).split())
    if not folded or len(folded.split()) > MAX_LATER_WORDS or text.strip().endswith("?"):
        return False
    return _LATER.match(folded) is not None or _NOT_YET_GIVEN.search(folded) is not None


# ---- Which answer someone wants to change ------------------------------------------------

_FIELD_WORDS = (
    ("entrepreneurial_description", r"\b(description|decri\w*|describe)\b"),
    ("entrepreneurial_experience", r"\b(entrepreneu\w*|startups?|start ups?|fonde\w*|founded)\b"),
    ("led_teams", r"\b(equipes?|teams?|manage\w*|encadre\w*)\b"),
    ("email", r"\b(e ?mails?|mails?|courriels?|adresse|address)\b"),
    ("first_name", r"\b(prenom|nom|name|first name|firstname)\b"),
    ("years_experience", r"\b(ans|annees?|years?|experience|anciennete)\b"),
    ("project_interest", r"\b(projets?|project|sujets?|topics?|travailler sur|work on)\b"),
    ("target_profile", r"\b(profil|profile|poste|role|position|cto|cpo|produit|product|"
     r"technique|technical)\b"),
    ("consent", r"\b(consentement|consent|accord|autorisation)\b"),
)  # fmt: skip


_CORRECTION_CUE = re.compile(
    r"^(non|no|nope|pardon|oups|oops|sorry|desole|desolee|attends|wait|correction)\b"
    r"|\b(en fait|enfait|plutot|je me suis trompe\w*|je voulais dire|erreur|rectifi\w*|"
    r"actually|i meant|i mean|rather|my mistake|my bad|typo|correction|je corrige|"
    r"je rectifie|let me correct|i correct|je me suis avance\w*)\b"
)


def says_correction(text: str) -> bool:
    """ "en fait non, plutôt 11 ans", "sorry, I meant 14", "euh non je corrige": words that
    take an answer back."""
    return _CORRECTION_CUE.search(_FILLER.sub("", fold(text))) is not None


def field_from_text(text: str) -> Optional[str]:
    """Which answer a correction is about ("change my e-mail" → ``email``), or None."""
    folded = fold(text)
    for field, pattern in _FIELD_WORDS:
        if re.search(pattern, folded):
            return field
    return None


_QUESTION_START = re.compile(
    r"^((et|and|mais|but|ok|okay|donc|so|alors|then|du coup|bon|right|well|wait|attends)"
    r"[\s,;:!.]+)*"  # "et c'est quand…", "ok, when can we…"
    r"(quel|quelle|quels|quelles|combien|comment|quand|ou|pourquoi|qui|que|qu est|est ce|"
    r"c est quoi|cest quoi|c koi|c est quand|c est combien|c est qui|c est ou|c est comment|"
    r"y a t il|peut on|puis je|dois je|faut il|"
    r"what|whats|how|when|where|why|who|which|is|are|can|could|do|does|did|should|will|"
    r"would|may)\b"
)


def starts_like_question(text: str) -> bool:
    """ "combien ça paie", "c'est quoi un CTO", "what is…": a question word first."""
    return bool(_QUESTION_START.match(fold(text)))


MIN_TRAILING_QUESTION_WORDS = 3
# "attendez, au-delà de 10 ans c'est payé combien déjà ?": a question that interrupts.
_INTERRUPTS = re.compile(
    r"^(?:attends|attendez|attend|wait|hang on|hold on|avant ca|avant cela|before that|"
    r"au fait|by the way|btw|juste une question|une question|petite question|quick question|"
    r"question|sorry but|pardon mais|excusez moi|excuse me)\b"
)


def interrupts_with_question(text: str) -> bool:
    """A question that opens by interrupting ("attendez, …?", "hang on, …?")."""
    return text.strip().endswith("?") and _INTERRUPTS.match(fold(text)) is not None


# "d'accord, et on s'engage à quoi ?", "ok. et le calendrier ?": what was just said taken
# in, then a question; not "oui, et c'est payé combien ?", which answers first.
_TAKEN_IN_THEN_ASKS = re.compile(
    r"^(?:ok|okay|oki|d accord|dac|entendu|je vois|ah|ah ok|i see|alright|all right|got it|"
    r"compris|bien compris|understood|noted|note|parfait|super|merci|thanks|thank you)"
    r"(?:\s*[,.;:!]+\s*|\s+)(?:et|and|mais|but|du coup|so|alors)?\s*\w+\s+\w+"
)


def takes_in_then_asks(text: str) -> bool:
    """ "d'accord, et on s'engage à quoi exactement ?": an acknowledgement, then a question
    (no answer to a form's question)."""
    return text.strip().endswith("?") and _TAKEN_IN_THEN_ASKS.match(fold(text)) is not None


def opening_before_question(text: str) -> Optional[str]:
    """What comes before a question asked last, after a comma, a colon or a semicolon
    ("hang on, before that: what's the pay past ten years?" → "hang on, before that"); None
    when the message does not end with such a question."""
    pieces = re.split(r"[,:;]\s*", text.strip())
    if len(pieces) < 2 or not text.strip().endswith("?"):
        return None
    last = pieces[-1]
    if len(re.findall(r"\w+", last)) < MIN_TRAILING_QUESTION_WORDS or not starts_like_question(
        last
    ):
        return None
    return text.strip()[: len(text.strip()) - len(last)].rstrip(" ,:;")


def is_question(text: str) -> bool:
    """A question mark, or a sentence that starts like a question ("combien ça paie")."""
    return text.strip().endswith("?") or starts_like_question(text)


# ---- Asking for the team's address ----------------------------------------------------------

# "il y a un mail pour en parler ?", "vous avez un mail pour poser la question ?", "is there an
# email to discuss it?": the team's address asked for, which the classifiers take for a wish
# to be told by e-mail when the call opens.
_ADDRESS_ASKED = re.compile(
    r"\b(?:un|une|an|a|the|l|votre|vos|ton|your|quel|quelle|what s|whats|what is|which|"
    r"any|some|une autre|another)\s+(?:adresse\s+)?(?:e ?mails?|mails?|mels?|adresses?|"
    r"address|addresses|contacts?|email address)\b"
)
# "prévenez-moi dès que c'est ouvert", "ping me when it opens": a request to be told.
_TELL_ME = (
    r"prevenir|prevenez|previens|prevenu|prevenue|avertir|avertissez|alerte\w*|notif\w*|"
    r"informer|informez|tenir au courant|tenez moi|tiens moi au courant|notify|let me know when|"
    r"tell me when|keep me posted|ping me|email me|e mail me|mail me|send me|m envoyer|"
    r"me envoyer|envoyez moi|envoie moi|m ecrire|ecrivez moi|write to me|"
    r"drop me (?:a line|an email)"
)
_REQUEST_TO_BE_TOLD = re.compile(rf"\b(?:{_TELL_ME})\b")
# ... or the call's opening named: not asking for the team's address
_TO_BE_TOLD = re.compile(
    rf"\b(?:{_TELL_ME}|ouverture|ouvert|ouverte|ouvre|ouvrent|ouvrira|opening|opens?|"
    r"launch\w*|lancement)\b"
)
_AN_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


# "comment je postule ?", "where's the application form?": how or where to apply, asked;
# not "je veux postuler, on commence ?" (a wish to start the pre-application now).
_HOW_OR_WHERE = (
    r"(?:comment|how|where|par ou|ou ca|ou (?:est|sont|se trouve|je|on|puis|peut|peux|dois|"
    r"faut|envoy\w*|depos\w*|trouv\w*))"
)
_APPLYING = r"(?:postul\w*|candidat\w*|apply|applying|application|dossier|formulaire|form)"
_HOW_TO_APPLY = re.compile(
    rf"\b{_HOW_OR_WHERE}\b.{{0,40}}\b{_APPLYING}\b|\b{_APPLYING}\b.{{0,30}}\b(?:c est ou|ou ca|"
    # "ok nice, je postule où ?", "je dépose mon dossier où ?"
    r"se trouve ou|is where|ou\W*$)"
)
_WISH_NOW = re.compile(
    r"\b(je veux|je voudrais|j aimerais|je souhaite|i want|i d like|i would like|let s|"
    r"allons y|on commence|commencer|commencons|start|begin|now|maintenant|tout de suite|"
    r"right away|pre ?candidature|pre ?application|verifier|check|"
    # "how do I know if I qualify before applying?": whether one fits, not where to apply
    r"qualify|qualifie\w*|eligib\w*|selection\w*|selected|profil\w*)\b"
)


def asks_how_to_apply(text: str) -> bool:
    """ "comment je postule ?", "where do I send my application?": how or where to apply,
    which the classifiers take for a wish to start the pre-application."""
    folded = fold(text)
    return _HOW_TO_APPLY.search(folded) is not None and _WISH_NOW.search(folded) is None


def asks_for_address(text: str) -> bool:
    """Whether a question asks for an address to write to (not to be told when the call
    opens, not giving one's own)."""
    folded = fold(text)
    return (
        is_question(text)
        and _ADDRESS_ASKED.search(folded) is not None
        and _TO_BE_TOLD.search(folded) is None
        and _AN_ADDRESS.search(text) is None
    )


# ---- Which side someone takes part on -------------------------------------------------------

_CANDIDATE_SIDE = re.compile(
    r"\b(candidat|candidate|candidats|candidates|candidature|applicant|postuler|apply|"
    r"devenir eig|become an? eig|in person|moi meme|myself|individual|particulier|a titre "
    r"personnel|personnellement|personally|pour moi|for me|for myself)\b"
)
_ADMINISTRATION_SIDE = re.compile(
    r"\b(administrations?|collectivites?|mairies?|ministeres?|ministry|ministries|communes?|"
    r"departements?|regions?|councils?|agences?|agency|agencies|etablissements?|hopitaux|"
    r"hopital|hospitals?|chu|structures?|organisations?|organizations?|services? public|"
    r"public body|public sector body|employeurs?|employers?|institutions?|accueillir|heberger|"
    r"host|hosting)\b"
)


def names_administration_side(text: str) -> bool:
    """Whether a message names the administrations' side ("une mairie", "our agency")."""
    return _ADMINISTRATION_SIDE.search(fold(text)) is not None


MAX_AUDIENCE_WORDS = 8  # "en tant que candidat", "plutôt côté administration"
_SIDE_FIRST = re.compile(
    r"^\W*(?:(?:plutot|rather|well|bah|ben|euh|oh)\W+)?(?:en tant qu[e ]|as an?|cote|comme|"
    r"on the)\s*(?:(?P<candidate>candidate?s?|applicant)|(?P<administration>administrations?|"
    r"collectivite|public body|employer|employeur|host|structure d accueil))\b"
)


def read_audience(text: str) -> Optional[str]:
    """The answer to "you would like to take part as…?" typed instead of clicked: ``candidate``
    ("en tant que candidat", "as a candidate, for myself"), ``administration`` ("côté
    administration", "for my ministry"), or None: a question, a longer sentence, both sides
    or neither."""
    folded = fold(text)
    if is_question(text):
        return None
    # "as a candidate - I'm a product manager looking for my next role": the side said
    # first, whatever follows.
    said_first = _SIDE_FIRST.match(folded)
    if said_first:
        rest = folded[said_first.end() :]
        if said_first.group("candidate") and not _ADMINISTRATION_SIDE.search(rest):
            return "candidate"
        if said_first.group("administration") and not _CANDIDATE_SIDE.search(rest):
            return "administration"
    if len(folded.split()) > MAX_AUDIENCE_WORDS:
        return None
    candidate = _CANDIDATE_SIDE.search(folded) is not None
    administration = _ADMINISTRATION_SIDE.search(folded) is not None
    if candidate == administration:
        return None
    return "candidate" if candidate else "administration"


# ---- Someone introducing themselves --------------------------------------------------------

# "jsuis dev fullstack 4ans xp", "I'm a project manager in a central government directorate",
# "je cherche un poste dans le public": a statement about oneself, not a question.
_INTRODUCTION = re.compile(
    r"^(?:(?:bonjour|bonsoir|salut|slt|hello|hi|hey|coucou|good (?:morning|afternoon|evening))"
    r"\W+)?(?:alors |so |well |moi |perso |personnellement )?"
    r"(?P<who>je suis|jsuis|j suis|chui|chuis|je bosse|je travaille|je cherche|"
    r"nous sommes|on est|i m|im|i am|i work|i ve been working|i have been working|"
    r"looking for|we re|we are)\b"
)
# "Hi, Aurélien Moreau here, CTO at a startup", "moi c'est Inès, dev depuis 6 ans": a
# name first, then who writes.
_NAMED_INTRODUCTION = re.compile(
    r"^(?:(?:bonjour|bonsoir|salut|slt|hello|hi|hey|coucou|good (?:morning|afternoon|evening))"
    r"\W+)?(?P<who>(?:moi c est|je m appelle|my name is|this is) [a-z-]+(?: [a-z-]+)?|"
    r"[a-z-]+(?: [a-z-]+)? here)\b"
)
_PLURAL = re.compile(r"^(nous sommes|on est|we re|we are)$")
# A job sought, or the candidates' side named: "je cherche un poste", "job hunting".
_SEEKING = re.compile(
    r"\b(job|jobs|poste|postes|emploi|boulot|taf|mission|missions|freelance|independant|"
    r"en recherche|recherche d emploi|job hunting|reconversion|career change|candidate side|"
    r"cote candidat|devenir eig|become an? eig|becoming an? eig|interesse|interested|"
    r"looking for a change|looking for something new|new challenge|nouveau defi|"
    r"envie de changer|changer de voie)\b"
)
# A question asked inside the statement ("je suis dev, combien je toucherais").
_ASKS_INSIDE = re.compile(
    r"\b(combien|quand|quel|quelle|quels|quelles|pourquoi|comment|est ce|how much|how many|"
    r"how long|what|when|which|can i|could i|do i|am i|is it|is that|ca passe|c est bon|"
    # an indirect question: "I'd like to know if the ministry pays part of it"
    r"savoir si|savoir quel\w*|savoir comment|savoir combien|me demande|me demandais|"
    r"nous demandons|nous nous demandons|on se demande|know if|know whether|to know|"
    r"wondering|i wonder|whether|asking about|asking if|je demande|question sur|"
    r"question about|find out|le lien|the link|lien pour|link to)\b"
)
MAX_INTRODUCTION_WORDS = 30


def asks_something(text: str) -> bool:
    """A question, direct or indirect ("… who wishes to know what obligations…")."""
    return is_question(text) or _ASKS_INSIDE.search(fold(text)) is not None


def opens_with_introduction(text: str) -> bool:
    """ "Je suis au service informatique d'un hôpital, …", "I'm a developer, …": a message
    that starts by saying who writes."""
    return _INTRODUCTION.match(fold(text)) is not None


def read_introduction(text: str) -> Optional[str]:
    """The side of someone who introduces themselves without asking anything: ``candidate``
    ("jsuis dev fullstack 4ans xp", "I'm looking for a job in the public sector", "je suis
    data scientist et je cherche un job qui a du sens"), ``administration`` ("I'm a project
    manager in a central government directorate", "nous sommes un CHU"), or None: a
    question, both sides or neither (the classifiers decide)."""
    folded = fold(text)
    found = _INTRODUCTION.match(folded) or _NAMED_INTRODUCTION.match(folded)
    if (
        found is None
        or is_question(text)
        or _ASKS_INSIDE.search(folded)
        or len(folded.split()) > MAX_INTRODUCTION_WORDS
    ):
        return None
    administration = (
        structure_from_text(text) is not None or _ADMINISTRATION_SIDE.search(folded) is not None
    )
    candidate = not _PLURAL.match(found.group("who")) and (
        read_profile(text) not in (None, "other")
        or _SEEKING.search(folded) is not None
        or _CANDIDATE_SIDE.search(folded) is not None
    )
    if candidate == administration:
        return None
    return "candidate" if candidate else "administration"


# ---- Asking for the host check --------------------------------------------------------------

# "nous souhaiterions vérifier notre éligibilité en tant que structure d'accueil", "we would
# like to verify whether our administration could welcome a team of EIGs": the host check
# asked for in a letter, which the classifiers read as who may apply, or as a request for help.
_CHECK = (
    r"\b(verifier|savoir|voir|tester|evaluer|confirmer|check|verify|see|find out|know|"
    r"confirm|assess|tell us|tell me|let us know|dites nous|dire)\b"
)
_HOST_WISH = re.compile(
    _CHECK + r".{0,40}?\b(si|whether|if)\b.{0,60}?\b(accueillir|heberger|recevoir|"
    r"host|welcome|receive|take on|bring in|have(?! to))\b.{0,30}?\b(eig|eigs|entrepreneurs?|"
    r"equipe|team)\b"
    r"|" + _CHECK + r".{0,20}?\b(notre|nos|our)\b.{0,20}?\b(eligibilite|eligibility)\b"
    r".{0,60}?\b(structure d accueil|structure hote|accueil|host|hosting|appel a projets|"
    r"call for projects)\b"
)
_OURS = re.compile(r"\b(notre|nos|nous|our|we|us)\b|" + _ADMINISTRATION_SIDE.pattern)


# "ok, on peut vérifier si on est éligibles ?", "can you check whether we'd be eligible?":
# a check of "our" eligibility, which names no structure (the administrations' side only
# when they were just spoken of: ``actions.message_slots.wishes_host_check``).
_OUR_ELIGIBILITY = re.compile(
    _CHECK + r".{0,40}?\b(eligibles?|eligibility|eligibilite|qualify|qualifies)\b"
)
_WE = re.compile(r"\b(notre|nos|nous|our|we|us|we d|we re|on (?:est|serait|peut|pourrait|a))\b")


def asks_our_eligibility_check(text: str) -> bool:
    """Whether a message asks to check whether "we" are eligible."""
    folded = fold(text)
    return _OUR_ELIGIBILITY.search(folded) is not None and _WE.search(folded) is not None


# "could we host EIGs?", "on pourrait accueillir des EIG ?": whether "we" may host some, in
# plain words (no "check").
_WE_HOST = re.compile(
    r"\b(?:(?:can|could|may|might|would) (?:we|our \w+)|are we (?:able|allowed) to|"
    r"(?:peut|pourrait|pourra) on|pouvons nous|pourrions nous|on (?:peut|pourrait|pourra)|"
    r"(?:notre|nos) \w+ (?:peut|peuvent|pourrait|pourraient))\s+(?:\w+ ){0,2}?"
    r"(?:host|welcome|take on|have|get|receive|accueillir|avoir|recevoir|heberger)\b"
    r".{0,30}?\b(?:eigs?|entrepreneurs?)\b"
)


# "ah non en fait je suis côté administration, on voudrait accueillir des EIG", "sorry,
# actually I'm a candidate, I want to apply myself": the other side, said outright in the
# middle of a form meant for one side.
_SPEAKS_FOR_ADMINISTRATION = re.compile(
    r"\b(?:(?:accueillir|heberger|recevoir|recruter|host|hosting|welcome|take on|bring in)\b"
    r".{0,30}?\b(?:eigs?|entrepreneurs?)|(?:cote|side (?:of|de)?) ?(?:l )?administrations?|"
    r"administration side|(?:je|nous) represente\w*|we represent|on behalf of (?:a|an|our|my)|"
    r"(?:au nom|pour le compte) d (?:une|un|notre|mon|ma))\b"
)
_SPEAKS_AS_CANDIDATE = re.compile(
    r"\b(?:(?:i m|i am|je suis|jsuis) (?:a |an |un |une )?(?:candidate?|applicant|candidat\w*)|"
    r"as a candidate|en tant que candidat\w*|cote candidat\w*|candidate side|"
    r"apply myself|postuler moi meme|candidater moi meme|for myself|pour moi meme|"
    r"(?:je veux|je voudrais|i want to|i d like to|i would like to) (?:postuler|candidater|apply)"
    r"(?: moi meme| myself| personally| personnellement)?)\b"
)


def speaks_for_administration(text: str) -> bool:
    """Whether a message says outright that it speaks for an administration that would host."""
    return _SPEAKS_FOR_ADMINISTRATION.search(fold(text)) is not None


def speaks_as_candidate(text: str) -> bool:
    """Whether a message says outright that it speaks as a candidate."""
    return _SPEAKS_AS_CANDIDATE.search(fold(text)) is not None


def asks_if_we_may_host(text: str) -> bool:
    """ "could we host EIGs?", "on pourrait accueillir des EIG ?": whether we may host some."""
    return _WE_HOST.search(fold(text)) is not None


# "can you check if our project fits?", "vous pouvez voir si notre projet colle ?": a check
# of "our" project or structure, which only the administrations' check does.
_OUR_PROJECT_CHECK = re.compile(
    _CHECK + r".{0,40}?\b(notre|nos|our)\b.{0,10}?\b(projets?|projects?|structures?|"
    r"administrations?|dossiers?|idees?|ideas?)\b"
)


def asks_our_project_check(text: str) -> bool:
    """Whether a message asks to check "our" project or structure (not one's own profile)."""
    folded = fold(text)
    return _OUR_PROJECT_CHECK.search(folded) is not None and _CANDIDATE_SIDE.search(folded) is None


def asks_host_check(text: str) -> bool:
    """Whether a message asks to check that one's structure may host EIGs."""
    folded = fold(text)
    return (
        _HOST_WISH.search(folded) is not None
        and _OURS.search(folded) is not None
        and _CANDIDATE_SIDE.search(folded) is None
    )


# ---- Saying hello with one's name -----------------------------------------------------------

_HELLO = (
    r"(?:bonjour|bonsoir|salut|slt|coucou|hello|hi|hey|hiya|yo|"
    r"good (?:morning|afternoon|evening))"
)
_NAME_INTRO = (
    r"(?:moi c est|c est|je m appelle|je suis|mon nom est|mon prenom est|ici|my name is|"
    r"my name s|i m|im|i am|this is|it s)"
)
_GREETING_WITH_NAME = re.compile(
    rf"^(?:{_HELLO}(?: there| a tous| tout le monde)?\W*(?:{_NAME_INTRO}\s+)?|{_NAME_INTRO}\s+)"
    r"(?P<name>[a-z]+(?: [a-z]+)?)\W*"
    # "I'm Siobhan, just nosing around", "moi c'est Inès, je me renseigne"
    r"(?:(?:just|juste|simplement|only) [a-z ]{1,30}|je me renseigne|je regarde|"
    r"je decouvre|curious|browsing|looking around|by the way|btw|au fait|d ailleurs)?\W*$"
)


# "Kevin here, …", "Bonjour, Inès ici, …": a name, then "here"
_NAME_HERE = re.compile(rf"^(?:{_HELLO}\W*)?(?P<name>[a-z]+(?: [a-z]+)?) (?:here|ici)\W*$")


def names_oneself(text: str) -> bool:
    """ "moi c'est Kevin", "je m'appelle Inès", "Kevin here": who writes, by name, and
    nothing else."""
    if greets_by_name(text):
        return True
    found = _NAME_HERE.match(fold(text))
    if found is None or read_profile(found.group("name")) is not None:
        return False
    first = found.group("name").split()[0]
    return any(fold(word) == first and word[:1].isupper() for word in re.findall(r"\w+", text))


def greets_by_name(text: str) -> bool:
    """ "Salut, moi c'est Inès !", "hey there, I'm Tom", "je m'appelle Karim": a hello with
    a first name, or a name given alone, and nothing asked (a job is an introduction)."""
    if is_question(text) or len(text) > MAX_TYPED_FIRST_NAME:
        return False
    found = _GREETING_WITH_NAME.match(fold(text))
    if found is None or read_profile(found.group("name")) is not None:
        return False
    # the name must be written as one ("moi c'est Inès"), or follow "je m'appelle"
    first = found.group("name").split()[0]
    name_written = any(
        fold(word) == first and word[:1].isupper() for word in re.findall(r"\w+", text)
    )
    told = re.search(r"(je m appelle|my name|mon nom|mon prenom)", fold(text)) is not None
    return name_written or told


# ---- Asking for the pre-application -------------------------------------------------------

# "go pour la precandidature", "jveux voir si je corresponds au poste de directeur
# technique", "can you run the eligibility check for me", "wanna see if I'm a match for the
# technical director role": the guided pre-application asked for, in words the classifier
# does not know.
_PRE_APPLICATION_NAMED = re.compile(
    r"\b(pre ?candidature|precandidater|pre ?application|preapplication|eligibility check|"
    r"check (of )?my eligibility|test (de )?(mon )?eligibilite|verification (de )?(mon )?profil)\b"
)
_CHECK_FIT = re.compile(
    r"\b(voir|verifier|savoir|tester|check|see|find out|know|tell me|let me know|dites moi|"
    r"dis moi|me dire)\b.{0,20}?\b(si|if|whether)\b"
    r"\s+(je|j|mon profil|i|i m|im|i am|my profile)\b.{0,20}?\b(correspon\w*|colle|match\w*|"
    r"conviens|convient|eligible|fit|fits|qualify|qualifies|a match|a fit)\b"
)
# "je veux postuler", "I'd like to apply for the 7th promotion": a wish to apply, which the
# pre-application serves (how or where to apply, and when, are the FAQ's: ``_HOW_OR_WHEN``).
_WANTS_TO_APPLY = re.compile(
    r"\b(?:(?:j|je|jveux|moi je)\b.{0,12}?\b(?:veux|veu|veut|voudrais|voudrai|souhaite|"
    r"souhaiterais|aimerais|aimerai|compte|vais|desire|envie de|pret a|prete a|me lance)"
    r"|(?:i|im|i m|i am)\b.{0,6}?\b(?:want|wnat|wamt|whant|wanna|wana|d like|would like|wish|"
    r"going|ready|keen|plan|intend|interested in|intrested in|interested to))"
    # typed in a hurry: "i wnat to aplly now", "je veux postulé"
    r"\b.{0,20}?\b(?:postul(?:er|e|é|ez)|candidater|candidate|me porter candidat\w*|"
    r"(?:deposer|faire|envoyer) (?:ma|une) candidature|ap+l+y|ap+l+ying|aplpy|appy|"
    r"put myself forward|send my application)\b"
    r"|^(?:je postule|je candidate|jpostule)\b|\b(?:i m|im|i am) applying\b|\bwanna ap+l+y\b"
    r"|\b(?:let s|lets|on)\b.{0,8}?\b(?:do|start|begin|fait|fais|commence)\b.{0,6}?"
    r"\b(?:my|the|ma|la)\b\s*(?:application|candidature)\b"
)
_HOW_OR_WHEN = re.compile(
    r"\b(comment|cmt|ou|lien|formulaire|site|page|url|reglement|procedure|quand|date|"
    r"encore|possible|ouvert|ouverte|how|where|link|form|website|rules|when|still|open|"
    r"deadline|quel|quels|quelle|quelles|quoi|combien|qui|pourquoi|what|which|who|why|"
    r"faut il|dois je|do i need|criteres|criteria|salaire|salary)\b"
)
_CHECK_MINE = re.compile(
    r"\b(verifier|tester|evaluer|checker|check|assess|evaluate|review|regarder)\b.{0,8}?"
    r"\b(mon|ma|my)\b.{0,12}?\b(profil|profile|eligibilite|eligibility|fit|candidature)\b"
    r"|\b(fait|faite|faits|faites) pour (ca|moi|ce programme|ce poste)\b"
    r"|\brentre dans les criteres\b|\bcoche les cases\b|\bcut out for\b"
)
# A question about the pre-application itself, not a wish to do it.
_ABOUT_IT = re.compile(
    r"^(c est quoi|cest quoi|qu est ce que|qu est ce qu|what is|what s|whats|what does|"
    r"ca sert a quoi|a quoi sert|why|pourquoi|combien de temps|how long|est ce obligatoire|"
    r"is it mandatory|do i have to|faut il)\b"
)
# "pas besoin de la précandidature, …", "I don't want the pre-application": not a wish.
_NOT_WANTED = re.compile(
    r"\b(pas|plus|jamais|sans|ni|don t|dont|do not|doesn t|not|no|never|without|skip|instead)\b"
)
_ABOUT_WORDS = re.compile(
    r"\b(obligatoire|mandatory|compulsory|required|necessaire|optionnelle?|optional|"
    r"facultative?|dure|duree|prend|takes|last|lasts|enregistre\w*|stored|saved|garde\w*|kept)\b"
)


def asks_pre_application(text: str) -> bool:
    """Whether a message asks to do the pre-application or to check one's fit."""
    folded = fold(text)
    about = _ABOUT_IT.match(folded) or _ABOUT_WORDS.search(folded) or _NOT_WANTED.search(folded)
    if about or len(folded.split()) > MAX_INTRODUCTION_WORDS:
        return False
    wants = _WANTS_TO_APPLY.search(folded) and not _HOW_OR_WHEN.search(folded)
    return bool(
        _PRE_APPLICATION_NAMED.search(folded)
        or _CHECK_FIT.search(folded)
        or _CHECK_MINE.search(folded)
        or wants
    )


# ---- Asking whether one can apply now ------------------------------------------------------

_APPLY_WORDS = re.compile(
    r"\b(postuler|postule|postulez|candidater|candidate|candidature|candidatures|inscrire|"
    r"inscription|deposer|depose|envoyer mon dossier|apply|applying|application|applications|"
    r"sign up|register|submit)\b"
)
_NOW_WORDS = re.compile(
    r"\b(aujourd hui|maintenant|deja|des maintenant|des aujourd hui|tout de suite|"
    r"actuellement|en ce moment|des a present|ce soir|cette semaine|now|today|already|"
    r"right away|straight away|currently|at the moment|yet|this week|tonight)\b"
)
_OPEN_NOW = re.compile(
    r"\b(c est ouvert|est ce ouvert|est ce que c est ouvert|l appel est ouvert|"
    r"candidatures? (sont |est )?ouvertes?|ouvert en ce moment|deja ouvert|"
    r"is it open|is the call open|are applications open|applications open|open yet|"
    r"still open|open now)\b"
)


_CAN_WORDS = re.compile(
    r"\b(peux|peut|peuvent|pouvons|pouvez|possible|est ce|can|could|may|able|allowed)\b"
)


_WEBINAR_WORDS = re.compile(
    r"\b(webinn?aires?|webinn?ars?|webinn?airs?|webinn?ers?|webnaires?|webinaree?s?|webi|"
    r"session d info|sessions? d information|info sessions?|"
    r"information sessions?|presentation en ligne|online presentations?|"
    r"zoom(?: thing| call| session| meeting)?|(?:la|the) visio|livestorm(?: session)?|"
    # "the session on code and data careers"
    r"sessions? (?:on|about|sur) (?:the |les )?(?:\w+ ){0,4}"
    r"(?:careers?|metiers|jobs|programme|program)|"
    r"reunions? d info\w*|reunions? de presentation|"
    r"sessions? (?:for|pour|d) (?:les |the )?(?:administrations?|candidat\w*|candidates?|"
    r"collectivites?|hosts?)|(?:votre|your) (?:session|presentation)|information meetings?|"
    r"info meetings?|online sessions?|sessions? en ligne|sessions? (?:about|on|sur) (?:the )?eig|"
    # "last week's session", "la présentation d'hier": a session dated as the one attended
    r"(?:yesterday s|last week s|this morning s|today s|last night s|tonight s|this week s|"
    r"monday s|tuesday s|wednesday s|thursday s|friday s) (?:online )?(?:session|presentation)|"
    r"(?:session|presentation) (?:d hier|de ce matin|de ce midi|de cet apres midi|de ce soir|"
    r"de tout a l heure|d aujourd hui|de la semaine derniere|de lundi|de mardi|"
    r"de mercredi|de jeudi|de vendredi)|"
    # "je sors de la visio de présentation", "back from the livestream session"
    r"visios? (?:de presentation|d information|d info|eig)|visioconferences? (?:de presentation|"
    r"d information)|livestreams?(?: sessions?)?|live streams?|live sessions?|sessions? live)\b"
)


_ATTENDED = re.compile(
    r"\b(assiste|suivi|participe|regarde|ecoute|vu|etais|jetais|etait|etions|sors|sortie?|"
    r"attended|watched|followed|joined|was at|were at|was on|were on|sat through|came to|"
    r"came|took part|participated|was in|been at|sat in|"
    r"listened to|went to|saw|been to|just had|after|apres|suite au|suite a|"
    r"jsors|suis alle|suis allee|suis allees|sommes alles|sommes allees|assisted|attending|"
    r"viens de|venons de|just finished|just did|back from|de retour du|de retour de|"
    r"revenue?s? (?:du|de la|de)|rentree?s? (?:du|de la|de)|"
    r"(?:reviens|revenons|rentre|sors juste) (?:du|de la|d un|d une)|"
    # "on s'est vus au webinaire", "webinaire fini", "just got out of the info session"
    r"vus|vue|vues|seen|fini|finie|termine|terminee|got out of|just out of|left the|"
    r"sorti|sortis|sortant|alle|allee|alles|allees|"
    r"atended|attented|attendend|atteneded|asisted|assite|assister|"  # typed in a hurry
    # "on s'est croisés au webinaire", "ma connexion a sauté à la fin du webinaire"
    r"croises|croisees|croise|crossed paths|a la fin du|a la fin de la|at the end of|"
    # "merci pour la présentation de ce midi", "webinar done", "came out of the session",
    # "could only stay twenty minutes"
    r"merci pour|thanks for|thank you for|done|came out of|come out of|could only stay|"
    r"only stayed|left early|had to leave|"
    # "Following the presentation webinar, …", "the webinar was great, what now?"
    r"following|was great|was good|was very|was really|was super|was helpful|"
    r"was interesting|was useful|loved|enjoyed|liked)\b"
)
_MISSED = re.compile(
    r"\b(rate|manque|pas pu|pas assiste|n ai pas|missed|couldn t|could not|didn t|did not|"
    r"will there|y aura|(prochaine?s?|next|upcoming|another|autres?) (webinaires?|webinars?|"
    r"sessions?|presentations?|one|ones)|"
    # "le prochain ?", "la prochaine, c'est quand ?"; not "la prochaine étape"
    r"(?:le prochain|la prochaine|les prochains|les prochaines)(?! etape)|"
    r"prochainement|a venir|(?:prevus?|prevues?)(?! pour la suite)|planned|scheduled|"
    r"coming up|upcoming)\b"
)
# The words of a presentation's recording, one vocabulary for both readings that need it:
# the webinar follow-up below and the question on a recording (asked.asks_for_recording).
RECORDING_WORDS = (
    r"replays?|recordings?|recorded|rediffusion|rediff|en differe|rewatch|watch it again|"
    r"enregistrements?|enregistree?s?"
)
# A question on the webinar itself ("is there a replay?"): the webinars answer; but "just
# watched the webinar replay, what now?" is back from it.
_REPLAY = re.compile(rf"\b({RECORDING_WORDS}|revoir|slides|video)\b")
_WATCHED_REPLAY = re.compile(
    r"\b(watched|saw|seen|regarde|vu|visionne|ecoute|listened to)\b.{0,30}"
    r"\b(replay|recording|enregistrement|rediffusion|video)\b|\b(?:en|in|on|the) replay\b"
)


def went_to_webinar(text: str) -> bool:
    """ "j'étais au webinaire la semaine dernière, il y a un replay ?": someone who attended a
    webinar, whatever else they ask; not one who missed it."""
    folded = fold(text)
    if not mentions_webinar(text):
        return False
    if _MISSED_PART.search(folded):
        return True  # "j'ai raté la fin du webinaire": there for the rest of it
    return _ATTENDED.search(folded) is not None and _MISSED.search(folded) is None


# "I missed the end of the info webinar", "j'ai raté le début": part of it, so attended.
_MISSED_PART = re.compile(
    r"\b(?:rate|manque|missed|lost|perdu)\s+(?:la fin|le debut|une partie|la derniere partie|"
    r"la deuxieme partie|the end|the beginning|the start|the last part|the second half|"
    r"part of|the first part|the last \w+ minutes)\b"
)


def attended_webinar(text: str) -> bool:
    """ "j'ai assisté au webinaire hier soir, c'est quoi la suite ?", "I was at the 6pm webinar
    today": someone back from a webinar, not one who missed it or asks about the next, nor
    one who asks about its recording."""
    folded = fold(text)
    replay = _REPLAY.search(folded) is not None and _WATCHED_REPLAY.search(folded) is None
    return went_to_webinar(text) and not replay


_WHAT_NEXT = re.compile(
    r"\b(suite|suitte|next|now|maintenant|mtn|ensuite|desormais|from here|"
    r"la suite|c est quoi la suite|quelle suite|prochaines? etapes?|etapes? suivantes?|"
    r"(?:should|must|do) (?:i|we) prepare|(?:i|we) (?:should|must|need to|have to) prepare|"
    r"(?:dois je|je dois|faut il|on doit) (?:\w+ )?preparer|"
    r"ou en est|il se passe quoi|que se passe t il|quoi de neuf|what s happening|"
    r"what happened since|where (?:do|does) (?:it|things|the programme) stand|"
    r"je fais quoi|on fait quoi|que dois je faire|que faire|quoi faire|et maintenant|"
    r"comment (je|on|nous) (continue|continuons|avance|avancons|procede|procedons)|"
    r"next steps?|what now|now what|what next|what s next|what should (i|we) do|"
    r"what do (i|we) do|what happens (now|next)|where do (i|we) go|how do (i|we) "
    r"(proceed|continue|go on)|what comes next|follow up|so what|what should our next|"
    r"what is the following|what s the following)\b"
)


# "tu peux me redonner les points clés ?", "can you recap the key points?": what was said at
# the webinar, which its follow-up sums up.
_RECAP = re.compile(
    r"\b(points? cles?|grandes lignes|l essentiel|ce qu il faut retenir|recap|recapitul\w*|"
    r"resumer|un resume|key points|main points|highlights|summary|sum up|sum it up|"
    r"takeaways|key takeaways)\b"
)


def asks_recap(text: str) -> bool:
    """Asks for the main points of what was presented."""
    return _RECAP.search(fold(text)) is not None


# "when is the next webinar?", "le prochain c'est quand ?": when the next one is, no next step.
_WHEN_NEXT = re.compile(
    r"\b(?:quand|when|what date|quelle date|what time|quelle heure)\b.*\b(?:next|prochaine?s?)\b|"
    r"\b(?:next|prochaine?s?)\b.*\b(?:quand|when)\b"
)


def asks_what_next(text: str) -> bool:
    """ "c'est quoi la suite ?", "what are the next steps?": what comes next, nothing more;
    not when the next one is ("when is the next webinar?")."""
    folded = fold(text)
    return _WHAT_NEXT.search(folded) is not None and _WHEN_NEXT.search(folded) is None


def _fold_in_place(text: str) -> str:
    """``fold`` character by character, each character kept in its place (spaces not
    collapsed), so that a match in it is a span of ``text``."""
    out = []
    for char in text:
        folded = fold(char) if char.strip() else " "
        out.append(folded if len(folded) == 1 else (" " if not folded else char.lower()[:1]))
    return "".join(out)


def without_webinar_words(text: str) -> str:
    """``text`` without the words that name a webinar ("in the webinar you mentioned the
    contract" → "in the you mentioned the contract"), spaces tidied."""
    folded = _fold_in_place(text)
    if len(folded) != len(text):
        return re.sub(r"\s+", " ", _WEBINAR_WORDS.sub(" ", fold(text))).strip()
    kept, start = [], 0
    for match in _WEBINAR_WORDS.finditer(folded):
        kept.append(text[start : match.start()])
        start = match.end()
    kept.append(text[start:])
    return re.sub(r"\s+", " ", " ".join(kept)).strip()


def mentions_webinar(text: str) -> bool:
    """ "je sors du webinaire", "I just attended your webinar": a webinar named."""
    return _WEBINAR_WORDS.search(fold(text)) is not None


def asks_to_be_told(text: str) -> bool:
    """ "prévenez-moi dès que c'est ouvert", "ping me when it opens": a request to be told."""
    return _REQUEST_TO_BE_TOLD.search(fold(text)) is not None


def asks_if_open_now(text: str) -> bool:
    """ "donc je peux postuler dès aujourd'hui ?", "can I apply now?", "c'est ouvert ?":
    whether the call for applications is open today ("je veux postuler dès aujourd'hui" is
    a wish, and "prévenez-moi dès que c'est ouvert" a request to be told, not this
    question)."""
    folded = fold(text)
    if asks_to_be_told(text):
        return False
    if _OPEN_NOW.search(folded):
        return True
    asks = text.strip().endswith("?") or _CAN_WORDS.search(folded) is not None
    return bool(asks and _APPLY_WORDS.search(folded) and _NOW_WORDS.search(folded))
