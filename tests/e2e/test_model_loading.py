"""The light model loading and the plain trace (``bot.rasa_server.speedups``, installed by
``bot.rasa_server.patches``) give the trained model's exact predictions.

Loads ``models/current.tar.gz`` with Rasa's own loading and tracing and with ours, parses
every held-out sentence with both, and compares the intent rankings and FAQ topic rankings.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel

from bot import ROOT
from bot.ops import evaluation
from bot.rasa_server import patches

MODEL = ROOT / "models" / "current.tar.gz"


def rankings(parse: dict[str, Any]) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    intents = [(r["name"], round(r["confidence"], 5)) for r in parse["intent_ranking"]]
    faq = (parse.get("response_selector") or {}).get("faq", {}).get("ranking") or []
    topics = [(r["intent_response_key"], round(r["confidence"], 5)) for r in faq]
    return intents, topics


def parse_all(texts: list[str]) -> list[Any]:
    agent = Agent.load(str(MODEL))

    async def parse() -> list[Any]:
        return [rankings(await agent.parse_message(text)) for text in texts]

    return asyncio.run(parse())


LOAD = "rasa.utils.tensorflow.models.RasaModel.load"
PREDICT = "rasa.utils.tensorflow.models.RasaModel._rasa_predict"


@pytest.fixture
def rasa_load(monkeypatch):
    """Rasa's own ``RasaModel.load`` and ``_rasa_predict`` for the duration of a test."""
    monkeypatch.setattr(RasaModel, "load", classmethod(patches.original(LOAD)))
    monkeypatch.setattr(RasaModel, "_rasa_predict", patches.original(PREDICT))


def test_light_loading_predicts_exactly_as_rasa_loading(rasa_load, monkeypatch) -> None:
    if not MODEL.exists():
        pytest.skip("no trained model (make train)")
    texts = [t for path in evaluation.HELD_OUT.values() for t, _ in evaluation.load_examples(path)]
    expected = parse_all(texts)
    monkeypatch.setattr(RasaModel, "load", patches.build(LOAD))
    monkeypatch.setattr(RasaModel, "_rasa_predict", patches.build(PREDICT))
    assert RasaModel.load.__func__.__wrapped__ is patches.original(LOAD)
    assert RasaModel._rasa_predict.__wrapped__ is patches.original(PREDICT)
    assert parse_all(texts) == expected
