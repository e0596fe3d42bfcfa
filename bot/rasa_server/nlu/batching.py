"""Training batches of sparse features built with a few array operations, not per example.

Rasa 3.6 turns each batch's sparse features into TensorFlow's (indices, values, shape) with
three NumPy calls per example (``RasaDataGenerator._scipy_matrix_to_values``). DIET and
the ResponseSelector see ~2 000 sentences per epoch for 150 and 60 epochs, so that loop
took a fifth of their training's main-thread time, holding the GIL in the data thread
while TensorFlow wanted both cores. ``scipy_matrix_to_values`` returns the same arrays,
in the same order and types, from one concatenation per field. ``vectorised`` makes the
replacement, installed by ``bot.rasa_server.patches`` (importing this module changes
nothing); ``EIG_SPEEDUP_BATCHING=0`` keeps Rasa's loop.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse


def scipy_matrix_to_values(array_of_sparse: Any) -> list[np.ndarray]:
    """``RasaDataGenerator._scipy_matrix_to_values`` for 3-D feature arrays, vectorised."""
    matrices = list(array_of_sparse)
    if not isinstance(matrices[0], scipy.sparse.coo_matrix):
        matrices = [x.tocoo() for x in matrices]
    counts = np.fromiter((len(x.data) for x in matrices), dtype=np.int64, count=len(matrices))
    indices = np.empty((int(counts.sum()), 3), dtype=np.int64)
    indices[:, 0] = np.repeat(np.arange(len(matrices), dtype=np.int64), counts)
    indices[:, 1] = np.concatenate([x.row for x in matrices])
    indices[:, 2] = np.concatenate([x.col for x in matrices])
    data = np.concatenate([x.data for x in matrices]).astype(np.float32)
    max_seq_len = max(x.shape[0] for x in matrices)
    shape = np.array((len(matrices), max_seq_len, matrices[0].shape[-1]), dtype=np.int64)
    return [indices, data, shape]


def vectorised(original: Callable[[Any], list[np.ndarray]]) -> Callable[[Any], list[np.ndarray]]:
    """``RasaDataGenerator._scipy_matrix_to_values`` (static): 3-D arrays the vectorised way,
    4-D ones (not used by DIET or the ResponseSelector here) by Rasa's function."""

    @functools.wraps(original)
    def _scipy_matrix_to_values(array_of_sparse: Any) -> list[np.ndarray]:
        if array_of_sparse.number_of_dimensions == 4:
            return original(array_of_sparse)
        return scipy_matrix_to_values(array_of_sparse)

    return _scipy_matrix_to_values
