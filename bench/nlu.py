"""NLU quality: the held-out sets (per language) and a k-fold cross-validation."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from tqdm import tqdm

from bench.procs import OUR_RASA
from bot import ROOT
from bot.domain.language import MIN_WORDS, detect, words
from bot.ops.evaluation import HELD_OUT, _parse_all, full_intent, load_examples, macro_f1

OUT_OF_SCOPE = {"out_of_scope", "nlu_fallback"}
METRIC = re.compile(r"\b(train|test) (Accuracy|F1-score|Precision): ([\d.]+) \(([\d.]+)\)")


def held_out(model: Path) -> dict[str, Any]:
    """Intent macro-F1 and accuracy per language, language detection, out-of-scope recall,
    and the (expected, predicted) pairs for the confusion matrix."""
    examples = {language: load_examples(path) for language, path in HELD_OUT.items()}
    texts = [text for pairs in examples.values() for text, _ in pairs]
    parses = iter(asyncio.run(_parse_all(str(model), texts)))
    report: dict[str, Any] = {}
    for language, pairs in examples.items():
        top_pairs = []
        for (_text, expected), parse in zip(pairs, parses, strict=False):
            top_pairs.append((expected.split("/")[0], full_intent(parse).split("/")[0]))
        long_texts = [text for text, _ in pairs if words(text) >= MIN_WORDS]
        detected = Counter(detect(text).language == language for text in long_texts)
        oos = [p for e, p in top_pairs if e == "out_of_scope"]
        report[language] = {
            "sentences": len(pairs),
            "intent_macro_f1": round(macro_f1(top_pairs), 4),
            "intent_accuracy": round(sum(e == p for e, p in top_pairs) / len(top_pairs), 4),
            "language_detection_accuracy": round(detected[True] / len(long_texts), 4),
            "language_detection_sentences": len(long_texts),
            "out_of_scope_recall": round(sum(p in OUT_OF_SCOPE for p in oos) / len(oos), 4)
            if oos
            else None,
            "out_of_scope_sentences": len(oos),
            "pairs": top_pairs,
        }
    return report


def cross_validation(folds: int, epochs: int, out: Path, log_file: Path) -> dict[str, Any]:
    """``rasa test nlu --cross-validation`` on the training data, with DIET and the
    ResponseSelector trained for ``epochs`` epochs (0: as configured)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    if epochs:
        for component in config["pipeline"]:
            if component["name"] in ("DIETClassifier", "ResponseSelector"):
                component["epochs"] = epochs
    out.mkdir(parents=True, exist_ok=True)
    config_path = out / "config.yml"
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    command = [
        *OUR_RASA, "test", "nlu", "--nlu", "data/nlu", "--config", str(config_path),
        "--cross-validation", "--folds", str(folds), "--out", str(out / "results"),
        "--no-plot", "--no-errors",
    ]  # fmt: skip
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", PYTHONPATH=str(ROOT))
    started = time.monotonic()
    with open(log_file, "wb") as log, tqdm(desc=f"{folds}-fold cross-validation", unit="s") as bar:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        while process.poll() is None:
            time.sleep(1)
            bar.update(1)
    text = log_file.read_text(errors="replace")
    figures: dict[str, Any] = {
        "folds": folds,
        "epochs": epochs or "as configured",
        "seconds": round(time.monotonic() - started, 1),
        "returncode": process.returncode,
    }
    # "test F1-score: 0.953 (0.012)" — intents first, then response selection.
    section = "intent"
    for line in text.splitlines():
        if "Response Selection evaluation results" in line:
            section = "response_selection"
        match = METRIC.search(line)
        if match:
            split, metric, mean, std = match.groups()
            key = f"{section}_{split}_{metric.lower().replace('-score', '')}"
            figures[key] = {"mean": float(mean), "std": float(std)}
    return figures
