"""Before/after of runtime switches on our stack: ``python -m bench.ab MODEL VAR[,VAR…] [N]``.

Starts two copies of our three services side by side, one with ``VAR=0`` and one with
``VAR=1`` (every listed variable), then N rounds of load at 1 and 10 conversations on each
in turn (alternating which goes first), so that both see the same machine: on a shared
machine, wall-clock figures drift with other people's work between runs minutes apart.
Besides latency and throughput it reports each service's CPU milliseconds per message
(the level's CPU over every message it answered, warm-up included), which other load
disturbs much less. Prints medians and every run as JSON.

``--mix realistic`` (the default) plays ``bench.mix``: visits drawn without replacement
from the realistic sets, a quarter of the turns button payloads; each side keeps its own
draw for the whole run, so later levels carry on with visits not played yet. ``--mix
scripted`` plays the old ``load.OURS`` (a few texts, again and again). The parse cache hit
rate each side saw is replayed from the messages it was sent (``bench.parse_cache``).

``--postgres`` serves both sides from one throw-away PostgreSQL on loopback, a database
each, with the cluster profile's tracker store (``bench.postgres``); without it, each side
has its own SQLite file, as ``make run`` does.

    python -m bench.ab models/current.tar.gz EIG_SPEEDUP_PARSE_CACHE 3 --postgres
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

from bench import load, mix, parse_cache, procs
from bench import postgres as pg
from bot.ops import services

DURATION_S = 10.0
SIDES = ("0", "1")


def ports(offset: int) -> services.Ports:
    base = procs.OUR_PORTS
    return services.Ports(base.rasa + offset, base.actions + offset, base.web + offset)


def in_use(port: int) -> bool:
    """Something listens on ``127.0.0.1:port`` already (another stack: our load would
    measure it instead, and our server would not start)."""
    with socket.socket() as sock:
        return sock.connect_ex((procs.HOST, port)) == 0


def measure(
    bot: procs.Ours, scripts: load.Scripts, concurrency: int, duration: float
) -> tuple[dict[str, Any], list[str]]:
    """One load level: its summary with CPU per message, and the messages sent."""
    pids = bot.pids()
    before = {name: procs.tree_cpu_s(pid) for name, pid in pids.items()}
    level = load.run_level(bot.url, scripts, concurrency, duration)
    result = level.summary()
    answered = max(level.replies, 1)
    for name, pid in pids.items():
        result[f"cpu_ms_per_msg_{name}"] = round(
            (procs.tree_cpu_s(pid) - before[name]) * 1000 / answered, 2
        )
    result["clicks"] = level.clicks
    return result, level.sent


def check_alive(bot: procs.Ours, work: Path) -> None:
    failed = bot.supervisor.failed()
    if failed is not None:
        raise SystemExit(f"the {failed.name} stopped: see {work}")


def parse_args(argv: Optional[list[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__)
    parser.add_argument("model", type=Path)
    parser.add_argument("variables", help="VAR[,VAR…]: 0 on one side, 1 on the other")
    parser.add_argument("rounds", type=int, nargs="?", default=3)
    parser.add_argument("--mix", choices=("realistic", "scripted"), default="realistic")
    parser.add_argument("--postgres", action="store_true", help="the cluster's tracker store")
    parser.add_argument("--levels", default="1,10", help="concurrent conversations")
    parser.add_argument("--duration", type=float, default=DURATION_S, help="seconds per level")
    parser.add_argument("--output", type=Path, help="also write the JSON there")
    return parser.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> int:
    args = parse_args(argv)
    levels = [int(n) for n in args.levels.split(",")]
    work = Path(tempfile.mkdtemp(prefix="eig-bench-ab-"))
    bots: dict[str, procs.Ours] = {}
    sources: dict[str, load.Scripts] = {}
    sent: dict[str, list[str]] = {side: [] for side in SIDES}
    figures: dict[str, dict[int, list[dict[str, Any]]]] = {side: {} for side in SIDES}
    databases: dict[str, str] = {}
    busy = [p for o in (0, 100) for p in dataclasses.astuple(ports(o)) if in_use(p)]
    if args.postgres and in_use(procs.OUR_PORTS.rasa + 427):
        busy.append(procs.OUR_PORTS.rasa + 427)
    if busy:
        raise SystemExit(f"ports {busy} are in use: set EIG_BENCH_PORT_OFFSET")
    with contextlib.ExitStack() as stack:
        if args.postgres:
            server = stack.enter_context(pg.Server(procs.OUR_PORTS.rasa + 427))
            endpoints = pg.endpoints(work / "endpoints.postgres.yml")
        for side, offset in zip(SIDES, (0, 100), strict=True):
            bot = procs.Ours(args.model, work / f"var-{side}", work / f"services-{side}.log",
                             ports(offset))  # fmt: skip
            bot.supervisor.extra_env = {name: side for name in args.variables.split(",")}
            if args.postgres:
                databases[side] = server.database(f"eig_ab_{side}")
                pg.serve(bot.supervisor, databases[side], endpoints)
            bot.supervisor.var_dir.mkdir(parents=True)
            for service in bot.supervisor.services:  # both stacks start at once
                bot.supervisor.launch(service)
            stack.callback(bot.stop)
            bots[side] = bot
            sources[side] = mix.Mix() if args.mix == "realistic" else load.OURS
        for side, bot in bots.items():
            text, expected, language = bot.greeting
            deadline = time.monotonic() + 400
            while not load.first_answer(bot.url, text, expected, language):
                if time.monotonic() > deadline:
                    raise SystemExit(f"no answer from {bot.url}: see {work}")
                time.sleep(0.5)
            sent[side].append(text)
            check_alive(bot, work)
        for n in range(args.rounds):
            for side in SIDES if n % 2 == 0 else SIDES[::-1]:
                for concurrency in levels:
                    result, texts = measure(bots[side], sources[side], concurrency, args.duration)
                    check_alive(bots[side], work)
                    figures[side].setdefault(concurrency, []).append(result)
                    sent[side] += texts
                    print(f"round {n + 1} {args.variables}={side} x{concurrency}: "
                          f"{json.dumps(result)}", file=sys.stderr, flush=True)  # fmt: skip
        rows = {side: pg.tracker_rows(url) for side, url in databases.items()}
    output = report(args, figures, sent, sources)
    if rows:
        output["postgres_tracker_events"] = rows
    text = json.dumps(output, indent=1)
    print(text)
    if args.output:
        args.output.write_text(text)
    return 0


def report(
    args: argparse.Namespace,
    figures: dict[str, dict[int, list[dict[str, Any]]]],
    sent: dict[str, list[str]],
    sources: dict[str, load.Scripts],
) -> dict[str, Any]:
    first = next(iter(figures["0"].values()))[0]
    keys = [k for k in first if k.endswith("_ms") or "per_msg" in k]
    medians = {
        f"{args.variables}={side}": {
            c: {
                k: round(statistics.median(r[k] for r in runs), 2)
                for k in [*keys, "throughput_mps"]
            }
            for c, runs in by_level.items()
        }
        for side, by_level in figures.items()
    }
    # Side 1 over side 0, round by round (both measured within the same minute or two).
    paired = {
        c: {
            k: sorted(
                round(one[k] / zero[k], 3)
                for zero, one in zip(runs, figures["1"][c], strict=True)
                if zero[k]
            )
            for k in [*keys, "throughput_mps"]
            if "rasa" in k or k in ("p50_ms", "p95_ms", "throughput_mps")
        }
        for c, runs in figures["0"].items()
    }
    hits = {side: parse_cache.server_replay(texts) for side, texts in sent.items()}
    # Once the pool is played through, visits come back: the first pass is the honest figure.
    first_pass = {
        side: parse_cache.server_replay(texts[: round(len(texts) / source.cycles)])
        for (side, texts), source in zip(sent.items(), sources.values(), strict=True)
        if isinstance(source, mix.Mix) and source.cycles > 1
    }
    played = {
        side: {
            "messages": len(texts),
            "button_payloads": round(sum(t.startswith("/") for t in texts) / len(texts), 3),
            "distinct": len(set(texts)),
            "pool_cycles": round(s.cycles, 2) if isinstance(s, mix.Mix) else None,
        }
        for (side, texts), s in zip(sent.items(), sources.values(), strict=True)
    }
    return {
        "variables": args.variables,
        "profile": "postgresql" if args.postgres else "sqlite",
        "mix": args.mix,
        "rounds": args.rounds,
        "duration_s": args.duration,
        "medians": medians,
        "ratios_1_over_0": paired,
        "parse_cache": hits,
        "parse_cache_first_pass": first_pass,
        "played": played,
        "runs": figures,
    }


if __name__ == "__main__":
    raise SystemExit(main())
