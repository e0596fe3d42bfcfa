"""Cheaper tracker replays in the Rasa server, same results.

To predict each action, Rasa's policies rebuild the conversation's past states: a fresh
tracker replays the applied events (``generate_all_prior_trackers``). In a long
pre-application this grew with every turn (docs/benchmarks.md, change 13):

- ``DialogueStateTracker.__init__`` copies every slot of the domain with ``copy.copy``,
  which goes through the generic ``__reduce_ex__`` protocol: ``slot_copy`` makes the same
  shallow copy directly (``slot_copying`` stands for the ``copy`` module in Rasa's
  ``trackers`` module, which uses it for nothing else).
- ``applied_events`` scans back through the conversation at every form execution, so it
  costs the square of the conversation's length, and it runs several times per prediction
  on the same events: its result is kept on the tracker with the events it was computed
  from, and reused while they are the same objects (``applied_events``).

Each function here takes Rasa's original and returns its replacement; importing this module
changes nothing. ``bot.rasa_server.patches`` installs them (switch: ``EIG_SPEEDUP_REPLAY``).
"""

from __future__ import annotations

import copy
import copyreg
import functools
import operator
import types
from collections.abc import Callable
from typing import Any

_plain_copy_types: dict[type, bool] = {}


def slot_copy(slot: Any) -> Any:
    """``copy.copy(slot)`` for objects with a plain ``__dict__``, without the protocol."""
    kind = type(slot)
    plain = _plain_copy_types.get(kind)
    if plain is None:
        plain = _plain_copy_types[kind] = (
            not hasattr(kind, "__copy__")
            and not copyreg._slotnames(kind)  # type: ignore[attr-defined]
            and kind.__reduce_ex__ is object.__reduce_ex__
            and kind.__reduce__ is object.__reduce__
            and kind.__new__ is object.__new__
            and hasattr(slot, "__dict__")
        )
    if not plain:
        return copy.copy(slot)
    new = object.__new__(kind)
    new.__dict__.update(slot.__dict__)
    return new


def slot_copying(original: types.ModuleType) -> types.SimpleNamespace:
    """Stands for the ``copy`` module in ``rasa.shared.core.trackers``, whose only use of it
    is ``copy.copy(slot)`` in ``DialogueStateTracker.__init__``."""
    return types.SimpleNamespace(copy=slot_copy, deepcopy=original.deepcopy, __wrapped__=original)


def applied_events(original: Callable[..., list[Any]]) -> Callable[..., list[Any]]:
    """``DialogueStateTracker.applied_events``, kept while the tracker's events are the same
    objects; a new list each time, as Rasa's."""

    @functools.wraps(original)
    def _applied_events(self: Any) -> list[Any]:
        events = self.events
        memo = self.__dict__.get("_eig_applied")
        if (
            memo is not None
            and len(memo[0]) == len(events)
            and all(map(operator.is_, memo[0], events))
        ):
            return list(memo[1])
        result = original(self)
        self.__dict__["_eig_applied"] = (tuple(events), tuple(result))
        return result

    return _applied_events
