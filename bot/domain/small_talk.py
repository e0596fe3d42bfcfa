"""Tells a message that is only a greeting, a thank-you or a goodbye, from its words.

"super merci, bonne soirée", "k thx bye", "that's all, cheers", "Hello, ça va ?": messages
made only of courtesies, which the classifiers read with little confidence (a fallback, or
"thanks" for "k thx bye") because every visitor words them differently. A message is small
talk when each of its words belongs to a courtesy (``GREETINGS``, ``THANKS``,
``GOODBYES``) or to the few words that go with them (``ALONGSIDE``: "ok", "super", "pour
votre aide"…), and it holds at least one courtesy. Anything else ("merci, et le salaire ?",
"oui merci", "Salut, moi c'est Inès") is not. A word of appreciation alone ("cool",
"parfait", "great, very helpful": ``APPRECIATIONS``) thanks.
"""

from __future__ import annotations

import re
from typing import Optional

from bot.domain.reading import fold

GREET, THANK, GOODBYE = "greet", "thank", "goodbye"

# Folded phrases (no accents, apostrophes as spaces), longest first when matched.
GREETINGS = (
    "bonjour", "bonsoir", "salut", "slt", "bjr", "coucou", "cc", "hello", "hi", "hey", "hola",
    "yo", "good morning", "good afternoon", "good evening", "ca va", "comment ca va",
    "comment allez vous", "vous allez bien", "tu vas bien", "how are you", "how are u",
    "how s it going", "how is it going", "hi there", "hello there", "rebonjour", "re",
)  # fmt: skip
THANKS = (
    "merci", "mercii", "merciii", "mrc", "merci beaucoup", "merci bcp", "merci mille fois",
    "mille mercis", "mille merci", "thanks", "thank you", "thank u", "thanks a lot",
    "thanks a million", "many thanks", "thx", "thnx", "tks", "ty", "tyvm", "cheers",
    "c est gentil", "c est sympa", "trop gentil", "tres gentil", "vous etes gentil",
    "c est tres gentil", "that s kind", "thats kind", "that s very kind", "very kind",
    "how kind", "much appreciated", "appreciate it", "i appreciate it",
)  # fmt: skip
GOODBYES = (
    "au revoir", "aurevoir", "bye", "bye bye", "byebye", "goodbye", "good bye", "see you",
    "see ya", "see you soon", "cya", "a plus", "a+", "a bientot", "a la prochaine", "a tout",
    "bonne journee", "bonne soiree", "bonne nuit", "bon weekend", "bon week end",
    "bonne fin de journee", "bonne continuation", "have a nice day", "have a good day",
    "have a good one", "have a nice evening", "have a good evening", "have a good weekend",
    "have a nice weekend", "take care", "ciao", "tchao", "c est tout", "ce sera tout",
    "ca sera tout", "rien d autre", "that s all", "thats all", "that s it", "thats it",
    "nothing else", "i m done", "im done", "j ai fini", "bye for now", "later",
    "done for today", "that s me done", "i m off", "gotta go", "got to go", "je dois y aller",
    "je file", "ta ra", "ta-ra", "laters", "catch you later", "see you later",
    "that s it from me", "that s all from me", "that s all i needed", "that s everything",
    "c est tout pour moi", "ce sera tout pour moi", "c est tout ce que je voulais savoir",
)  # fmt: skip
# A word of appreciation alone ("cool", "parfait", "great") after an answer: a thank-you.
APPRECIATIONS = (
    "super", "genial", "parfait", "top", "nickel", "cool", "great", "perfect", "awesome",
    "nice", "excellent", "impeccable", "formidable", "wonderful", "brilliant", "lovely",
    "tres bien", "very good", "trop bien", "good to know", "bon a savoir", "sounds good",
    "ca marche", "noted", "c est note", "bien note", "entendu", "useful", "utile",
    "tres utile", "very useful", "very helpful", "helpful", "interessant", "interesting",
)  # fmt: skip
# Words that go with a courtesy without asking anything.
ALONGSIDE = (
    "ok", "okay", "oki", "okk", "k", "kk", "d accord", "dac", "super", "genial", "parfait",
    "top", "nickel", "cool", "great", "perfect", "awesome", "nice", "excellent", "tres",
    "very", "vraiment", "really", "so", "much", "beaucoup", "bien", "encore", "again",
    "pour", "for", "votre", "vos", "ton", "ta", "tes", "your", "the", "l", "la", "les",
    "le", "aide", "help", "info", "infos", "information", "informations", "reponse",
    "reponses", "answer", "answers", "all", "tout", "et", "and", "alors", "bon", "well",
    "oh", "ah", "vous", "toi", "you", "a", "du coup", "madame", "monsieur", "team",
    "equipe", "everyone", "tout le monde", "lol", "haha", "for today", "pour aujourd hui",
    "alright", "all right", "mate", "buddy", "folks", "guys", "les amis", "tant pis",
    "quand meme", "anyway", "all the same",
)  # fmt: skip
# "ok merci" may be a yes at a form's question: a yes or a no read by the classifiers stays.
_YES_NO = re.compile(r"\b(ok|okay|oki|okk|k|kk|d accord|dac|oui|yes|non|no)\b")
YES_NO_INTENTS = frozenset({"affirm", "deny"})


def _phrases(*groups: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({p for group in groups for p in group}, key=len, reverse=True)
    return re.compile(
        r"(?<![\w+])(?:" + "|".join(re.escape(p) for p in alternatives) + r")(?![\w+])"
    )


_KINDS = {
    GREET: _phrases(GREETINGS),
    THANK: _phrases(THANKS, APPRECIATIONS),
    GOODBYE: _phrases(GOODBYES),
}
_ANY = _phrases(GREETINGS, THANKS, GOODBYES, APPRECIATIONS, ALONGSIDE)


def greets(text: str) -> bool:
    """Whether a greeting is said anywhere in the message ("Kevin", "Julie Moreau", an
    e-mail, which the classifiers may take for one, say none)."""
    return _KINDS[GREET].search(fold(text)) is not None


def small_talk(text: str) -> Optional[str]:
    """``goodbye``, ``thank`` or ``greet`` for a message of courtesies only, else None.

    A goodbye wins ("super merci, bonne soirée"), and so does a greeting word after a
    thank-you ("merci, salut !"); then a thank-you, then a greeting."""
    folded = fold(text)
    rest = _ANY.sub(" ", folded)
    if re.search(r"[a-z0-9]", rest) or len(folded) > 200:
        return None  # a word that is not a courtesy: the message says something else
    found = {kind: pattern.search(folded) for kind, pattern in _KINDS.items()}
    if found[GOODBYE]:
        return GOODBYE
    thanks, greeting = found[THANK], found[GREET]
    if thanks and greeting and greeting.start() > thanks.start():
        return GOODBYE
    if thanks:
        return THANK
    if greeting:
        return GREET
    return None


# "are you a real person btw?", "t'es un humain ?", "am I talking to a bot?": whether the
# assistant is a person, which the classifiers sometimes read as something else entirely.
_ASKS_IF_BOT = re.compile(
    r"\b(?:are (?:you|u)|r u|am i (?:talking|speaking|chatting) (?:to|with)|t es|tu es|es tu|"
    r"vous etes|etes vous|je parle a|je discute avec)"
    r"\s+(?:a |an |un |une |vraiment |really |actually |just )?(?:real |vrai |vraie |actual )?"
    r"(?:person|human|humain|humaine|bot|chatbot|robot|ai|ia|machine|personne)\b"
    # "is this a bot?", "c'est un robot qui répond ?": a machine named, not a person ("is it a
    # person who reads my file?" asks about the selection)
    r"|\b(?:is (?:this|it)|c est)\s+(?:a |an |un |une )?(?:bot|chatbot|robot|ai|ia|machine)\b"
    # "you're a script, right?", "is there an actual human here or just this dumb script?"
    r"|\b(?:you re|youre|you are|u r)\s+(?:a |an |just a |only a )?(?:bot|chatbot|robot|script|"
    r"machine|program)\b"
    r"|\b(?:is there|y a t il|il y a)\s+(?:a |an |un |une )?(?:(?:actual|real|vrai|vraie) "
    r"(?:human|person|humain|humaine|personne)|human|humain|humaine)\b"
)
MAX_BOT_QUESTION_WORDS = 12


def asks_if_bot(text: str) -> bool:
    """Whether a short message asks if the assistant is a person or a bot."""
    folded = fold(text)
    return len(folded.split()) <= MAX_BOT_QUESTION_WORDS and _ASKS_IF_BOT.search(folded) is not None


def thanks_too(text: str) -> bool:
    """Whether a message also thanks ("merci, c'est tout", "thanks, bye"): its goodbye then
    starts with a "you're welcome"."""
    return _KINDS[THANK].search(fold(text)) is not None


def keeps_yes_or_no(text: str, intent: Optional[str]) -> bool:
    """ "ok merci" read as a yes (or "non merci" as a no) stays one: it may answer a form's
    question."""
    return intent in YES_NO_INTENTS and _YES_NO.search(fold(text)) is not None
