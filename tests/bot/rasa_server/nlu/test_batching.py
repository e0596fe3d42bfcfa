"""Batches built the vectorised way are the very arrays Rasa's loop builds."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.utils.tensorflow.data_generator import RasaDataGenerator
from rasa.utils.tensorflow.model_data import FeatureArray

from bot.rasa_server.nlu import batching


def feature_array(matrices: list) -> FeatureArray:
    holder = np.empty(len(matrices), dtype=object)
    holder[:] = matrices
    return FeatureArray(holder, number_of_dimensions=3)


def random_matrices(seed: int, fmt: str) -> list:
    rng = np.random.default_rng(seed)
    matrices = []
    for _ in range(60):
        rows = int(rng.integers(1, 9))  # a sentence (1 row) or tokens of several lengths
        matrix = scipy.sparse.random(
            rows, 500, density=float(rng.choice([0.0, 0.02, 0.1])), random_state=rng
        )
        matrices.append(matrix.asformat(fmt))
    return matrices


@pytest.mark.parametrize("fmt", ["coo", "csr"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_same_arrays_as_rasa(seed: int, fmt: str) -> None:
    array = feature_array(random_matrices(seed, fmt))
    expected = batching._original(array)
    produced = batching.scipy_matrix_to_values(array)
    assert len(produced) == len(expected) == 3
    for mine, rasa in zip(produced, expected, strict=True):
        assert mine.dtype == rasa.dtype
        assert mine.shape == rasa.shape
        assert np.array_equal(mine, rasa)


def test_all_empty_batch() -> None:
    array = feature_array([scipy.sparse.coo_matrix((1, 30)) for _ in range(4)])
    indices, values, shape = batching.scipy_matrix_to_values(array)
    assert indices.shape == (0, 3) and values.shape == (0,)
    assert shape.tolist() == [4, 1, 30]


def test_installed_unless_turned_off(monkeypatch) -> None:
    monkeypatch.setattr(RasaDataGenerator, "_scipy_matrix_to_values", batching._original)
    monkeypatch.setenv("EIG_SPEEDUP_BATCHING", "0")
    batching.install()
    assert RasaDataGenerator._scipy_matrix_to_values is batching._original
    monkeypatch.delenv("EIG_SPEEDUP_BATCHING")
    batching.install()
    assert RasaDataGenerator._scipy_matrix_to_values is batching.scipy_matrix_to_values
