"""Batches built the vectorised way are the very arrays Rasa's loop builds."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.utils.tensorflow.data_generator import RasaDataGenerator
from rasa.utils.tensorflow.model_data import FeatureArray

from bot.rasa_server import patches
from bot.rasa_server.nlu import batching

TARGET = "rasa.utils.tensorflow.data_generator.RasaDataGenerator._scipy_matrix_to_values"


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
    expected = patches.original(TARGET)(array)
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


def test_the_replacement_leaves_4d_arrays_to_rasa(monkeypatch) -> None:
    monkeypatch.setattr(RasaDataGenerator, "_scipy_matrix_to_values", patches.build(TARGET))
    replaced = RasaDataGenerator._scipy_matrix_to_values
    assert replaced.__wrapped__ is patches.original(TARGET)
    rng = np.random.default_rng(3)
    examples = np.empty(5, dtype=object)
    for i in range(5):  # per example, a list of sparse matrices (a 4-D feature array)
        inner = np.empty(2, dtype=object)
        inner[:] = [
            scipy.sparse.random(3, 20, density=0.2, random_state=rng).tocoo() for _ in range(2)
        ]
        examples[i] = inner
    array = FeatureArray(examples, number_of_dimensions=4)
    expected = patches.original(TARGET)(array)
    produced = replaced(array)
    assert [a.tolist() for a in produced] == [a.tolist() for a in expected]
    three_d = feature_array(random_matrices(4, "coo"))
    assert all(
        np.array_equal(a, b)
        for a, b in zip(replaced(three_d), batching.scipy_matrix_to_values(three_d), strict=True)
    )
