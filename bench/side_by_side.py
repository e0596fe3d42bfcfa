"""Several assistants side by side, each load level alternating between them.

On this shared machine the same stack's latency moves by 1.5-2x from one minute to the
next, so figures taken minutes apart cannot be compared. Here every stack runs at once
(its own ports) and each round plays the same levels on each in turn, in alternating
order; the medians over rounds are compared. A stack is ``name=DIR`` (a checkout of this
project with a trained ``models/current.tar.gz``: an older commit for a before/after),
``name=stock`` (``rasa init``'s assistant, trained here in a temporary folder), or
``name=stock:DIR`` (a stock project trained already).

    python -m bench.side_by_side --rounds 3 before=/tmp/old-checkout after=. stock=stock
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import load, mix, procs

SERVE = r"""
import signal, sys, tempfile, time
from pathlib import Path
from bench import procs
kind, log = sys.argv[1], Path(sys.argv[2])
if kind == "stock":
    bot = procs.Stock(Path(sys.argv[3]), log)
else:
    bot = procs.Ours(Path("models/current.tar.gz"), Path(tempfile.mkdtemp()) / "var", log)
bot.cold_start()
print("ready", flush=True)
def stop(*_):
    bot.stop()
    sys.exit(0)
signal.signal(signal.SIGTERM, stop)
while True:
    time.sleep(1)
"""
FIGURES = ("p50_ms", "p95_ms", "p99_ms", "throughput_mps")


class Stack:
    """One assistant served by its own checkout's code, on ports of its own."""

    def __init__(self, name: str, where: str, index: int, work: Path, realistic: bool) -> None:
        self.name = name
        offset = 300 + 100 * index
        stock = where.split(":")[0] == "stock"
        root = procs.ROOT if stock else Path(where).resolve()
        log = str(work / f"{name}.log")
        command = [sys.executable, "-c", SERVE, "stock" if stock else "ours", log]
        if stock and ":" in where:  # stock:PROJECT, trained already
            command.append(where.partition(":")[2])
        elif stock:
            project = procs.create_stock(work / "stock")
            procs.train_stock(project, work / "stock-cache", work / "stock-train.log", "stock")
            command.append(str(project))
        env = dict(os.environ, EIG_BENCH_PORT_OFFSET=str(offset), PYTHONPATH=str(root))
        self.process = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.PIPE, text=True
        )
        port = (procs.STOCK_PORT if stock else procs.OUR_PORTS.rasa) + offset
        self.url = f"http://{procs.HOST}:{port}/webhooks/rest/webhook"
        # Each of ours draws from its own realistic mix, the same visits in the same order.
        self.scripts: load.Scripts = load.STOCK if stock else mix.Mix() if realistic else load.OURS

    def wait_ready(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip() == "ready":
                return
        raise SystemExit(f"{self.name} did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stacks", nargs="+", help="name=DIR or name=stock")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--levels", default="1,10", help="concurrent conversations")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--output", type=Path, help="also write every run as JSON")
    parser.add_argument("--mix", choices=("realistic", "scripted"), default="realistic")
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]
    work = Path(tempfile.mkdtemp(prefix="eig-side-by-side-"))
    stacks: list[Stack] = []
    try:
        for index, spec in enumerate(args.stacks):
            name, _, where = spec.partition("=")
            stacks.append(Stack(name, where or ".", index, work, args.mix == "realistic"))
        for stack in stacks:
            stack.wait_ready()
        runs: dict[str, dict[int, list[dict[str, Any]]]] = {s.name: {} for s in stacks}
        for n in range(args.rounds):
            for stack in stacks if n % 2 == 0 else stacks[::-1]:
                for level in levels:
                    result = load.run_level(stack.url, stack.scripts, level, args.duration)
                    runs[stack.name].setdefault(level, []).append(result.summary())
                    print(f"round {n + 1} {stack.name} x{level}: {result.summary()}", flush=True)
    finally:
        for stack in stacks:
            stack.stop()
    medians = {
        name: {
            level: {k: round(statistics.median(r[k] for r in rs), 1) for k in FIGURES}
            for level, rs in by_level.items()
        }
        for name, by_level in runs.items()
    }
    print(json.dumps(medians, indent=1))
    if args.output:
        args.output.write_text(json.dumps({"medians": medians, "runs": runs}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
