"""Rasa's training step reaches Keras marked for tracing without AutoGraph."""

from __future__ import annotations

from rasa.utils.tensorflow.models import RasaModel
from tensorflow.python.autograph.impl import api as autograph

from bot.rasa_server.nlu import train_trace


def test_train_step_is_left_unconverted(monkeypatch) -> None:
    monkeypatch.setattr(RasaModel, "train_step", train_trace._original)
    assert not autograph.is_autograph_artifact(RasaModel.train_step)
    train_trace.install()
    # AutoGraph calls its own artifacts (do_not_convert) as they are
    assert autograph.is_autograph_artifact(RasaModel.train_step)
    assert RasaModel.train_step.__wrapped__ is train_trace._original


def test_turned_off(monkeypatch) -> None:
    monkeypatch.setattr(RasaModel, "train_step", train_trace._original)
    monkeypatch.setenv("EIG_SPEEDUP_TRAIN_TRACE", "0")
    train_trace.install()
    assert RasaModel.train_step is train_trace._original
