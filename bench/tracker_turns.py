"""Cost of one turn in the SQLite tracker store: ``python -m bench.tracker_turns [N]``.

Replays a recorded conversation (``bench/conversation.json``: 13 turns, FAQ questions in
both languages and small talk) as 20 conversations, turn by turn (retrieve the tracker,
add the turn's events, save it), through Rasa's ``SQLTrackerStore`` on a fresh SQLite
file: once with our speedups as configured and once per switch in ``VARIANTS``, each in
its own process (the speedups patch Rasa once per process). Prints the median wall and
CPU milliseconds per turn of N repetitions.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bot import ROOT

CONVERSATION = ROOT / "bench" / "conversation.json"
CONVERSATIONS = 20
VARIANTS = {
    "all speedups": {},
    "without the tracker cache": {"EIG_SPEEDUP_TRACKER_CACHE": "0"},
    "without any speedup": {"EIG_SPEEDUPS": "0"},
}


def turns(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The events split before each user message."""
    split: list[list[dict[str, Any]]] = [[]]
    for event in events:
        if event["event"] == "user" and split[-1]:
            split.append([])
        split[-1].append(event)
    return split


async def replay(db: Path) -> tuple[float, float, int]:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import Event
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.rasa_server import patches

    patches.install()
    domain = Domain.load(str(ROOT / "domain.yml"))
    store = SQLTrackerStore(domain, dialect="sqlite", db=str(db))
    recorded = turns(json.loads(CONVERSATION.read_text()))
    count = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for n in range(CONVERSATIONS):
        sender = f"bench-{n}"
        for events in recorded:
            tracker = await store.retrieve(sender) or DialogueStateTracker(sender, domain.slots)
            for event in events:
                tracker.update(Event.from_parameters(event))
            await store.save(tracker)
            count += 1
    return time.perf_counter() - wall, time.process_time() - cpu, count


def child() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu, count = asyncio.run(replay(Path(tmp) / "tracker.db"))
    print(json.dumps({"wall_ms": 1000 * wall / count, "cpu_ms": 1000 * cpu / count}))


def main(repeats: int) -> None:
    results: dict[str, list[dict[str, float]]] = {name: [] for name in VARIANTS}
    for _ in range(repeats):
        for name, switches in VARIANTS.items():
            out = subprocess.run(
                [sys.executable, "-m", "bench.tracker_turns", "--child"],
                env={**os.environ, **switches},
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            ).stdout
            results[name].append(json.loads(out.strip().splitlines()[-1]))
    print(f"one turn (retrieve + save), median of {repeats}, {CONVERSATIONS} conversations:")
    for name, runs in results.items():
        wall = statistics.median(r["wall_ms"] for r in runs)
        cpu = statistics.median(r["cpu_ms"] for r in runs)
        print(f"  {name:28} wall {wall:6.2f} ms   CPU {cpu:6.2f} ms")


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
