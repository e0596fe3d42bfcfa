"""What a visitor's question is about, read from its words.

Two readings, both keyword rules in French and English on the folded text:

- ``without_set_aside``: the question without the clauses that set a topic aside ("pas de
  question sur le salaire, je voudrais savoir qui organise", "never mind the deadline, who
  runs it?"). A bag-of-words classifier reads "salaire" as a salary question wherever it
  stands; these clauses name what the visitor is *not* asking, so the classifier must not
  see them. Only clauses about the question itself are dropped ("I'm not asking about",
  "peu importe", "rather than"): "je n'ai pas de diplôme, je peux postuler ?" keeps its
  negation, which is the question.
- ``unknown_subject``: which kind of question the official texts do not answer it is
  (remote work, meal vouchers, nationality…), so that "I don't know" names what it does
  not know and says only what the texts say about that.
"""

from __future__ import annotations

import re
from typing import Optional

from bot.domain.reading import RECORDING_WORDS, fold

# ---- Clauses that set a topic aside ----------------------------------------------------------

# A clause ends after punctuation, or before a conjunction that turns to the real question.
_CLAUSE_END = re.compile(
    r"[,;:!?.…]+\s*|\s+[-–—]+\s+|\s+(?=(?:mais|but|par contre|however|cependant)\b)",
    re.IGNORECASE,
)
_LEADING_LINK = re.compile(
    r"^(?:mais|but|par contre|however|cependant|plutot|rather|instead|et|and|donc|so)\b\s*",
    re.IGNORECASE,
)
# Said of the question itself (folded text: no accents, apostrophes as spaces); the whole
# clause goes.
_SET_ASIDE = re.compile(
    r"\b(?:"
    # French
    r"pas (?:de |une |la |ma |d )?questions? (?:sur|concernant|a propos|au sujet|pour)|"
    r"ma question (?:ne porte|n est|est) pas|"
    r"je (?:ne |n )?(?:vous |te )?(?:demande|parle|pose|cherche) pas|"
    r"je (?:ne |n )?(?:veux|voudrais|souhaite) pas (?:savoir|parler|connaitre)|"
    r"(?:ne )?m interessen?t? pas|pas interesse(?:e|s|es)? (?:par|pour)|"
    r"peu (?:m )?importe|je m en fiche|je me fiche|on s en fiche|"
    r"rien a voir avec|ce n est pas (?:pour|sur|a propos|au sujet|concernant)|"
    r"c est pas (?:pour|sur|a propos|au sujet|concernant)|"
    r"(?:connais|sais) deja (?:le|la|les|l|pour|ca)|deja (?:vu|lu|eu|regarde) (?:le|la|les|l)|"
    r"je (?:ne |n )?(?:veux|voudrais|souhaite|cherche) pas (?:a )?(?:candidater|postuler)|"
    r"je (?:ne |n )?suis pas (?:un |une )?candidate?s?|"
    r"ce n est pas .{1,40} qui m interesse|c est pas .{1,40} qui m interesse|"
    # English
    r"not asking (?:about|for)|not a question (?:about|on)|no questions? (?:about|on|regarding)|"
    r"(?:it s|it is|this is|that s) not about|(?:isn t|is not) about|"
    r"(?:don t|do not) (?:want|plan|intend) to apply|not (?:looking|trying|going) to apply|"
    r"(?:i m|i am) not (?:a |an )?(?:candidate|applicant)|"
    r"(?:know|knew|seen|read|got) (?:\w+ ){0,3}already|"
    r"(?:question|this) (?:is not|isn t|s not) (?:about|on|regarding)|"
    r"(?:don t|do not|doesn t|does not) (?:care|matter)|not interested in|"
    r"nothing to do with|(?:don t|do not) (?:want|need) to know|"
    r"already (?:know|saw|seen|read|got) (?:about|the|that|it)"
    r")\b"
    # Only at the start of a clause: "hors salaire, …", "never mind the pay, …"
    r"|^(?:(?:bon|ok|alors|et|mais|bref|so|and|but|well) )?(?:"
    r"hors|a part|mis a part|hormis|en dehors d|oubliez|oublie|oublions|laissez tomber|"
    r"laisse tomber|laissons de cote|never ?mind|forget|besides|apart from|aside from|"
    r"other than|leave aside|set aside|pas besoin (?:de|d)|(?:i )?(?:don t|do not) need "
    r"(?:the|a|an|to|any)|"
    # "not about the deadline: …", "ni développeur ni data scientist, …", "neither the pay
    # nor the contract, …"
    r"not about|not on the|pas sur (?:le|la|les|l)|ni (?:\w+ ){1,4}ni|neither (?:\w+ ){1,4}nor"
    r")\b"
)
# Said of what follows it: the clause is kept up to the cue ("le contrat plutôt que le
# salaire").
_SET_ASIDE_AFTER = re.compile(
    r"\b(?:plutot que|au lieu d|et non(?: pas)?|rather than|instead of|and not)\b"
)
MIN_KEPT_WORDS = 3


# After a clause's set-aside, "et"/"and" then a request or a question: the real question.
_TURNS_TO_THE_QUESTION = re.compile(
    r"\s(?:et|and|puis|then)\s+(?=(?:donne\w*|dis|dites|explique\w*|parle\w*|indique\w*|"
    r"je|j|tu|vous|on|c est|quel\w*|qui|quand|comment|combien|ou|give|tell|explain|show|"
    r"i|what|who|when|how|where|which|is|are|can|could|do|does|just)\b)"
)


def _after(clause: str, cue_start: int) -> str:
    """The words of ``clause`` after the word that starts at ``cue_start`` of its folded form
    (the link, "et" or "and", left out)."""
    wanted = len(fold(clause)[: cue_start + 1].split()) + 1  # up to the link, included
    words = clause.split()
    for count in range(len(words) + 1):
        if len(fold(" ".join(words[:count])).split()) >= wanted:
            return " ".join(words[count:])
    return ""


def _clauses(text: str) -> list[str]:
    """``text`` cut into clauses, each with the punctuation that ends it."""
    found, start = [], 0
    for end in _CLAUSE_END.finditer(text):
        found.append(text[start : end.end()])
        start = end.end()
    found.append(text[start:])
    return [c for c in found if c.strip()]


def _before(clause: str, cue_start: int) -> str:
    """The words of ``clause`` before the cue found at ``cue_start`` of its folded form."""
    wanted = len(fold(clause)[:cue_start].split())
    taken: list[str] = []
    for word in clause.split():
        if len(fold(" ".join(taken)).split()) >= wanted:
            break
        taken.append(word)
    return " ".join(taken)


# "never mind, I'll come back later", "laissez tomber, je reviendrai": dropping what is going
# on, with nothing named to set aside (a stop, reading.opens_with_stop).
_DROPS_IT_ALL = re.compile(
    r"^\W*(?:(?:bon|ok|alors|bref|so|well) )?(?:never ?mind|forget it|forget that|"
    r"laissez tomber|laisse tomber|oubliez|oublie|oubliez ca|oublie ca)\W*$"
)


def without_set_aside(text: str) -> str:
    """``text`` without the clauses that set a topic aside; unchanged when nothing is set
    aside or when what is left would be shorter than ``MIN_KEPT_WORDS`` words (a short
    "never mind" is a move of its own), and a "never mind" with nothing after it is kept."""
    kept, dropped = [], False
    for clause in _clauses(text):
        folded = fold(clause)
        aside = _SET_ASIDE.search(folded)
        if aside and not _DROPS_IT_ALL.match(folded):
            dropped = True
            # "oublie le règlement et donne-moi l'adresse de contact": what follows the "et"
            turn = _TURNS_TO_THE_QUESTION.search(folded, aside.end())
            if turn:
                kept.append(_after(clause, turn.start()).strip())
            continue
        after = _SET_ASIDE_AFTER.search(folded)
        if after:
            dropped = True
            clause = _before(clause, after.start())
        kept.append(clause.strip())
    if not dropped:
        return text
    kept = [c for c in kept if c]
    if kept:
        kept[0] = _LEADING_LINK.sub("", kept[0])
    result = " ".join(kept).strip()
    return result if len(fold(result).split()) >= MIN_KEPT_WORDS else text


# ---- Places in the current promotion ----------------------------------------------------------

# "combien de places pour la 7e promotion ?", "how many positions this time?": the current
# promotion's count, which its texts do not give; not "how many EIGs so far?" nor "combien
# de postes en 2021 ?", which they do.
_CURRENT_PROMOTION = re.compile(
    r"\b(?:7e|7eme|7 eme|7th|seventh|septieme|cette annee|this year|cette fois|this time|"
    r"cette promo\w*|this promo\w*|prochaine promo\w*|next promo\w*|promo qui arrive|"
    r"promotion qui arrive|upcoming|actuellement|currently|en ce moment|right now|"
    r"in this call|dans cet appel|pour cet appel|for this call)\b"
)
_SO_FAR = re.compile(
    r"\b(?:au total|en tout|total|so far|since|depuis|jusqu a present|jusqu ici|in all|"
    r"altogether|overall|d habitude|usually|en general|chaque annee|each year|every year|"
    # counts of something else: a team, webinars, interviews, steps
    r"team|teams|equipe|equipes|webinaires?|webinars?|interviews?|entretiens?|steps?|"
    r"etapes?)\b"
)


def asks_current_places(text: str) -> bool:
    """Whether a question asks how many places the current promotion opens."""
    folded = fold(without_set_aside(text))
    return (
        _subject_in(folded) == "places"
        and _CURRENT_PROMOTION.search(folded) is not None
        and _SO_FAR.search(folded) is None
    )


# ---- Questions the texts do not answer -------------------------------------------------------

# Most specific first: "je vis à l'étranger, je peux travailler de chez moi ?" asks about
# remote work, not residence.
UNKNOWN_SUBJECTS: dict[str, str] = {
    "meal_vouchers": (
        r"tickets? (?:resto|restaurants?|repas)|titres? restaurants?|cheques? dejeuner|"
        r"cartes? (?:swile|resto|restaurant|dejeuner)|cantine|restaurant d entreprise|"
        r"(?:meal|lunch|luncheon|food) (?:vouchers?|tickets?|allowance)|canteen|cafeteria"
    ),
    "health_insurance": (
        r"mutuelles?|complementaire sante|prevoyance|assurance (?:maladie|sante)|"
        r"securite sociale|health (?:insurance|cover|coverage|plan|care)|"
        r"medical (?:insurance|cover|coverage)|dental"
    ),
    "days_off": (
        r"conges?|rtt|vacances|jours? (?:off|de repos|feries)|days? off|holidays?|"
        r"(?:paid|annual) leave|(?:days?|weeks?) of (?:leave|holidays?|vacation)|vacations?|"
        r"time off|pto"
    ),
    "places": (
        r"combien de (?:places|postes|eig|personnes|candidats|laureats|recrues|recrutements|"
        r"entrepreneurs)|nombre de (?:places|postes|eig|recrues|laureats|recrutements)|"
        r"how many (?:places|positions|spots|seats|eigs|people|openings|posts|hires|"
        r"candidates|entrepreneurs)|number of (?:places|positions|spots|eigs|openings|posts|"
        r"hires)"
    ),
    "dates": (
        r"dates? (?:exactes?|precises?)|jour exact|exactement quand|quand exactement|"
        r"exact (?:dates?|day)|when exactly|precise dates?|start date|"
        r"date de (?:debut|demarrage|prise de poste)"
    ),
    "civil_servant": (
        r"fonctionnaires?|titulaire|agents? (?:public|publique|publics|de l etat)|"
        r"detachement|detache|disponibilite|civil servants?|public servants?|"
        r"secondment|seconded"
    ),
    "part_time": (
        r"temps partiel|mi temps|part ?time|half time|(?:4|quatre|four) (?:jours|days) "
        r"(?:par|sur|a|per|a) (?:semaine|week)|80 (?:pour ?cent|percent)|"
        # "je pourrais la faire à 80 % ?"
        r"(?:a|at) (?:80|90|4/5|quatre cinquiemes)(?! ans| years)\b"
    ),
    "side_activity": (
        r"cumul(?:er)?|side (?:job|project|business|gig)|second job|"
        r"activites? (?:annexes?|complementaires?|a cote|en parallele)|en parallele|"
        r"a cote de (?:mon|ma|mes)|alongside|on the side"
    ),
    "housing": (
        r"logements?|loger|appartements?|hebergement|housing|apartments?|"
        r"accommodation|lodging"
    ),
    "relocation": (
        r"demenag\w*|relocat\w*|mobilite geographique|move to|moving to|s installer a|"
        r"ile de france|hors de paris|outside paris|live in paris|habiter (?:a|en) "
        r"(?:paris|ile)|moving (?:costs?|expenses)|frais de demenagement|"
        r"forcement (?:sur|a|en) (?:paris|ile de france)|only in paris|paris only|"
        r"based in paris|en province|in the provinces"
    ),
    "remote_work": (
        r"tele ?travail\w*|remote\w*|a distance|de chez (?:moi|soi)|depuis chez (?:moi|soi)|"
        r"(?:from|at) home|wfh|home office|telework\w*|de la maison"
    ),
    "languages": (
        r"langues?|languages?|parler (?:anglais|francais)|speak (?:french|english)|"
        r"anglais|english|bilingue|bilingual|fluent|niveau de francais|french level|"
        r"level of french"
    ),
    "age": (
        r"ages?|limite d age|trop (?:vieux|vieille|jeune|age|agee)|too (?:old|young)|"
        r"retraite|retired|retirement|\d\d ans(?! d)|\d\d years old"
    ),
    "nationality": (
        r"nationalites?|nationality|nationalities|etre francais\w*|pas francais\w*|"
        r"not french|be french|etrangers?|etrangere|foreigners?|foreign|abroad|"
        r"ressortissants?|citoyen\w*|citizen\w*|visas?|titre de sejour|carte de sejour|"
        r"permis de (?:travail|sejour)|(?:residence|work) permit|residen\w*|"
        # not an institution ("the European Commission traineeship": another employer)
        r"(?<!commission )(?<!parlement )europeen\w*|"
        r"european(?! commission| parliament| central bank)|"
        r"(?:hors|non|outside the) (?:ue|eu|europe)"
    ),
}
_UNKNOWN = [(key, re.compile(rf"\b(?:{pattern})\b")) for key, pattern in UNKNOWN_SUBJECTS.items()]
# The words of a subject that also names what the texts answer ("20 ans" of experience, a
# mission "in Île-de-France") which only ever ask what they do not: an age limit, a move.
_SURELY_ASKED = {
    "age": re.compile(
        r"\b(?:limites? d age|age limits?|age (?:maximum|minimum|max|min)|(?:maximum|minimum) "
        r"age|trop (?:vieux|vieille|jeune|age|agee)|too (?:old|young))\b"
    ),
    "relocation": re.compile(
        r"\b(?:demenag\w*|relocat\w*|moving (?:costs?|expenses)|frais de demenagement)\b"
    ),
}


def surely_asks(subject: Optional[str], text: str) -> bool:
    """Whether ``text``, whose unknown subject is ``subject``, asks about it in words that
    ask nothing else ("limite d'âge", "relocation help")."""
    pattern = _SURELY_ASKED.get(subject or "")
    return pattern is not None and pattern.search(fold(without_set_aside(text))) is not None


def unknown_subject(text: str) -> Optional[str]:
    """The kind of question the texts do not answer that ``text`` asks, or None."""
    if not isinstance(text, str):
        return None
    folded = fold(without_set_aside(text))
    if _OTHER_UNKNOWN_BY_KEY["interview_format"].search(folded):
        return None  # "are the interviews held remotely?": how they are held, not remote work
    return _subject_in(folded)


def _subject_in(folded: str) -> Optional[str]:
    """``unknown_subject`` of a text already folded, its set-aside clauses left out."""
    for key, pattern in _UNKNOWN:
        if pattern.search(folded):
            return key
    return None


# More subjects the texts never cover, with no sentence of their own in the answer (the
# answer says the texts do not say, and where to ask).
OTHER_UNKNOWN_SUBJECTS: dict[str, str] = {
    "equipment": (
        r"(?:ordinateur|ordi|pc|laptop|computer|materiel informatique)s? (?:portables? )?"
        r"(?:est |sont |is |are )?(?:fournis?|pretes?|provided|lent|given)|"
        r"(?:mon propre|my own|bring my|venir avec mon|apporter mon) "
        r"(?:ordinateur|ordi|pc|laptop|mac|computer)"
    ),
    "trial_period": r"periode d essai|trial period|probation\w*",
    # becoming a tenured civil servant afterwards (the texts speak of a project contract only)
    "tenure": (
        r"titularis\w*|devenir fonctionnaire|deviens fonctionnaire|devient fonctionnaire|"
        r"become (?:a )?(?:tenured |permanent )?(?:civil|public) servant|"
        r"make (?:me|us|them) (?:a )?(?:civil|public) servants?|tenured?"
    ),
    "pension": (
        r"retraites?|retraitee?s?|caisse de retraite|pensions?|retired|retirement|"
        r"pension scheme"
    ),
    "expenses": (
        r"frais de (?:deplacement|mission|transport)|notes? de frais|travel expenses|"
        r"(?:trips?|travel) (?:are |is )?(?:reimbursed|covered|paid for)"
    ),
    "overseas": (
        r"outre mer|dom tom|drom|guadeloupe|martinique|guyane|la reunion|reunion island|"
        r"mayotte|nouvelle caledonie|polynesie|overseas (?:territor\w*|departments?)"
    ),
    "childcare": r"garde d enfants?|creches?|nounou|childcare|child care|nursery|daycare",
    "pair": (
        r"(?:postuler|candidater|candidature) (?:a deux|en duo|en binome)|as a (?:pair|duo)|"
        r"apply together|(?:two|both) of us apply"
    ),
    "dress_code": r"dress code|tenue vestimentaire|code vestimentaire",
    # the texts give the pay grid, not whether it can be negotiated
    "pay_negotiation": (
        r"negoci\w*|negotia\w*|marge de negociation|room for negotiation|haggl\w*|bargain\w*"
    ),
    # how the interviews are held: the texts give their subject and length, not the place
    "interview_format": (
        r"(?:entretiens?|interviews?|jury)\b.{0,30}\b(?:en visio\w*|visio\w*|"
        r"visioconference|en presentiel|presentiel|sur place|en ligne|a distance|par telephone|"
        r"by video|video call|videoconference|in person|on site|onsite|online|remotely|"
        r"by phone|over the phone|zoom|teams)|"
        r"(?:en visio|en presentiel|sur place|in person|by video|online|remotely)\b.{0,20}"
        r"\b(?:entretiens?|interviews?)"
    ),
    "driving_licence": r"permis (?:de conduire|b)|driving licen[cs]e|driver s licen[cs]e",
    "notice_period": r"preavis|notice period",
    "thirteenth_month": r"13e mois|treizieme mois|12 ou 13 mois|13th month|thirteenth month",
    # how long the selection or a stay in its pool lasts: the texts give its steps only
    "selection_duration": (
        r"(?:combien de temps|how long)\b.{0,30}\b(?:vivier|pool)|"
        r"(?:reste|rester|restent|stay|stays|remain|remains)\b.{0,20}\b(?:vivier|pool)|"
        r"combien de (?:semaines|jours|mois)\b.{0,40}\b(?:entretiens?|selection|reponse|"
        r"processus)|how (?:many|much) (?:weeks|days|months|time)\b.{0,40}\b(?:process|"
        r"selection|interviews?|answer|response|hear back)|delai de reponse|response time|"
        r"(?:whole|entire) process take|"
        # "combien de temps s'écoule entre les deux entretiens ?", "how long between the two
        # interviews?"
        r"(?:combien de temps|quel delai|delai|how long|how much time|gap)\b.{0,30}"
        r"\b(?:entre|between)\b.{0,30}\b(?:entretiens?|interviews?|etapes?|steps?)"
    ),
}
_OTHER_UNKNOWN = [
    (key, re.compile(rf"\b(?:{pattern})\b")) for key, pattern in OTHER_UNKNOWN_SUBJECTS.items()
]

_OTHER_UNKNOWN_BY_KEY = dict(_OTHER_UNKNOWN)


def other_unknown_subject(text: str) -> Optional[str]:
    """One of ``OTHER_UNKNOWN_SUBJECTS`` that ``text`` asks about (set-aside clauses left
    out), or None."""
    if not isinstance(text, str):
        return None
    folded = fold(without_set_aside(text))
    for key, pattern in _OTHER_UNKNOWN:
        if pattern.search(folded):
            return key
    return None


# ---- The programme's own words, asked about ------------------------------------------------

# "le PIA c'est quoi ?", "Etalab c'est quoi exactement ?", "what's this pool": a word of the
# answers, asked about alone; the topic whose answer says what it is.
GLOSSARY: dict[str, str] = {
    "pia": "host_cofinancing",
    "programme d investissements d avenir": "host_cofinancing",
    "programme d investissement d avenir": "host_cofinancing",
    "investissements d avenir": "host_cofinancing",
    "future investments programme": "host_cofinancing",
    "cofinancement": "host_cofinancing",
    "co financing": "host_cofinancing",
    "etalab": "who_runs",
    "dinum": "who_runs",
    "la dinum": "who_runs",
    "vivier": "selection_process",
    "pool": "selection_process",
    "pool thing": "selection_process",
    "contrat de projet": "contract",
    "project contract": "contract",
    "startup d etat": "what_is_eig",
    "startups d etat": "what_is_eig",
    "state start up": "what_is_eig",
    "state startup": "what_is_eig",
    "eig": "what_is_eig",
}
_WHAT_IS = re.compile(
    r"^(?:(?:et|and|ok|mais|but|so|donc|du coup|sorry)\s+)*"
    r"(?:c est quoi|c quoi|c koi|qu est ce que|what s|whats|what is|what are|what does|kesako)\s+"
    r"(?:exactement\s+|exactly\s+)?(?:le |la |les |l |un |une |the |a |an |this |that |ce |cet |"
    r"cette |votre |your )?(?P<term>[a-z ]+?)"
    r"(?:\s+(?:exactement|exactly|au juste|stand for|mean|means|veut dire|signifie))?$"
)
_IS_WHAT = re.compile(
    r"^(?:(?:et|and|ok|mais|but|so)\s+)*(?:le |la |les |l |the |ce |cette )?(?P<term>[a-z ]+?)"
    r"\s+(?:c est quoi|c quoi|c koi|ca veut dire quoi|kesako|is what)"
    r"(?:\s+(?:exactement|exactly|au juste|en fait))?$"
)


def glossary_topic(text: str) -> Optional[str]:
    """The topic whose answer says what a word of the programme is, when the message asks
    only what that word is ("le PIA c'est quoi ?"), else None."""
    if not isinstance(text, str):
        return None
    folded = re.sub(r"[?!.,;:]+", " ", fold(text)).strip()
    folded = re.sub(r"\s+", " ", folded)
    for pattern in (_WHAT_IS, _IS_WHAT):
        match = pattern.match(folded)
        if match and match.group("term").strip() in GLOSSARY:
            return GLOSSARY[match.group("term").strip()]
    return None


# "is there a recording?", "y a un replay ?", "was it recorded?": a webinar's recording, in
# a short question, whatever was said before (the webinars' answer says which there were).
_RECORDING = re.compile(rf"\b({RECORDING_WORDS}|revoir la presentation|revoir le webinaire)\b")
MAX_RECORDING_WORDS = 12


def asks_for_recording(text: str) -> bool:
    """A short question on a recording of a presentation ("is there a recording?")."""
    if not isinstance(text, str) or not text.strip().endswith("?"):
        return False
    folded = re.sub(r"[?!.,;:]+", " ", fold(text))
    return len(folded.split()) <= MAX_RECORDING_WORDS and _RECORDING.search(folded) is not None
