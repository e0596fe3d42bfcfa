from __future__ import annotations

import pytest

from bot import ROOT
from bot.ops.evaluation import load_examples


@pytest.mark.parametrize("language", ["fr", "en"])
def test_held_out_sentences_never_appear_in_the_training_data(language):
    training = {
        text.strip().lower()
        for path in (ROOT / "data" / "nlu" / language).glob("*.yml")
        for text, _ in load_examples(path)
    }
    held_out = load_examples(ROOT / "tests" / "nlu" / f"{language}.yml")
    assert len(held_out) > 250
    copied = [text for text, _ in held_out if text.strip().lower() in training]
    assert copied == []
