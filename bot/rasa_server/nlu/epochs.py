"""One input pipeline for a classifier's whole training, not one per epoch.

Keras reads a ``Sequence`` through a ``tf.data`` pipeline (a Python generator behind a
prefetch thread) that it tears down and builds again at every epoch: joining the prefetch
thread, then instantiating and optimising the pipeline's functions anew. That took 0.16 s
per epoch here, against about 1 s for the epoch's training steps: 34 s of a full training
(DIET's 150 epochs and the ResponseSelector's 60). For Rasa's batch generators, which
shuffle, balance and grow the batch size in ``on_epoch_end``, the replacements let one
generator run through every epoch instead, calling ``on_epoch_end`` itself between them,
and tell Keras each epoch's number of batches as the generator starts it. The batches,
their order and the calls to NumPy's random generator are the same, so the trained
weights are the same bit for bit (checked on this project's model). Used only for a
shuffle-free, single-worker ``fit`` of more than one epoch, Rasa's case. Each function
here takes Keras's original and returns its replacement (``bot.rasa_server.patches``
installs the five together; importing this module changes nothing);
``EIG_SPEEDUP_EPOCHS=0`` keeps Keras's way.
"""

from __future__ import annotations

import functools
import queue
from collections.abc import Callable, Iterator
from typing import Any

# A generator that has not started the next epoch by then is stuck, not slow.
NEXT_EPOCH_TIMEOUT_S = 600.0


def _spans_epochs(adapter: Any) -> bool:
    return getattr(adapter, "_eig_epoch_steps", None) is not None


def adapter_init(original: Callable[..., None]) -> Callable[..., None]:
    """``KerasSequenceAdapter.__init__``: notes whether this fit's generator runs through
    every epoch (Rasa's batch generator, no shuffling by Keras, one worker, 2+ epochs)."""
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    @functools.wraps(original)
    def __init__(self: Any, x: Any, *args: Any, **kwargs: Any) -> None:
        whole = (
            isinstance(x, RasaBatchDataGenerator)
            and not kwargs.get("shuffle", False)
            and kwargs.get("workers", 1) == 1
            and not kwargs.get("use_multiprocessing", False)
            and kwargs.get("epochs", 1) > 1
        )
        # each epoch's number of batches, put by the generator as it starts the epoch
        self._eig_epoch_steps = queue.Queue() if whole else None
        original(self, x, *args, **kwargs)

    return __init__


def handle_multiprocessing(original: Callable[..., Any]) -> Callable[..., Any]:
    """``KerasSequenceAdapter._handle_multiprocessing``: for a generator that runs through
    every epoch, Keras's single-worker generator function looping over the epochs."""

    @functools.wraps(original)
    def _handle_multiprocessing(
        self: Any, x: Any, workers: int, use_multiprocessing: bool, max_queue_size: int
    ) -> Any:
        if not _spans_epochs(self):
            return original(self, x, workers, use_multiprocessing, max_queue_size)
        steps: queue.Queue[int] = self._eig_epoch_steps

        def generator_fn() -> Iterator[Any]:
            # Keras 2.12's generator_fn for one worker without shuffling, for every epoch.
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

    return _handle_multiprocessing


def should_recreate_iterator(original: Callable[..., bool]) -> Callable[..., bool]:
    """``KerasSequenceAdapter.should_recreate_iterator``: not for a generator that runs
    through every epoch."""

    @functools.wraps(original)
    def _should_recreate_iterator(self: Any) -> bool:
        return False if _spans_epochs(self) else original(self)

    return _should_recreate_iterator


def on_epoch_end(original: Callable[..., None]) -> Callable[..., None]:
    """``KerasSequenceAdapter.on_epoch_end``: nothing for a generator that runs through
    every epoch (it calls the ``Sequence``'s ``on_epoch_end`` itself)."""

    @functools.wraps(original)
    def _on_epoch_end(self: Any) -> None:
        if not _spans_epochs(self):  # else the generator has done it
            original(self)

    return _on_epoch_end


def enumerate_epochs(original: Callable[..., Iterator[tuple[int, Any]]]) -> Callable[..., Any]:
    """``DataHandler.enumerate_epochs``: one iterator for the whole fit, each epoch's number
    of batches as the generator starts it."""

    @functools.wraps(original)
    def _enumerate_epochs(self: Any) -> Iterator[tuple[int, Any]]:
        if not _spans_epochs(self._adapter):
            yield from original(self)
            return
        # Keras 2.12's DataHandler.enumerate_epochs, with one iterator for every epoch.
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

    return _enumerate_epochs
