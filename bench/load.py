"""The load generator: scripted REST conversations over keep-alive HTTP, closed loop.

``concurrency`` virtual users each play one scripted conversation after another (a new
sender id for each), sending the next message as soon as the previous reply arrives. A
level stops after ``duration`` seconds or ``max_messages`` replies, whichever is first;
the first ``warmup`` seconds are not counted. Loopback only.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
import uuid
from dataclasses import dataclass
from typing import Any, Optional

import aiohttp

Script = list[tuple[str, Optional[str]]]  # (text, page language or None)

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


async def send(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, language: Optional[str]
) -> bool:
    body: dict[str, Any] = {"sender": sender, "message": text}
    if language:
        body["metadata"] = {"language": language}
    async with session.post(url, json=body) as reply:
        messages = await reply.json(content_type=None)
        return reply.status == 200 and isinstance(messages, list) and bool(messages)


async def _run(
    url: str,
    scripts: list[Script],
    concurrency: int,
    duration: float,
    warmup: float,
    max_messages: int,
) -> LevelResult:
    latencies: list[float] = []
    errors = 0
    start = time.monotonic()
    counted_from = start + warmup
    stop_at = counted_from + duration
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)

    async def user(index: int, session: aiohttp.ClientSession) -> None:
        nonlocal errors
        for n in itertools.count():
            script = scripts[(index + n) % len(scripts)]
            sender = f"bench-{uuid.uuid4().hex}"
            for text, language in script:
                if time.monotonic() >= stop_at or len(latencies) >= max_messages:
                    return
                sent = time.monotonic()
                try:
                    ok = await send(session, url, sender, text, language)
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    ok = False
                done = time.monotonic()
                if sent >= counted_from:
                    if ok:
                        latencies.append((done - sent) * 1000)
                    else:
                        errors += 1

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(user(i, session) for i in range(concurrency)))
    elapsed = min(time.monotonic(), stop_at) - counted_from
    return LevelResult(concurrency, latencies, errors, max(elapsed, 1e-9))


def run_level(
    url: str,
    scripts: list[Script],
    concurrency: int,
    duration: float,
    warmup: float = 2.0,
    max_messages: int = 5000,
) -> LevelResult:
    return asyncio.run(_run(url, scripts, concurrency, duration, warmup, max_messages))


def first_answer(url: str, text: str, expected: str, language: Optional[str]) -> bool:
    """True when the bot answers ``text`` with a message containing ``expected``."""

    async def ask() -> bool:
        body: dict[str, Any] = {"sender": f"cold-{uuid.uuid4().hex}", "message": text}
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
