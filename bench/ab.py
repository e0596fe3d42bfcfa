"""Before/after of one runtime switch on our stack: ``python -m bench.ab MODEL VAR[,VAR…] [N]``.

Starts our three services with ``VAR=0`` then ``VAR=1`` (every listed variable together;
alternating, N rounds), runs the load at 1 and 10 conversations, and prints the medians as
JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench import load, procs


def main() -> int:
    model, variable = Path(sys.argv[1]), sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    work = Path(tempfile.mkdtemp(prefix="eig-bench-ab-"))
    figures: dict[str, dict[int, list[dict]]] = {"0": {}, "1": {}}
    for n in range(rounds):
        for value in ("0", "1") if n % 2 == 0 else ("1", "0"):
            for name in variable.split(","):
                os.environ[name] = value
            bot = procs.Ours(model, work / f"var-{n}-{value}", work / "services.log")
            bot.cold_start()
            try:
                for concurrency in (1, 10):
                    result = load.run_level(bot.url, load.OURS, concurrency, 10.0)
                    figures[value].setdefault(concurrency, []).append(result.summary())
            finally:
                bot.stop()
    medians = {
        f"{variable}={value}": {
            c: {
                key: statistics.median(r[key] for r in runs)
                for key in ("p50_ms", "p95_ms", "p99_ms", "throughput_mps")
            }
            for c, runs in by_level.items()
        }
        for value, by_level in figures.items()
    }
    print(json.dumps({"medians": medians, "runs": figures}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
