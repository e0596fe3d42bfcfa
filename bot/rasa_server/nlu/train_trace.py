"""The classifiers' training step traced without AutoGraph.

Keras traces ``train_step`` into a graph with AutoGraph, which first rewrites the source
of every function the step calls (DIET's and the ResponseSelector's losses, layers and
metrics) so that Python control flow on tensors becomes graph control flow. Rasa's step
branches on Python values only (its configuration and which inputs exist), as its
prediction step does (``bot.rasa_server.speedups``, ``PLAIN_TRACE``), so the rewriting
costs seconds at each training and changes nothing in the graph: the trained weights are
the same bit for bit (checked on this project's model). A step that did branch on a
tensor would fail loudly at tracing ("using a tf.Tensor as a Python bool"), not train
differently. ``unconverted`` makes the replacement, installed by
``bot.rasa_server.patches`` (importing this module changes nothing);
``EIG_SPEEDUP_TRAIN_TRACE=0`` keeps AutoGraph.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def unconverted(original: Callable[..., Any]) -> Callable[..., Any]:
    """``RasaModel.train_step``, marked for AutoGraph to call as it is."""
    import tensorflow as tf

    plain: Callable[..., Any] = tf.autograph.experimental.do_not_convert(original)
    return plain
