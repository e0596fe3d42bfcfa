"""Where the Rasa server's time goes: py-spy samples our Rasa server under load.

py-spy cannot attach to a running process here (no ptrace permission), so it launches the
Rasa server itself (``py-spy record -- rasa run …``). Samples are CPU only (py-spy skips
idle threads): time spent waiting for the action server or the NLG endpoint shows up in
the latency, not here. Only the stacks that handle a message are counted.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench import load, procs

PY_SPY = str(Path(sys.executable).with_name("py-spy"))

# (label, regular expression on one frame "function (file:line)"), inclusive time.
CATEGORIES: list[tuple[str, str]] = [
    ("HTTP server (Sanic) and channel", r"sanic/|bot/channels\.py"),
    ("NLU: whole parse", r"parse_message \(.*rasa/core/processor\.py"),
    ("NLU: guard components", r"bot/rasa_server/nlu/guard\.py"),
    ("NLU: language detector", r"bot/rasa_server/nlu/language\.py|bot/language\.py"),
    ("NLU: spaCy lookup tokenizer", r"bot/rasa_server/nlu/tokenizer\.py"),
    ("NLU: LexicalSyntacticFeaturizer", r"lexical_syntactic_featurizer\.py"),
    ("NLU: CountVectorsFeaturizer", r"count_vectors_featurizer\.py"),
    ("NLU: DIETClassifier", r"diet_classifier\.py"),
    ("NLU: ResponseSelector", r"response_selector\.py"),
    ("NLU: FallbackClassifier", r"fallback_classifier\.py"),
    ("NLU+policies: TensorFlow kernels", r"tensorflow/"),
    ("Policies: whole prediction", r"predict_next_with_tracker|_predict_next\b|policy_prediction"),
    ("Policies: MemoizationPolicy", r"policies/memoization\.py"),
    ("Policies: RulePolicy", r"policies/rule_policy\.py"),
    ("Tracker store (SQL, SQLite)", r"tracker_store\.py|sqlalchemy/"),
    ("Tracker (de)serialisation and events", r"shared/core/trackers\.py|shared/core/events\.py"),
    ("Actions: remote calls", r"core/actions/action\.py"),
    ("NLG: callback calls", r"nlg/callback\.py"),
    ("HTTP client (aiohttp)", r"aiohttp/client|aiohttp/connector"),
    ("Logging (logging, structlog)", r"logging/__init__\.py|structlog/"),
    ("Lock store", r"lock_store\.py"),
]
REQUEST = re.compile(r"handle_message \(.*rasa/core/processor\.py|bot/channels\.py")


def summarize(raw: Path) -> dict[str, Any]:
    total = request = 0
    shares: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    patterns = [(label, re.compile(p)) for label, p in CATEGORIES]
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = stack.split(";")
        if not any(REQUEST.search(frame) for frame in frames):
            continue
        request += count
        for label, pattern in patterns:
            if any(pattern.search(frame) for frame in frames):
                shares[label] += count
        leaves[re.sub(r":\d+\)$", ")", frames[-1])] += count
    return {
        "samples": total,
        "request_samples": request,
        "categories_pct": {
            label: round(100 * shares[label] / request, 1) if request else 0.0
            for label, _ in CATEGORIES
        },
        "top_leaves_pct": [
            (frame, round(100 * count / request, 1)) for frame, count in leaves.most_common(15)
        ],
    }


def profile(
    model: Path, work: Path, log_file: Path, duration: float, scripts: load.Scripts = load.OURS
) -> dict[str, Any]:
    raw = work / "profile.txt"
    bot = procs.Ours(model, work / "var-profile", log_file)
    rasa_service = bot.supervisor.services[-1]
    rasa_service.command = [
        PY_SPY, "record", "--format", "raw", "--rate", "200", "--nonblocking",
        "-o", str(raw), "--", *rasa_service.command,
    ]  # fmt: skip
    bot.cold_start()
    result = load.run_level(bot.url, scripts, 10, duration)
    spy = rasa_service.process
    if spy and spy.poll() is None:
        os.kill(spy.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            spy.wait(timeout=60)
    if spy:  # the Rasa server py-spy launched is in the same process group
        with contextlib.suppress(ProcessLookupError):
            os.killpg(spy.pid, signal.SIGTERM)
    time.sleep(0.5)
    bot.stop()
    summary = summarize(raw) if raw.exists() else {"error": "py-spy wrote no profile"}
    summary["load"] = result.summary()
    return summary
