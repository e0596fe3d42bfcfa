"""Which messages are slow: every message of the scripted mix timed alone, single user.

Starts our three services on a model, plays each conversation of ``load.OURS`` again and
again (a new sender id each time), and prints each message's median and maximum latency
over the passes after the warm-up ones.

    python -m bench.per_message models/current.tar.gz --passes 10
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bench import load, procs

Key = tuple[int, int, str]


async def play(url: str, passes: int, warmup: int) -> dict[Key, list[float]]:
    latencies: dict[Key, list[float]] = {}
    async with aiohttp.ClientSession() as session:
        for n in range(warmup + passes):
            for script_index, script in enumerate(load.OURS):
                sender = uuid.uuid4().hex
                for position, (text, language) in enumerate(script):
                    started = time.perf_counter()
                    if not await load.send(session, url, sender, text, language):
                        raise SystemExit(f"no answer to {text!r}")
                    if n >= warmup:
                        key = (script_index, position, text)
                        latencies.setdefault(key, []).append((time.perf_counter() - started) * 1000)
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("--passes", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="eig-per-message-"))
    bot = procs.Ours(args.model, work / "var", work / "services.log")
    bot.cold_start()
    try:
        latencies = asyncio.run(play(bot.url, args.passes, args.warmup))
    finally:
        bot.stop()
    every: list[float] = []
    print("median ms   max ms  conversation, position, message")
    for (script_index, position, text), values in latencies.items():
        every += values
        print(
            f"{statistics.median(values):9.1f} {max(values):8.1f}  "
            f"{script_index}, {position}, {text[:60]}"
        )
    print(f"all: p50 {load.percentile(every, 50):.1f} ms, p95 {load.percentile(every, 95):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
