"""``python -m bench [--quick]``: the whole benchmark in one run; see bench/__init__.py."""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench import load, mix, nlu, parse_cache, procs, report
from bot import ROOT

MAX_P95_MS = 500.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 repeat, 3 levels, no CV")
    parser.add_argument("--repeats", type=int, help="load repetitions (default 3, quick 1)")
    parser.add_argument("--duration", type=float, help="seconds per load level (default 10)")
    parser.add_argument("--levels", help="concurrency levels, comma-separated")
    parser.add_argument("--cv-folds", type=int, default=5)
    parser.add_argument("--cv-epochs", type=int, help="DIET/ResponseSelector epochs in CV")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profile")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--report-only", type=Path, metavar="RESULTS", help="rewrite the report from a results.json"
    )
    parser.add_argument("--cv", action="store_true", help="run the cross-validation in --quick")
    parser.add_argument(
        "--mix",
        choices=("realistic", "scripted"),
        default="realistic",
        help="our load: visits from the realistic sets (bench.mix) or the old load.OURS",
    )
    args = parser.parse_args()
    args.repeats = args.repeats or (1 if args.quick else 3)
    args.duration = args.duration or (5.0 if args.quick else 10.0)
    levels = args.levels or ("1,10,50" if args.quick else "1,2,5,10,20,50")
    args.levels = [int(n) for n in levels.split(",")]
    args.cv_epochs = args.cv_epochs if args.cv_epochs is not None else (10 if args.quick else 20)
    args.no_cv = args.no_cv or (args.quick and not args.cv)
    return args


def spread(values: list[float]) -> dict[str, float]:
    return {
        "median": round(statistics.median(values), 2),
        "min": round(min(values), 2),
        "max": round(max(values), 2),
        "n": len(values),
    }


def sustained(levels: list[dict[str, Any]]) -> float:
    """The highest throughput of a level whose p95 stayed within 500 ms (0 if none)."""
    ok = [level["throughput_mps"] for level in levels if level["p95_ms"] <= MAX_P95_MS]
    return max(ok, default=0.0)


def run_pair(
    bots: list[tuple[str, procs.Bot, load.Scripts]], args: argparse.Namespace, label: str
) -> dict[str, dict[str, Any]]:
    """Both assistants served at once; each level played on one, then the other.

    The machine's speed moves by 1.5-2x within minutes, so each level of one assistant is
    measured right after the same level of the other (the order alternating level by level)
    instead of a whole sweep minutes later. The idle one waits on its socket. Cold starts
    are measured one after the other.
    """
    samplers = {name: procs.RssSampler(bot.pids) for name, bot, _ in bots}
    cold: dict[str, float] = {}
    levels: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in bots}
    sent: dict[str, list[str]] = {name: [bot.greeting[0]] for name, bot, _ in bots}
    with contextlib.ExitStack() as stack:
        for sampler in samplers.values():
            stack.enter_context(sampler)
        try:
            for name, bot, _ in bots:
                cold[name] = bot.cold_start()
            for index, concurrency in enumerate(
                tqdm(args.levels, desc=f"{label}: load levels", leave=False)
            ):
                for name, bot, scripts in bots if index % 2 == 0 else bots[::-1]:
                    result = load.run_level(bot.url, scripts, concurrency, args.duration)
                    levels[name].append(result.summary())
                    sent[name] += result.sent
        finally:
            for _, bot, _ in bots:
                bot.stop()
    return {
        name: {
            "cold_start_s": round(cold[name], 2),
            "levels": levels[name],
            "sustained_mps": sustained(levels[name]),
            "peak_rss_mb": {k: round(v, 1) for k, v in samplers[name].peak_mb.items()},
            **({"parse_cache": cache_hits(sent[name])} if name == "ours" else {}),
        }
        for name, _, _ in bots
    }


def cache_hits(sent: list[str]) -> dict[str, float]:
    """Our Rasa server's parse cache over a run, replayed from what it was sent."""
    return parse_cache.server_replay(sent)


def aggregate(runs: list[dict[str, Any]]) -> dict[str, Any]:
    by_level: dict[int, list[dict[str, Any]]] = {}
    for run in runs:
        for level in run["levels"]:
            by_level.setdefault(level["concurrency"], []).append(level)
    processes = sorted({name for run in runs for name in run["peak_rss_mb"]})
    return {
        "cold_start_s": spread([r["cold_start_s"] for r in runs]),
        "sustained_mps": spread([r["sustained_mps"] for r in runs]),
        "peak_rss_mb": {
            name: spread([r["peak_rss_mb"].get(name, 0.0) for r in runs]) for name in processes
        },
        "levels": {
            concurrency: {
                key: spread([level[key] for level in levels])
                for key in ("p50_ms", "p95_ms", "p99_ms", "throughput_mps", "messages", "errors")
            }
            for concurrency, levels in sorted(by_level.items())
        },
        **(
            {"parse_cache_hit_rate": spread([r["parse_cache"]["hit_rate"] for r in runs])}
            if runs and all("parse_cache" in r for r in runs)
            else {}
        ),
    }


def checkpoint(work: Path, results: dict[str, Any]) -> None:
    """The figures so far, so that a run cut short still leaves them (``--report-only``)."""
    (work / "results.json").write_text(json.dumps(results, indent=2, default=str))


def main() -> int:
    args = parse_args()
    if args.report_only:
        results = json.loads(args.report_only.read_text())
        for bot in results["load"].values():  # JSON keys are strings
            bot["levels"] = {int(c): figures for c, figures in bot["levels"].items()}
        report.write(results, args.out)
        print(f"Wrote {args.out}")
        return 0
    work = Path(tempfile.mkdtemp(prefix="eig-bench-"))
    logs = work / "logs"
    logs.mkdir()
    print(f"Working folder: {work}", flush=True)
    started = time.monotonic()
    results: dict[str, Any] = {
        "meta": {
            "date": time.strftime("%Y-%m-%d %H:%M"),
            "machine": f"{platform.machine()}, {procs.psutil.cpu_count()} cores, "
            f"{procs.psutil.virtual_memory().total / 2**30:.1f} GiB, {platform.platform()}",
            "quick": args.quick,
            "repeats": args.repeats,
            "duration_s": args.duration,
            "levels": args.levels,
            "mix": args.mix,
        }
    }
    succeeded = False
    try:
        # 1. Training: full (empty cache), then again with nothing changed (warm cache).
        stock = procs.create_stock(work / "stock")
        training = {
            "ours_full": procs.train_ours(
                work / "ours", work / "cache-ours", logs / "train-ours.log", "train ours (full)"
            ),
            "ours_retrain": procs.train_ours(
                work / "ours", work / "cache-ours", logs / "train-ours.log", "retrain ours"
            ),
            "stock_full": procs.train_stock(
                stock, work / "cache-stock", logs / "train-stock.log", "train stock (full)"
            ),
            "stock_retrain": procs.train_stock(
                stock, work / "cache-stock", logs / "train-stock.log", "retrain stock"
            ),
        }
        results["training"] = training
        checkpoint(work, results)
        model = work / "ours" / "ours.tar.gz"

        # 2. Cold start and load, both bots side by side, level by level, repeated.
        runs: dict[str, list[dict[str, Any]]] = {"ours": [], "stock": []}
        for repeat in tqdm(range(args.repeats), desc="load repetitions"):
            bots: list[tuple[str, procs.Bot, load.Scripts]] = [
                ("stock", procs.Stock(stock, logs / "stock-server.log"), load.STOCK),
                (
                    "ours",
                    procs.Ours(model, work / f"var-{repeat}", logs / "ours-services.log"),
                    mix.Mix() if args.mix == "realistic" else load.OURS,
                ),
            ]
            pair = run_pair(bots if repeat % 2 == 0 else bots[::-1], args, f"#{repeat + 1}")
            for name, run in pair.items():
                runs[name].append(run)
            checkpoint(work, {**results, "runs": runs})
        results["runs"] = runs
        results["load"] = {name: aggregate(r) for name, r in runs.items()}
        checkpoint(work, results)

        # 3. Where the time goes.
        if not args.no_profile:
            from bench import profile

            print("Profiling our Rasa server under load (py-spy)…", flush=True)
            results["profile"] = profile.profile(
                model,
                work,
                logs / "profile-services.log",
                args.duration * 1.5,
                mix.Mix() if args.mix == "realistic" else load.OURS,
            )
            checkpoint(work, results)

        # 4. Understanding.
        print("Held-out NLU evaluation…", flush=True)
        results["nlu"] = nlu.held_out(model)
        checkpoint(work, results)
        if not args.no_cv:
            results["cross_validation"] = nlu.cross_validation(
                args.cv_folds, args.cv_epochs, work / "cv", logs / "cross-validation.log"
            )
        results["meta"]["bench_minutes"] = round((time.monotonic() - started) / 60, 1)
        report.write(results, args.out)
        print(f"Wrote {args.out} (and {args.out.with_suffix('')}/) in "
              f"{results['meta']['bench_minutes']} min")  # fmt: skip
        succeeded = True
    finally:
        (work / "results.json").write_text(json.dumps(results, indent=2, default=str))
        if not succeeded:
            print(f"Failed: logs and partial results kept in {work}")
        elif not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
