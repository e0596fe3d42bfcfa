"""Held-out NLU evaluation: intent F1 per language, FAQ topic accuracy, language detection.

Reads ``tests/nlu/{fr,en}.yml`` (never used for training), parses each sentence with the
trained model as the server would, and fails when a gate is missed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from bot import ROOT
from bot.domain.language import MIN_WORDS, detect, words

HELD_OUT = {language: ROOT / "tests" / "nlu" / f"{language}.yml" for language in ("fr", "en")}
MIN_TOPIC_ACCURACY = 0.90


def macro_f1(pairs: list[tuple[str, str]]) -> float:
    """Macro-averaged F1 over the expected labels (a predicted extra label lowers precision)."""
    labels = sorted({expected for expected, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for e, p in pairs if e == label and p == label)
        fp = sum(1 for e, p in pairs if e != label and p == label)
        fn = sum(1 for e, p in pairs if e == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def load_examples(path: Path) -> list[tuple[str, str]]:
    """(text, full intent) pairs; a FAQ example's full intent is ``faq/<topic>``."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [
        (m.get("text"), m.get("intent_response_key") or m.get("intent"))
        for m in data.intent_examples
    ]


def full_intent(parse: dict[str, Any]) -> str:
    intent = parse.get("intent") or {}
    return str(intent.get("full_retrieval_intent_name") or intent.get("name"))


async def _parse_all(model: str, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # the parse debug line would print every sentence
    agent = Agent.load(model)
    return [await agent.parse_message(text) for text in texts]


def evaluate(model: str) -> dict[str, Any]:
    report: dict[str, Any] = {}
    examples = {language: load_examples(path) for language, path in HELD_OUT.items()}
    texts = [text for pairs in examples.values() for text, _ in pairs]
    parses = iter(asyncio.run(_parse_all(model, texts)))
    for language, pairs in examples.items():
        full_pairs, top_pairs, errors = [], [], []
        for (text, expected), parse in zip(pairs, parses, strict=False):
            predicted = full_intent(parse)
            full_pairs.append((expected, predicted))
            top_pairs.append((expected.split("/")[0], predicted.split("/")[0]))
            if predicted != expected:
                errors.append({"text": text, "expected": expected, "predicted": predicted})
        faq = [(e, p) for e, p in full_pairs if e.startswith("faq/")]
        long_texts = [text for text, _ in pairs if words(text) >= MIN_WORDS]
        detected = Counter(detect(text).language == language for text in long_texts)
        report[language] = {
            "sentences": len(pairs),
            "intent_macro_f1": round(macro_f1(top_pairs), 4),
            "full_intent_macro_f1": round(macro_f1(full_pairs), 4),
            "faq_topic_accuracy": round(sum(e == p for e, p in faq) / len(faq), 4) if faq else 0,
            "accuracy": round(sum(e == p for e, p in full_pairs) / len(full_pairs), 4),
            "language_detection_accuracy": round(detected[True] / len(long_texts), 4),
            "language_detection_sentences": len(long_texts),
            "errors": errors,
        }
    return report


def main(model: str, report_path: str, min_f1: float, min_language: float) -> int:
    report = evaluate(model)
    Path(report_path).parent.mkdir(parents=True, exist_ok=True)
    Path(report_path).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    failed = False
    for language, figures in report.items():
        print(
            f"{language}: intent macro-F1 {figures['intent_macro_f1']:.3f}, "
            f"full-intent macro-F1 {figures['full_intent_macro_f1']:.3f}, "
            f"FAQ topic accuracy {figures['faq_topic_accuracy']:.3f}, "
            f"language detection {figures['language_detection_accuracy']:.3f} "
            f"({figures['language_detection_sentences']} sentences of {MIN_WORDS}+ words), "
            f"{len(figures['errors'])} errors of {figures['sentences']}"
        )
        for error in figures["errors"]:
            print(f"   {error['expected']:>28} → {error['predicted']:<28} {error['text']}")
        checks = [
            ("intent macro-F1", figures["intent_macro_f1"], min_f1),
            ("FAQ topic accuracy", figures["faq_topic_accuracy"], MIN_TOPIC_ACCURACY),
            ("language detection", figures["language_detection_accuracy"], min_language),
        ]
        for name, value, gate in checks:
            if value < gate:
                print(f"✗ {language}: {name} {value:.3f} is below {gate:.2f}")
                failed = True
    print(f"report: {report_path}")
    return 1 if failed else 0
