"""One input pipeline for a classifier's whole training, not one per epoch.

Keras reads a ``Sequence`` through a ``tf.data`` pipeline (a Python generator behind a
prefetch thread) that it tears down and builds again at every epoch: joining the prefetch
thread, then instantiating and optimising the pipeline's functions anew. That took 0.16 s
per epoch here, against about 1 s for the epoch's training steps: 34 s of a full training
(DIET's 150 epochs and the ResponseSelector's 60). For Rasa's batch generators, which
shuffle, balance and grow the batch size in ``on_epoch_end``, ``install`` lets one
generator run through every epoch instead, calling ``on_epoch_end`` itself between them,
and tells Keras each epoch's number of batches as the generator starts it. The batches,
their order and the calls to NumPy's random generator are the same, so the trained
weights are the same bit for bit (checked on this project's model). Used only for a
shuffle-free, single-worker ``fit`` of more than one epoch, Rasa's case;
``EIG_SPEEDUP_EPOCHS=0`` keeps Keras's way.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from typing import Any

from keras.engine import data_adapter
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

# A generator that has not started the next epoch by then is stuck, not slow.
NEXT_EPOCH_TIMEOUT_S = 600.0

_Adapter = data_adapter.KerasSequenceAdapter
_original_init = _Adapter.__init__
_original_handle = _Adapter._handle_multiprocessing
_original_recreate = _Adapter.should_recreate_iterator
_original_epoch_end = _Adapter.on_epoch_end
_original_enumerate = data_adapter.DataHandler.enumerate_epochs


def _spans_epochs(adapter: Any) -> bool:
    return getattr(adapter, "_eig_epoch_steps", None) is not None


def _init(self: Any, x: Any, *args: Any, **kwargs: Any) -> None:
    whole = (
        isinstance(x, RasaBatchDataGenerator)
        and not kwargs.get("shuffle", False)
        and kwargs.get("workers", 1) == 1
        and not kwargs.get("use_multiprocessing", False)
        and kwargs.get("epochs", 1) > 1
    )
    # each epoch's number of batches, put by the generator as it starts the epoch
    self._eig_epoch_steps = queue.Queue() if whole else None
    _original_init(self, x, *args, **kwargs)


def _handle_multiprocessing(
    self: Any, x: Any, workers: int, use_multiprocessing: bool, max_queue_size: int
) -> Any:
    if not _spans_epochs(self):
        return _original_handle(self, x, workers, use_multiprocessing, max_queue_size)
    steps: queue.Queue[int] = self._eig_epoch_steps

    def generator_fn() -> Iterator[Any]:
        first = True
        while True:
            if not first:
                x.on_epoch_end()
            first = False
            count = len(x)
            steps.put(count)
            for index in range(count):
                yield x[index]

    return generator_fn


def _should_recreate_iterator(self: Any) -> bool:
    return False if _spans_epochs(self) else _original_recreate(self)


def _on_epoch_end(self: Any) -> None:
    if not _spans_epochs(self):  # else the generator has done it
        _original_epoch_end(self)


def _enumerate_epochs(self: Any) -> Iterator[tuple[int, Any]]:
    if not _spans_epochs(self._adapter):
        yield from _original_enumerate(self)
        return
    steps: queue.Queue[int] = self._adapter._eig_epoch_steps
    with self._truncate_execution_to_epoch():
        iterator = iter(self._dataset)
        for epoch in range(self._initial_epoch, self._epochs):
            if self._insufficient_data:
                break
            if epoch == self._initial_epoch:
                # the generator starts on the first request; the Sequence is at epoch 0
                self._inferred_steps = self._adapter.get_size()
            else:
                self._inferred_steps = steps.get(timeout=NEXT_EPOCH_TIMEOUT_S)
            yield epoch, iterator
            if epoch == self._initial_epoch:
                steps.get(timeout=NEXT_EPOCH_TIMEOUT_S)  # the first epoch's, known above


def install() -> None:
    from bot.rasa_server import speedups

    if not speedups.enabled("EPOCHS"):
        return
    _Adapter.__init__ = _init
    _Adapter._handle_multiprocessing = _handle_multiprocessing
    _Adapter.should_recreate_iterator = _should_recreate_iterator
    _Adapter.on_epoch_end = _on_epoch_end
    data_adapter.DataHandler.enumerate_epochs = _enumerate_epochs
