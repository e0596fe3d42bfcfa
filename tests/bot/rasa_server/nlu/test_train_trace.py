"""Rasa's training step reaches Keras marked for tracing without AutoGraph."""

from __future__ import annotations

from rasa.utils.tensorflow.models import RasaModel
from tensorflow.python.autograph.impl import api as autograph

from bot.rasa_server import patches

TARGET = "rasa.utils.tensorflow.models.RasaModel.train_step"


def test_train_step_is_left_unconverted(monkeypatch) -> None:
    original = patches.original(TARGET)
    monkeypatch.setattr(RasaModel, "train_step", original)
    assert not autograph.is_autograph_artifact(RasaModel.train_step)
    monkeypatch.setattr(RasaModel, "train_step", patches.build(TARGET))
    # AutoGraph calls its own artifacts (do_not_convert) as they are
    assert autograph.is_autograph_artifact(RasaModel.train_step)
    assert RasaModel.train_step.__wrapped__ is original


def test_turned_off(monkeypatch) -> None:
    monkeypatch.setenv("EIG_SPEEDUP_TRAIN_TRACE", "0")
    (patch,) = [p for p in patches.PATCHES if p.target == TARGET]
    assert not patches.switched_on(patch)
