"""Writes docs/benchmarks.md, its PNG plots and the raw figures (results.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

FINDINGS = Path(__file__).with_name("findings.md")


def ratio(ours: float, stock: float) -> Optional[float]:
    return round(ours / stock, 2) if stock else None


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        value = f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return f"{value}{unit}"


def med(spread: dict[str, float], unit: str = "") -> str:
    text = fmt(spread["median"], unit)
    if spread.get("n", 1) > 1:
        text += f" ({fmt(spread['min'])}–{fmt(spread['max'])})"
    return text


def plot_latency(load: dict[str, Any], path: Path) -> None:
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for name, style in (("ours", "o-"), ("stock", "s--")):
        levels = load[name]["levels"]
        xs = list(levels)
        for q, color in (("p50_ms", "tab:blue"), ("p95_ms", "tab:orange"), ("p99_ms", "tab:red")):
            axes[0].plot(
                xs, [levels[x][q]["median"] for x in xs], style, color=color,
                label=f"{name} {q[:3]}",
            )  # fmt: skip
        axes[1].plot(xs, [levels[x]["throughput_mps"]["median"] for x in xs], style, label=name)
    axes[0].axhline(500, color="grey", lw=0.8, ls=":")
    axes[0].set(xscale="log", yscale="log", xlabel="concurrent conversations",
                ylabel="latency per message (ms)", title="Latency (median of runs)")  # fmt: skip
    axes[1].set(xscale="log", xlabel="concurrent conversations", ylabel="messages / s",
                title="Throughput (median of runs)")  # fmt: skip
    axes[0].legend(fontsize=7, ncol=2)
    axes[1].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_memory(load: dict[str, Any], training: dict[str, Any], path: Path) -> None:
    labels, values = [], []
    for name in ("stock", "ours"):
        for process, spread in load[name]["peak_rss_mb"].items():
            labels.append(f"{name}: {process}")
            values.append(spread["max"])
    for key, figures in training.items():
        labels.append(f"training {key}")
        values.append(figures["peak_rss_mb"])
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.barh(labels, values, color="tab:blue")
    ax.set(xlabel="peak RSS (MiB, highest of runs)", title="Peak memory")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_confusion(nlu: dict[str, Any], path: Path) -> None:
    from sklearn.metrics import ConfusionMatrixDisplay

    fig, axes = plt.subplots(1, 2, figsize=(16, 7.5))
    for ax, (language, figures) in zip(axes, nlu.items(), strict=False):
        expected = [e for e, _ in figures["pairs"]]
        predicted = [p for _, p in figures["pairs"]]
        labels = sorted(set(expected) | set(predicted))
        ConfusionMatrixDisplay.from_predictions(
            expected, predicted, labels=labels, ax=ax, colorbar=False,
            xticks_rotation="vertical", normalize="true", values_format=".2f", cmap="Blues",
        )  # fmt: skip
        ax.set_title(
            f"{language}: held-out intents, share of each true intent "
            f"(macro-F1 {figures['intent_macro_f1']:.3f})"
        )
        ax.tick_params(labelsize=7)
        for text in ax.texts:
            text.set_fontsize(6)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_profile(profile: dict[str, Any], path: Path) -> None:
    items = [(k, v) for k, v in profile["categories_pct"].items() if v > 0]
    fig, ax = plt.subplots(figsize=(8, 5))
    ax.barh([k for k, _ in items][::-1], [v for _, v in items][::-1], color="tab:green")
    ax.set(xlabel="% of CPU samples while handling messages (inclusive)",
           title="Our Rasa server under 10 conversations (py-spy)")  # fmt: skip
    ax.tick_params(labelsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def target_rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    load, training = results["load"], results["training"]
    ours, stock = load["ours"], load["stock"]
    rows = []

    def add(name: str, ours_v: Optional[float], stock_v: Optional[float], goal: str, ok: bool):
        r = ratio(ours_v, stock_v) if ours_v is not None and stock_v else None
        rows.append((name, fmt(ours_v), fmt(stock_v), fmt(r), ("✅ " if ok else "❌ ") + goal))

    if 1 in ours["levels"] and 1 in stock["levels"]:
        o, s = ours["levels"][1]["p95_ms"]["median"], stock["levels"][1]["p95_ms"]["median"]
        add("single-user p95 latency (ms)", o, s, "ratio ≤ 1", o <= s)
    if 10 in ours["levels"] and 10 in stock["levels"]:
        o = ours["levels"][10]["throughput_mps"]["median"]
        s = stock["levels"][10]["throughput_mps"]["median"]
        add("throughput at 10 conversations (msg/s)", o, s, "ratio ≥ 1.5", o >= 1.5 * s)
    o, s = ours["cold_start_s"]["median"], stock["cold_start_s"]["median"]
    add("cold start (s)", o, s, "ours ≤ 20 s", o <= 20)
    o, s = training["ours_full"]["seconds"], training["stock_full"]["seconds"]
    add("full training (s)", o, s, "ours ≤ 240 s", o <= 240)
    o = ours["peak_rss_mb"]["rasa"]["max"]
    s = stock["peak_rss_mb"]["rasa"]["max"]
    add("Rasa server peak RSS (MiB)", o, s, "ratio ≤ 1", o <= s)
    for language, figures in results.get("nlu", {}).items():
        f1 = figures["intent_macro_f1"]
        rows.append((f"held-out intent macro-F1, {language}", fmt(f1), "–", "–",
                     ("✅ " if f1 >= 0.95 else "❌ ") + "≥ 0.95"))  # fmt: skip
        acc = figures["language_detection_accuracy"]
        rows.append((f"language detection, {language} (3+ words)", fmt(acc), "–", "–",
                     ("✅ " if acc >= 0.99 else "❌ ") + "≥ 0.99"))  # fmt: skip
    return rows


def table(header: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


OUR_MIX = {
    "scripted": "Ours plays FAQ questions in French and English, small talk, an out-of-scope "
    "question, a switch from French to English and a complete pre-application in French "
    "(consent refused, so nothing is stored), the same few texts again and again",
    "realistic": "Ours plays the realistic mix (`bench/mix.py`): visits drawn without "
    "replacement from the independent realistic sets (multi-turn conversations and single "
    "questions in French and English, complete pre-applications), a quarter of the turns "
    "button payloads as the chat widget sends them",
}


def hit_rate(ours: dict[str, Any]) -> str:
    figure = ours.get("parse_cache_hit_rate")
    if not figure:
        return ""
    return f" (parse cache hit rate over a run: {100 * figure['median']:.0f} %)"


def write(results: dict[str, Any], out: Path) -> None:
    folder = out.with_suffix("")  # docs/benchmarks/
    folder.mkdir(parents=True, exist_ok=True)
    meta, load, training = results["meta"], results["load"], results["training"]
    plot_latency(load, folder / "latency.png")
    plot_memory(load, training, folder / "memory.png")
    if "nlu" in results:
        plot_confusion(results["nlu"], folder / "confusion.png")
    if results.get("profile", {}).get("request_samples"):
        plot_profile(results["profile"], folder / "profile.png")
    (folder / "results.json").write_text(json.dumps(results, indent=2, default=str))

    ours, stock = load["ours"], load["stock"]
    md = [
        "# Benchmarks: the EIG assistant against a stock Rasa 3.6.21 assistant",
        "",
        "Generated by `make bench` (`python -m bench`"
        + (" --quick" if meta["quick"] else "")
        + f") on {meta['date']}, {meta['machine']}; the run took {meta.get('bench_minutes')} "
        "min. Raw figures: [benchmarks/results.json](benchmarks/results.json). Figures are "
        f"medians over {meta['repeats']} runs with (min–max) when there are several; "
        "ratios are ours/stock.",
        "",
        "**Stock** is `rasa init`'s project (its default pipeline and policies, TED and "
        "UnexpecTED included), trained during the run into a temporary folder, served with "
        "`rasa run` (REST channel, in-memory tracker store, no action server). **Ours** is "
        "the three services (`bot.ops.services.Supervisor`: Rasa with the SQLite tracker store, "
        "the action server, the NLG web service), with a model trained during the run.",
        "",
        "## Targets",
        "",
        table(["figure", "ours", "stock", "ours/stock", "target"], target_rows(results)),
        "",
        "## Latency and throughput over REST",
        "",
        f"Closed loop: each of *n* concurrent conversations sends its next message when the "
        f"previous reply arrives, over one keep-alive aiohttp session on loopback, for "
        f"{meta['duration_s']:.0f} s per level after a 2 s warm-up (at most 5000 messages). "
        f"{OUR_MIX[meta.get('mix', 'scripted')]}{hit_rate(ours)}; stock plays "
        "greetings, moods, goodbyes and the bot challenge. Both servers are restarted for "
        "each run and serve side by side: each level is played on one bot, then right away "
        "on the other (the idle one waits), the order alternating from level to level and "
        "from run to run, so that both see the same machine (its speed moves by 1.5-2x "
        "within minutes).",
        "",
        "![latency and throughput](benchmarks/latency.png)",
        "",
    ]
    rows = []
    for c in ours["levels"]:
        if c not in stock["levels"]:
            continue
        o, s = ours["levels"][c], stock["levels"][c]
        for key, label in (("p50_ms", "p50 ms"), ("p95_ms", "p95 ms"), ("p99_ms", "p99 ms"),
                           ("throughput_mps", "msg/s")):  # fmt: skip
            rows.append((c, label, med(o[key]), med(s[key]),
                         fmt(ratio(o[key]["median"], s[key]["median"]))))  # fmt: skip
        rows.append((c, "messages / errors",
                     f"{o['messages']['median']:.0f} / {o['errors']['max']:.0f}",
                     f"{s['messages']['median']:.0f} / {s['errors']['max']:.0f}", ""))  # fmt: skip
    md += [table(["conversations", "figure", "ours", "stock", "ratio"], rows), ""]
    so, ss = ours["sustained_mps"], stock["sustained_mps"]
    md += [
        f"**Maximum sustained throughput** (highest level whose p95 stayed ≤ 500 ms): ours "
        f"{med(so, ' msg/s')}, stock {med(ss, ' msg/s')}, ratio "
        f"{fmt(ratio(so['median'], ss['median']))}.",
        "",
        "## Start-up, training and memory",
        "",
        table(
            ["figure", "ours", "stock", "ratio"],
            [
                (
                    "cold start: launch → first correct answer (s)",
                    med(ours["cold_start_s"]),
                    med(stock["cold_start_s"]),
                    fmt(ratio(ours["cold_start_s"]["median"], stock["cold_start_s"]["median"])),
                ),
                (
                    "full training, empty cache (s)",
                    fmt(training["ours_full"]["seconds"]),
                    fmt(training["stock_full"]["seconds"]),
                    fmt(ratio(training["ours_full"]["seconds"], training["stock_full"]["seconds"])),
                ),
                (
                    "retraining, no data change (s)",
                    fmt(training["ours_retrain"]["seconds"]),
                    fmt(training["stock_retrain"]["seconds"]),
                    fmt(
                        ratio(
                            training["ours_retrain"]["seconds"],
                            training["stock_retrain"]["seconds"],
                        )
                    ),
                ),
                (
                    "training peak RSS (MiB)",
                    fmt(training["ours_full"]["peak_rss_mb"]),
                    fmt(training["stock_full"]["peak_rss_mb"]),
                    fmt(
                        ratio(
                            training["ours_full"]["peak_rss_mb"],
                            training["stock_full"]["peak_rss_mb"],
                        )
                    ),
                ),
            ]
            + [
                (
                    f"peak RSS, {name} (MiB, highest of runs)",
                    fmt(spread["max"]),
                    fmt(stock["peak_rss_mb"].get(name, {}).get("max")),
                    fmt(ratio(spread["max"], stock["peak_rss_mb"][name]["max"]))
                    if name in stock["peak_rss_mb"]
                    else "–",
                )
                for name, spread in ours["peak_rss_mb"].items()
            ],
        ),
        "",
        "Training was run once per bot (full, then again with nothing changed, which reuses "
        "Rasa's cache). Peak RSS counts each process with its children, sampled every 0.2 s "
        "from launch to stop.",
        "",
        "![peak memory](benchmarks/memory.png)",
        "",
    ]
    if "nlu" in results:
        rows = [
            (language, f["sentences"], fmt(f["intent_macro_f1"]), fmt(f["intent_accuracy"]),
             f"{fmt(f['language_detection_accuracy'])} ({f['language_detection_sentences']})",
             f"{fmt(f['out_of_scope_recall'])} ({f['out_of_scope_sentences']})")
            for language, f in results["nlu"].items()
        ]  # fmt: skip
        md += [
            "## Understanding",
            "",
            "Held-out sets `tests/nlu/{fr,en}.yml` (never trained on), parsed by the model "
            "trained in this run. Intents are compared at the top level (`faq/salary` → "
            "`faq`; `make nlu-eval` also checks the FAQ topics). Out-of-scope recall: share "
            "of out-of-scope sentences predicted `out_of_scope` or `nlu_fallback`.",
            "",
            table(["language", "sentences", "intent macro-F1", "intent accuracy",
                   "language detection, 3+ words (n)", "out-of-scope recall (n)"], rows),
            "",
            "![confusion matrices](benchmarks/confusion.png)",
            "",
        ]  # fmt: skip
    cv = results.get("cross_validation")
    if not cv and "nlu" in results:
        md += ["The 5-fold cross-validation was not run (`--quick` or `--no-cv`).", ""]
    if cv:
        figures = [
            (key.replace("_", " "), f"{v['mean']:.3f} ± {v['std']:.3f}")
            for key, v in cv.items()
            if isinstance(v, dict) and "test" in key
        ]
        md += [
            f"**{cv['folds']}-fold cross-validation** of the training data "
            f"(`rasa test nlu --cross-validation`, DIET and ResponseSelector at "
            f"{cv['epochs']} epochs to fit in the run, {cv['seconds']:.0f} s"
            + (f", exit code {cv['returncode']}" if cv["returncode"] else "")
            + "): mean ± standard deviation over the folds.",
            "",
            table(["figure", "value"], figures) if figures else "(no figures parsed)",
            "",
        ]
    profile = results.get("profile")
    if profile and profile.get("request_samples"):
        md += [
            "## Where the time goes",
            "",
            f"py-spy sampled our Rasa server at 200 Hz while 10 conversations ran "
            f"({profile['load']['throughput_mps']} msg/s, p95 {profile['load']['p95_ms']} ms "
            f"under the profiler). Shares are of the {profile['request_samples']} CPU samples "
            "taken while handling a message, inclusive (a frame counts for everything it "
            "calls, so rows overlap). Waiting on the action server and the NLG endpoint is "
            "not CPU and does not appear.",
            "",
            "![profile](benchmarks/profile.png)",
            "",
            table(["where", "% of request CPU"],
                  [(k, v) for k, v in profile["categories_pct"].items()]),
            "",
            "Hottest leaf frames:",
            "",
            table(["frame", "%"], [(f"`{f}`", v) for f, v in profile["top_leaves_pct"]]),
            "",
        ]  # fmt: skip
    if FINDINGS.exists():
        md += [FINDINGS.read_text().strip(), ""]
    out.write_text("\n".join(md))
