"""One input pipeline across epochs feeds Keras the very batches it fed epoch by epoch."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
import tensorflow as tf
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import FeatureArray, RasaModelData

from bot.rasa_server import patches

ADAPTER = "keras.engine.data_adapter.KerasSequenceAdapter"
TARGETS = [
    f"{ADAPTER}.__init__",
    f"{ADAPTER}._handle_multiprocessing",
    f"{ADAPTER}.should_recreate_iterator",
    f"{ADAPTER}.on_epoch_end",
    "keras.engine.data_adapter.DataHandler.enumerate_epochs",
]

EXAMPLES = 37
EPOCHS = 5


def model_data() -> RasaModelData:
    rng = np.random.default_rng(7)
    sparse = np.empty(EXAMPLES, dtype=object)
    sparse[:] = [
        scipy.sparse.random(1, 50, density=0.1, random_state=rng).tocoo() for _ in range(EXAMPLES)
    ]
    labels = np.arange(EXAMPLES, dtype=np.float32).reshape(-1, 1) % 4
    return RasaModelData(
        label_key="label",
        label_sub_key="ids",
        data={
            "text": {"sentence": [FeatureArray(sparse, number_of_dimensions=3)]},
            "label": {"ids": [FeatureArray(labels, number_of_dimensions=2)]},
        },
    )


class Recorder(tf.keras.Model):
    """Keeps the label ids of every batch it trains on, with the epoch."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = tf.Variable(0.0)
        self.seen: list[tuple[int, list[float]]] = []
        self.epoch = -1

    def train_step(self, batch):  # type: ignore[no-untyped-def]
        (inputs,) = batch  # Keras drops the generator's `None` target
        self.seen.append((self.epoch, inputs[-1].numpy().ravel().tolist()))
        return {"loss": self.weight}


class EpochMark(tf.keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):  # type: ignore[no-untyped-def]
        self.model.epoch = epoch


def train(**fit: object) -> tuple[list[tuple[int, list[float]]], int]:
    np.random.seed(42)
    generator = RasaBatchDataGenerator(
        model_data(), batch_size=[4, 16], epochs=EPOCHS, batch_strategy="balanced", shuffle=True
    )
    calls = []
    original = generator.on_epoch_end
    generator.on_epoch_end = lambda: (calls.append(1), original())[1]  # type: ignore[method-assign]
    model = Recorder()
    model.compile(optimizer="sgd", run_eagerly=True)
    model.fit(
        generator, epochs=EPOCHS, verbose=False, shuffle=False, callbacks=[EpochMark()], **fit
    )
    return model.seen, len(calls)


def use(monkeypatch, ours: bool) -> None:
    """Keras's five functions, or their replacements (as ``patches.install`` sets them)."""
    for target in TARGETS:
        owner, name = patches.resolve(target)
        monkeypatch.setattr(
            owner, name, patches.build(target) if ours else patches.original(target)
        )


@pytest.fixture
def keras_way(monkeypatch):
    use(monkeypatch, ours=False)


def test_same_batches_in_the_same_epochs(keras_way, monkeypatch) -> None:
    expected, _ = train()
    use(monkeypatch, ours=True)
    produced, _ = train()
    assert produced == expected
    # the batch size grows from 4 to 16: the number of batches changes between epochs
    per_epoch = [sum(1 for epoch, _ in expected if epoch == e) for e in range(EPOCHS)]
    assert per_epoch[0] == 10 and per_epoch[-1] < per_epoch[0]
    assert sorted(set(epoch for epoch, _ in produced)) == list(range(EPOCHS))


def test_one_iterator_for_the_whole_fit(keras_way, monkeypatch) -> None:
    use(monkeypatch, ours=True)
    created = iterators_made(monkeypatch)
    train()
    assert len(created) == 1


def iterators_made(monkeypatch) -> list[int]:
    created: list[int] = []
    original_iter = tf.data.Dataset.__iter__
    monkeypatch.setattr(
        tf.data.Dataset, "__iter__", lambda self: (created.append(1), original_iter(self))[1]
    )
    return created


class Shrinking(tf.keras.utils.Sequence):
    """Not a Rasa generator: one batch fewer after each epoch."""

    def __init__(self) -> None:
        self.batches = 6

    def __len__(self) -> int:
        return self.batches

    def __getitem__(self, index: int):  # type: ignore[no-untyped-def]
        return (np.full((2, 1), float(self.batches * 10 + index), dtype=np.float32),), None

    def on_epoch_end(self) -> None:
        self.batches -= 1


def test_another_sequence_keeps_keras_way(keras_way, monkeypatch) -> None:
    """Any other Sequence gets Keras's pipeline per epoch, replaced or not, and the same
    batches in the same epochs."""
    created = iterators_made(monkeypatch)

    def fit() -> list[tuple[int, list[float]]]:
        model = Recorder()
        model.compile(optimizer="sgd", run_eagerly=True)
        model.fit(Shrinking(), epochs=EPOCHS, verbose=False, shuffle=False, callbacks=[EpochMark()])
        return model.seen

    expected = fit()
    per_keras = len(created)
    created.clear()
    use(monkeypatch, ours=True)
    assert fit() == expected
    assert per_keras > EPOCHS and len(created) == per_keras
    assert [sum(1 for e, _ in expected if e == epoch) for epoch in range(EPOCHS)] == [6, 5, 4, 3, 2]


def test_turned_off(monkeypatch) -> None:
    monkeypatch.setenv("EIG_SPEEDUP_EPOCHS", "0")
    chosen = [p for p in patches.PATCHES if p.target in TARGETS]
    assert len(chosen) == len(TARGETS)
    assert not any(patches.switched_on(p) for p in chosen)
