"""The realistic load mix: texts nobody repeats on purpose, drawn without replacement.

The scripted mix (``load.OURS``) replays about ten texts again and again, so every one of
them hits the Rasa server's parse cache after the first conversation: that flatters it.
This mix is built from the independent realistic sets instead (read only, never copied):

- the 44 multi-turn conversations of ``tests/conversations/realistic/{fr,en}.yml``, as
  written, with their page language;
- the single messages of ``tests/nlu/realistic/{fr,en}.yml`` that are not in those
  conversations, shuffled and grouped into visits of 1 to 5 messages of one language;
- ``PRE_APPLICATIONS`` complete pre-applications per language, each started by one of the
  sets' ``pre_apply`` messages, with varied answers (profile, years, free texts, names and
  e-mails below; yes/no answers from the sets' ``affirm``/``deny`` messages that the form
  reads as such) and the form's buttons clicked for some answers, as the widget sends them.

Quick replies: the widget sends a button's payload when a visitor clicks it. ``CLICK_SHARE``
(a quarter) of all turns are button payloads: the pre-applications' clicked answers plus
``load.CLICK`` turns placed at random after typed turns of the other visits, where the load
generator clicks one of the buttons of the latest reply (a click with no button on offer
waits for the next reply that has some; one still waiting when the visit ends is dropped).

Every visit of the pool is played once, in a seeded random order, before any is played
again (then in another order). Typed texts differ from visit to visit, except the short
yes/no answers of the pre-applications; button payloads repeat, as they do on the site.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional

import yaml

from bench import load
from bot import ROOT
from bot.domain import reading

CONVERSATIONS = ROOT / "tests" / "conversations" / "realistic"
MESSAGES = ROOT / "tests" / "nlu" / "realistic"
LANGUAGES = ("fr", "en")
SEED = 15
CLICK_SHARE = 0.25
# The share of CLICK turns that find a button on offer before their visit ends, as
# `python -m bench.mix --check MODEL` measured it on the assistant of 2026-11-30.
CLICKS_PLAYED = 0.6
PRE_APPLICATIONS = 6  # per language: about a sixth of all turns
VISIT_SIZES = (1, 5)  # messages per visit made of single messages, uniform
PROFILE_BUTTON = 1 / 3  # share of profile answers given by clicking the profile's button
YES_NO_BUTTON = 1 / 2  # share of yes/no answers given by clicking "yes" or "no"
RESERVED_INTENTS = ("pre_apply", "affirm", "deny")  # used by the pre-applications

# Answers to the pre-application's questions, in the words of the realistic sets' form
# turns and of the site's visitors (nothing here is training data).
PROFILES = {
    "fr": {
        "technical_director": [
            "CTO", "directeur technique", "directrice technique", "je suis CTO d'une scale-up",
            "head of engineering", "responsable technique",
        ],
        "product_director": [
            "directrice produit", "Head of Product", "directeur produit",
            "plutôt profil produit", "CPO", "responsable produit",
        ],
    },
    "en": {
        "technical_director": [
            "CTO", "technical director", "engineering manager", "I'm a VP of engineering",
            "head of tech", "director of engineering",
        ],
        "product_director": [
            "product director", "head of product I guess", "Chief Product Officer",
            "product lead", "CPO", "director of product",
        ],
    },
}  # fmt: skip
YEARS = {
    "fr": ["douze ans", "8 ans", "quinze ans d'expérience", "une dizaine d'années", "11 ans",
           "vingt ans", "6 ans", "treize ans"],
    "en": ["twelve years", "8 years", "fifteen years of experience", "about ten years",
           "11 years", "twenty years", "6 years", "thirteen years"],
}  # fmt: skip
DESCRIPTIONS = {
    "fr": [
        "J'ai cofondé une startup de données de santé et je l'ai dirigée cinq ans",
        "j'ai monté ma boîte de conseil en data, 3 salariés",
        "Fondatrice d'une application de covoiturage rural, revendue en 2021",
        "freelance depuis 6 ans, j'ai lancé deux produits SaaS",
        "co-fondateur d'une edtech, levée de fonds et équipe de 12 personnes",
        "j'ai créé une association qui développe des outils pour les mairies",
    ],
    "en": [
        "I co-founded a fintech startup and ran it for four years",
        "set up my own data consultancy, three employees",
        "founder of a rural car-sharing app, sold in 2021",
        "freelance for 6 years, launched two SaaS products",
        "cofounder of an edtech company, raised a seed round and hired 12 people",
        "I started a non-profit building tools for town halls",
    ],
}
PROJECTS = {
    "fr": [
        "Les données ouvertes et les services publics de santé",
        "la transition écologique, surtout l'énergie",
        "tout ce qui touche à l'éducation et à l'orientation",
        "la justice et l'accès au droit",
        "l'emploi, aider les demandeurs d'emploi",
        "les collectivités locales et la mobilité",
    ],
    "en": [
        "open data and public health services",
        "the ecological transition, energy above all",
        "anything about education and career guidance",
        "justice and access to the law",
        "employment, helping job seekers",
        "local authorities and transport",
    ],
}
NAMES = {
    "fr": ["Claire", "Mehdi", "Sophie", "Julien", "Awa", "Thomas"],
    "en": ["Anna", "James", "Priya", "Tom", "Laura", "Samuel"],
}
YES, NO = "/affirm", "/deny"  # the form's yes/no buttons (bot/wording/form_answers.py)


def profile_payload(profile: str) -> str:
    """The payload of a profile's button (``bot.wording.form_answers.profile_buttons``)."""
    return "/inform" + json.dumps({"target_profile": profile}, separators=(",", ":"))


def read_conversations(language: str) -> list[list[str]]:
    data = yaml.safe_load((CONVERSATIONS / f"{language}.yml").read_text(encoding="utf-8"))
    return [
        [str(turn["user"]).strip() for turn in conversation["turns"]]
        for conversation in data["conversations"]
    ]


def read_messages(language: str) -> dict[str, list[str]]:
    """The NLU set's examples by label, in file order."""
    data = yaml.safe_load((MESSAGES / f"{language}.yml").read_text(encoding="utf-8"))
    by_label: dict[str, list[str]] = {}
    for entry in data["nlu"]:
        examples = by_label.setdefault(entry["intent"], [])
        for line in str(entry["examples"]).splitlines():
            text = line.strip().removeprefix("- ").strip()
            if text:
                examples.append(text)
    return by_label


class Answers:
    """Draws without replacement from a list, reshuffling once it is used up."""

    def __init__(self, items: Iterable[str], rng: random.Random) -> None:
        self.items = list(items)
        self.rng = rng
        self._left: list[str] = []

    def draw(self) -> str:
        if not self._left:
            self._left = self.items[:]
            self.rng.shuffle(self._left)
        return self._left.pop()


def pre_application(
    language: str,
    start: str,
    rng: random.Random,
    answers: dict[str, Answers],
) -> load.Script:
    """One complete pre-application, in the form's order (``actions/preapplication.py``):
    profile, years, entrepreneurial experience [and its description], [led teams, asked
    for the technical director only], project, consent [first name, e-mail], summary."""
    turns: list[str] = [start]

    def yes_no(value: bool) -> str:
        if rng.random() < YES_NO_BUTTON:
            return YES if value else NO
        return answers["yes" if value else "no"].draw()

    profile = rng.choice(sorted(PROFILES[language]))
    if rng.random() < PROFILE_BUTTON:
        turns.append(profile_payload(profile))
    else:
        turns.append(answers[profile].draw())
    turns.append(answers["years"].draw())
    entrepreneurial = rng.random() < 0.6
    turns.append(yes_no(entrepreneurial))
    if entrepreneurial:
        turns.append(answers["description"].draw())
    if profile == "technical_director":
        turns.append(yes_no(rng.random() < 0.7))
    turns.append(answers["project"].draw())
    consent = rng.random() < 0.5
    turns.append(yes_no(consent))
    if consent:
        name = answers["name"].draw()
        turns.append(name)
        turns.append(f"{name.lower()}.{rng.randrange(10, 99)}@example.org")
    turns.append(yes_no(True))  # the summary is right: submitted
    return [(text, language) for text in turns]


def yes_no_answers(examples: list[str], value: bool) -> list[str]:
    """The set's yes (or no) messages that the form reads as yes (or no)."""
    return [text for text in examples if reading.read_yes_no(text) is value]


def build(seed: int = SEED) -> list[load.Script]:
    """Every visit of the pool, in a fixed order (``Mix`` shuffles them)."""
    rng = random.Random(seed)
    typed_visits: list[load.Script] = []
    pre_applications: list[load.Script] = []
    for language in LANGUAGES:
        conversations = read_conversations(language)
        in_conversations = {text for turns in conversations for text in turns}
        typed_visits += [[(text, language) for text in turns] for turns in conversations]
        by_label = read_messages(language)
        singles = list(
            dict.fromkeys(
                text
                for label, examples in by_label.items()
                if label not in RESERVED_INTENTS
                for text in examples
                if text not in in_conversations
            )
        )
        starts = [  # a request that names a profile answers the first question already
            t
            for t in by_label["pre_apply"]
            if t not in in_conversations and reading.read_profile(t) is None
        ]
        singles += [
            t for t in by_label["pre_apply"] if t not in in_conversations and t not in starts
        ]
        rng.shuffle(starts)
        singles += starts[PRE_APPLICATIONS:]  # the other requests to apply: visits too
        yes = [t for t in yes_no_answers(by_label["affirm"], True) if t not in in_conversations]
        no = [t for t in yes_no_answers(by_label["deny"], False) if t not in in_conversations]
        singles += [  # the set's yes/no messages the form would not read as such
            t
            for t in by_label["affirm"] + by_label["deny"]
            if t not in in_conversations and t not in yes + no
        ]
        rng.shuffle(singles)
        while singles:
            size = rng.randint(*VISIT_SIZES)
            typed_visits.append([(text, language) for text in singles[:size]])
            singles = singles[size:]
        answers = {
            "yes": Answers(yes, rng),
            "no": Answers(no, rng),
            "years": Answers(YEARS[language], rng),
            "description": Answers(DESCRIPTIONS[language], rng),
            "project": Answers(PROJECTS[language], rng),
            "name": Answers(NAMES[language], rng),
            **{p: Answers(texts, rng) for p, texts in PROFILES[language].items()},
        }
        pre_applications += [
            pre_application(language, start, rng, answers) for start in starts[:PRE_APPLICATIONS]
        ]
    return with_clicks(typed_visits, pre_applications, rng) + pre_applications


def with_clicks(
    visits: list[load.Script], pre_applications: list[load.Script], rng: random.Random
) -> list[load.Script]:
    """``visits`` with ``load.CLICK`` turns after randomly chosen typed turns, as many as
    make button payloads ``CLICK_SHARE`` of the turns played, the pre-applications'
    included, given that a share ``CLICKS_PLAYED`` of them find a button to click."""
    typed = sum(len(v) for v in visits) + sum(
        1 for script in pre_applications for text, _ in script if not is_payload(text)
    )
    payloads = sum(1 for script in pre_applications for text, _ in script if is_payload(text))
    played = round((CLICK_SHARE * (typed + payloads) - payloads) / (1 - CLICK_SHARE))
    clicks = round(played / CLICKS_PLAYED)  # some will find no button on offer
    places = [(v, i) for v, visit in enumerate(visits) for i in range(len(visit))]
    chosen = set(rng.sample(places, max(0, min(clicks, len(places)))))
    result: list[load.Script] = []
    for v, visit in enumerate(visits):
        script: load.Script = []
        for i, turn in enumerate(visit):
            script.append(turn)
            if (v, i) in chosen:
                script.append((load.CLICK, turn[1]))
        result.append(script)
    return result


def is_payload(text: str) -> bool:
    """A button's payload (Rasa's ``/intent{…}`` syntax) or a click to be chosen."""
    return text == load.CLICK or text.startswith("/")


class Mix:
    """The visits of the pool, each once per cycle, in an order seeded by the cycle.

    ``next`` is what ``load.run_level`` asks for each new conversation; keep one ``Mix``
    per served assistant for a whole run, so that later load levels carry on with visits
    not played yet instead of replaying the first ones.
    """

    def __init__(self, seed: int = SEED, pool: Optional[list[load.Script]] = None) -> None:
        self.seed = seed
        self.pool = pool if pool is not None else build(seed)
        if not self.pool:
            raise ValueError("empty pool")
        self.drawn = 0
        self._order: list[int] = []
        self._cycle = -1

    @property
    def cycles(self) -> float:
        """How many times the pool has been played through (1.5: once and a half)."""
        return self.drawn / len(self.pool)

    def next(self) -> load.Script:
        cycle, index = divmod(self.drawn, len(self.pool))
        if cycle != self._cycle:
            self._order = list(range(len(self.pool)))
            random.Random(f"{self.seed}:{cycle}").shuffle(self._order)
            self._cycle = cycle
        self.drawn += 1
        return self.pool[self._order[index]]


def describe(pool: list[load.Script]) -> dict[str, float]:
    """Counts of the pool: visits, turns, share of button payloads, distinct typed texts."""
    turns = [text for script in pool for text, _ in script]
    typed = [text for text in turns if not is_payload(text)]
    return {
        "visits": len(pool),
        "turns": len(turns),
        "button_share": round(sum(map(is_payload, turns)) / len(turns), 3),
        "typed": len(typed),
        "distinct_typed": len(set(typed)),
    }


async def check(url: str, pool: list[load.Script]) -> dict[str, Any]:
    """Plays every visit once, one at a time, and counts what would make the mix lie:
    unanswered messages, payloads typed in a script that the reply before did not offer,
    and pre-applications that do not end with their result."""
    import aiohttp

    unoffered: list[tuple[str, str]] = []
    unanswered: list[str] = []
    unfinished: list[str] = []
    clicks = dropped = sent = payloads = with_buttons = 0
    async with aiohttp.ClientSession() as session:
        for script in pool:
            visit = load.Visit(script)
            sender = uuid.uuid4().hex  # the REST channel wants 128 random bits
            offered: list[str] = []
            messages: Optional[list[dict[str, Any]]] = None
            while (text := visit.next_message()) is not None:
                if text.startswith("/") and text not in offered:
                    unoffered.append((script[0][0], text))
                messages = await load.exchange(session, url, sender, text, visit.language)
                if messages is None:
                    unanswered.append(text)
                visit.replied(messages)
                offered = load.quick_replies(messages) if messages else []
                sent += 1
                payloads += text.startswith("/")
                with_buttons += bool(offered)
            clicks += visit.clicks
            dropped += visit.waiting
            if script in pool[-2 * PRE_APPLICATIONS :] and not finished(messages):
                unfinished.append(script[0][0])
    return {
        **describe(pool),
        "messages_sent": sent,
        "button_share_played": round(payloads / max(sent, 1), 3),
        "replies_with_buttons": round(with_buttons / max(sent, 1), 3),
        "clicks_played": clicks,
        "clicks_dropped": dropped,
        "unanswered": unanswered,
        "payloads_not_offered": unoffered,
        "pre_applications_unfinished": unfinished,
    }


def finished(messages: Optional[list[dict[str, Any]]]) -> bool:
    """The reply to a pre-application's last answer gives the assessment (with the pay)."""
    text = " ".join(str(m.get("text") or "") for m in messages or [])
    return "€" in text


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--check", type=Path, metavar="MODEL", help="play the pool once on our stack"
    )
    args = parser.parse_args(argv)
    pool = build(args.seed)
    if not args.check:
        print(json.dumps(describe(pool), indent=1))
        return 0
    from bench import procs

    work = Path(tempfile.mkdtemp(prefix="eig-mix-check-"))
    bot = procs.Ours(args.check, work / "var", work / "services.log")
    bot.cold_start()
    try:
        report = asyncio.run(check(bot.url, pool))
    finally:
        bot.stop()
    print(json.dumps(report, indent=1, ensure_ascii=False))
    faults = ("unanswered", "payloads_not_offered", "pre_applications_unfinished")
    return 1 if any(report[k] for k in faults) else 0


if __name__ == "__main__":
    raise SystemExit(main())
