"""The load generator: scripted REST conversations over keep-alive HTTP, closed loop.

``concurrency`` virtual users each play one scripted conversation after another (a new
sender id for each), sending the next message as soon as the previous reply arrives. A
level stops after ``duration`` seconds or ``max_messages`` replies, whichever is first;
the first ``warmup`` seconds are not counted. Loopback only.

The conversations come from a list of scripts (user ``i``'s ``n``-th conversation is
script ``i + n``, round the list) or from a ``Source`` shared by all users, such as
``bench.mix.Mix``. A ``CLICK`` turn clicks one of the quick replies of the latest reply,
as the chat widget does: it sends the button's payload (the widget keeps only the last
message's buttons). With none on offer, the click waits for the next reply that has some.
Which button is clicked depends only on the script and the turn, so that both sides of a
before/after play the same messages.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import time
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Any, Optional, Protocol, Union

import aiohttp

Script = list[tuple[str, Optional[str]]]  # (text, page language or None)
CLICK = "<click>"  # in a script: click one of the latest reply's quick replies


class Source(Protocol):
    """Conversations shared by every virtual user, one per ``next`` call."""

    def next(self) -> Script: ...


Scripts = Union[list[Script], Source]

# Ours: FAQ in both languages, small talk, out of scope, a language switch mid-way, and a
# complete pre-application that refuses consent (nothing is stored: the bench leaves the
# applications database empty). Every conversation gets its own sender id (see ``_run``).
PRE_APPLICATION: Script = [
    ("je veux candidater", "fr"),
    ("CTO", "fr"),
    ("douze ans", "fr"),
    ("oui", "fr"),
    ("J'ai cofondé une startup de données de santé et je l'ai dirigée cinq ans", "fr"),
    ("oui", "fr"),
    ("Les données ouvertes et les services publics de santé", "fr"),
    ("non", "fr"),
    ("oui", "fr"),
]
OURS: list[Script] = [
    [
        ("bonjour", "fr"),
        ("c koi le salaire", "fr"),
        ("quels profils recherchez-vous ?", "fr"),
        ("quelle est la date limite pour candidater", "fr"),
        ("merci", "fr"),
        ("au revoir", "fr"),
    ],
    [
        ("hello", "en"),
        ("how much is the salary?", "en"),
        ("what profiles are you looking for", "en"),
        ("how does the selection work", "en"),
        ("thanks", "en"),
        ("bye", "en"),
    ],
    [
        ("bonjour", "fr"),
        ("c'est quoi le programme EIG", "fr"),
        ("in English please", "fr"),
        ("what is the contract like", "en"),
        ("thank you", "en"),
    ],
    [
        ("salut", "fr"),
        ("tu es un robot ?", "fr"),
        ("what's the weather like in london tomorrow", "en"),
        ("comment contacter l'équipe", "fr"),
        ("merci beaucoup", "fr"),
    ],
    PRE_APPLICATION,
]

# Stock `rasa init` bot: its own domain (greet, mood, goodbye, bot challenge).
STOCK: list[Script] = [
    [("hello", None), ("I am feeling great", None), ("bye", None)],
    [("hi", None), ("I'm sad", None), ("yes", None), ("goodbye", None)],
    [("hey there", None), ("are you a bot?", None), ("I am unhappy", None), ("no", None)],
    [("good morning", None), ("am I talking to a human?", None), ("perfect", None)],
]


@dataclass
class LevelResult:
    concurrency: int
    latencies_ms: list[float]
    errors: int
    elapsed_s: float
    sent: list[str] = field(default_factory=list)  # every message sent, warm-up included
    replies: int = 0  # answered messages, warm-up included
    clicks: int = 0  # CLICK turns played
    clicks_dropped: int = 0  # CLICK turns still waiting for buttons when a script ended

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.elapsed_s if self.elapsed_s else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "concurrency": self.concurrency,
            "messages": len(self.latencies_ms),
            "errors": self.errors,
            "elapsed_s": round(self.elapsed_s, 2),
            "throughput_mps": round(self.throughput, 2),
            **{f"p{q}_ms": round(percentile(self.latencies_ms, q), 1) for q in (50, 95, 99)},
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else 0,
        }


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def exchange(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, language: Optional[str]
) -> Optional[list[dict[str, Any]]]:
    """The bot's messages in reply to ``text``, or None when it did not answer."""
    body: dict[str, Any] = {"sender": sender, "message": text}
    if language:
        body["metadata"] = {"language": language}
    async with session.post(url, json=body) as reply:
        messages = await reply.json(content_type=None)
        if reply.status == 200 and isinstance(messages, list) and messages:
            return messages
        return None


async def send(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, language: Optional[str]
) -> bool:
    return await exchange(session, url, sender, text, language) is not None


def quick_replies(messages: list[dict[str, Any]]) -> list[str]:
    """The payloads of the buttons a visitor can click: the last message's, as the widget
    shows them (bot/web/static/eig-chat.js)."""
    last = messages[-1] if messages and isinstance(messages[-1], dict) else {}
    buttons = last.get("buttons") or last.get("quick_replies") or []
    return [
        b["payload"] for b in buttons if isinstance(b, dict) and isinstance(b.get("payload"), str)
    ]


def choose(buttons: list[str], script: Script, turn: int) -> str:
    """The button clicked at ``turn`` of ``script``: the same on every run."""
    key = zlib.crc32("\n".join(text for text, _ in script).encode()) ^ turn
    return random.Random(key).choice(buttons)


class Visit:
    """One visitor playing a script: which message to send next, given the replies."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.language = script[0][1] if script else None
        self.sent = 0
        self.clicks = 0
        self.waiting = 0  # CLICK turns waiting for a reply with buttons
        self._turns = iter(script)
        self._buttons: list[str] = []

    def next_message(self) -> Optional[str]:
        """The next text or payload to send, or None when the script is played."""
        while not (self.waiting and self._buttons):
            turn = next(self._turns, None)
            if turn is None:
                return None
            text, self.language = turn[0], turn[1] or self.language
            if text != CLICK:
                self.sent += 1
                return text
            self.waiting += 1
        self.waiting -= 1
        self.clicks += 1
        self.sent += 1
        return choose(self._buttons, self.script, self.sent)

    def replied(self, messages: Optional[list[dict[str, Any]]]) -> None:
        self._buttons = quick_replies(messages) if messages else []


async def _run(
    url: str,
    scripts: Scripts,
    concurrency: int,
    duration: float,
    warmup: float,
    max_messages: int,
) -> LevelResult:
    result = LevelResult(concurrency, [], 0, 0.0)
    latencies = result.latencies_ms
    start = time.monotonic()
    counted_from = start + warmup
    stop_at = counted_from + duration
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)

    def conversation(index: int, n: int) -> Script:
        if isinstance(scripts, list):
            return scripts[(index + n) % len(scripts)]
        return scripts.next()

    async def user(index: int, session: aiohttp.ClientSession) -> None:
        for n in itertools.count():
            visit = Visit(conversation(index, n))
            sender = uuid.uuid4().hex  # the REST channel wants 128 random bits
            while True:
                if time.monotonic() >= stop_at or len(latencies) >= max_messages:
                    return
                clicks = visit.clicks
                text = visit.next_message()
                if text is None:
                    result.clicks_dropped += visit.waiting
                    break
                result.clicks += visit.clicks - clicks
                result.sent.append(text)
                sent = time.monotonic()
                try:
                    messages = await exchange(session, url, sender, text, visit.language)
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    messages = None
                done = time.monotonic()
                visit.replied(messages)
                if messages is not None:
                    result.replies += 1
                if sent >= counted_from:
                    if messages is not None:
                        latencies.append((done - sent) * 1000)
                    else:
                        result.errors += 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(user(i, session) for i in range(concurrency)))
    result.elapsed_s = max(min(time.monotonic(), stop_at) - counted_from, 1e-9)
    return result


def run_level(
    url: str,
    scripts: Scripts,
    concurrency: int,
    duration: float,
    warmup: float = 2.0,
    max_messages: int = 5000,
) -> LevelResult:
    return asyncio.run(_run(url, scripts, concurrency, duration, warmup, max_messages))


def first_answer(url: str, text: str, expected: str, language: Optional[str]) -> bool:
    """True when the bot answers ``text`` with a message containing ``expected``."""

    async def ask() -> bool:
        body: dict[str, Any] = {"sender": uuid.uuid4().hex, "message": text}
        if language:
            body["metadata"] = {"language": language}
        timeout = aiohttp.ClientTimeout(total=30)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(url, json=body) as reply,
        ):
            messages = await reply.json(content_type=None)
        return reply.status == 200 and any(expected in (m.get("text") or "") for m in messages)

    try:
        return asyncio.run(ask())
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError, TypeError):
        return False
