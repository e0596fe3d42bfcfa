"""Before/after of one runtime switch on our stack: ``python -m bench.ab MODEL VAR[,VAR…] [N]``.

Starts two copies of our three services side by side, one with ``VAR=0`` and one with
``VAR=1`` (every listed variable), then N rounds of load at 1 and 10 conversations on each
in turn (alternating which goes first), so that both see the same machine: on a shared
machine, wall-clock figures drift with other people's work between runs minutes apart.
Besides latency and throughput it reports each service's CPU milliseconds per message,
which other load disturbs much less. Prints medians and every run as JSON.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import load, procs
from bot.ops import services

DURATION_S = 10.0


def ports(offset: int) -> services.Ports:
    base = procs.OUR_PORTS
    return services.Ports(base.rasa + offset, base.actions + offset, base.web + offset)


def measure(bot: procs.Ours, concurrency: int) -> dict[str, Any]:
    pids = bot.pids()
    before = {name: procs.tree_cpu_s(pid) for name, pid in pids.items()}
    result = load.run_level(bot.url, load.OURS, concurrency, DURATION_S).summary()
    sent = max(result["messages"], 1)  # counted after the warm-up; CPU includes it
    for name, pid in pids.items():
        result[f"cpu_ms_per_msg_{name}"] = round(
            (procs.tree_cpu_s(pid) - before[name]) * 1000 / sent, 2
        )
    return result


def main() -> int:
    model, variable = Path(sys.argv[1]), sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    work = Path(tempfile.mkdtemp(prefix="eig-bench-ab-"))
    bots: dict[str, procs.Ours] = {}
    for value, offset in (("0", 0), ("1", 100)):
        bot = procs.Ours(
            model, work / f"var-{value}", work / f"services-{value}.log", ports(offset)
        )
        bot.supervisor.extra_env = {name: value for name in variable.split(",")}
        bot.supervisor.var_dir.mkdir(parents=True)
        for service in bot.supervisor.services:  # both stacks start at once
            bot.supervisor.launch(service)
        bots[value] = bot
    figures: dict[str, dict[int, list[dict[str, Any]]]] = {"0": {}, "1": {}}
    try:
        for bot in bots.values():
            text, expected, language = bot.greeting
            deadline = time.monotonic() + 400
            while not load.first_answer(bot.url, text, expected, language):
                if time.monotonic() > deadline:
                    raise SystemExit(f"no answer from {bot.url}: see {work}")
                time.sleep(0.5)
        for n in range(rounds):
            for value in ("0", "1") if n % 2 == 0 else ("1", "0"):
                for concurrency in (1, 10):
                    result = measure(bots[value], concurrency)
                    figures[value].setdefault(concurrency, []).append(result)
    finally:
        for bot in bots.values():
            bot.stop()
    keys = [k for k in figures["0"][1][0] if k.endswith("_ms") or "per_msg" in k]
    medians = {
        f"{variable}={value}": {
            c: {
                k: round(statistics.median(r[k] for r in runs), 2)
                for k in [*keys, "throughput_mps"]
            }
            for c, runs in by_level.items()
        }
        for value, by_level in figures.items()
    }
    print(json.dumps({"medians": medians, "runs": figures}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
