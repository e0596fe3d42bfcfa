"""Cheaper tracker (de)serialisation in the Rasa server, same output.

Rasa sends the whole tracker with every action and NLG call, and rebuilds every turn's
tracker from its stored events. Profiled on a single conversation's pre-application
(docs/benchmarks.md, change 12), three avoidable costs stood out:

- ``Event.resolve_by_type`` walks every subclass of ``Event`` (and asks ``inspect`` whether
  each is abstract) for each event it deserialises: the classes are looked up once per
  type name instead (``resolve_by_type``).
- ``DialogueStateTracker.current_state`` copies the active form's trigger message (a whole
  parse, with its rankings) with ``dataclasses.asdict``, which deep-copies every value one
  by one: ``plain_copy`` makes the same copy of JSON values directly (``current_state``).
- ``CallbackNaturalLanguageGenerator.generate`` encodes its request body, the whole tracker,
  with ``json.dumps`` for a debug message even when debug logging is off: it is logged
  only when debug logging is on (``nlg_generate``).

And one saving of our own: each NLG call carries the tracker with only the events our NLG
service reads (``events_for_nlg``), so a long conversation's last turns no longer encode,
send and decode all of it for every response.

Each function here takes Rasa's original and returns its replacement; importing this module
changes nothing. ``bot.rasa_server.patches`` installs them (switches:
``EIG_SPEEDUP_SERIALISATION`` for all of it, ``EIG_SPEEDUP_NLG_EVENTS`` for the NLG events
alone).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any, Optional

from bot.infra.settings import speedup_enabled

_PLAIN = (str, int, float, bool, type(None))


def plain_copy(value: Any) -> Any:
    """What ``dataclasses.asdict`` makes of a value inside a dataclass, for JSON values fast."""
    kind = type(value)
    if kind is dict:
        return {plain_copy(k): plain_copy(v) for k, v in value.items()}
    if kind is list:
        return [plain_copy(v) for v in value]
    if kind in _PLAIN:
        return value
    return dataclasses.asdict(_Box(value))["value"]  # anything else: asdict's own copy


@dataclasses.dataclass
class _Box:
    value: Any


def events_for_nlg(events: Sequence[Any]) -> list[Any]:
    """The events the NLG service reads (``bot.web.metrics``): from the user message before the
    latest one on, after the last form (``active_loop``) event before them, which tells
    which form was active then. Everything when there are fewer than two user messages.
    """
    from rasa.shared.core.events import ActiveLoop, UserUttered

    events = list(events)
    users = 0
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], UserUttered):
            users += 1
            if users == 2:
                break
    else:
        return events
    kept = events[index:]
    for before in range(index - 1, -1, -1):
        if isinstance(events[before], ActiveLoop):
            return [events[before], *kept]
    return kept


def resolve_by_type(original: Callable[..., Any]) -> Callable[..., Any]:
    """``Event.resolve_by_type`` (static), each known type name's class remembered."""
    found: dict[str, Any] = {}

    @functools.wraps(original)
    def _resolve_by_type(type_name: str, default: Optional[Any] = None) -> Optional[Any]:
        cls = found.get(type_name) if isinstance(type_name, str) else None
        if cls is None:
            cls = original(type_name, default)
            if cls is not None and cls is not default:
                found[type_name] = cls  # a known type's class: the walk gives it again
        return cls

    return _resolve_by_type


def current_state(original: Callable[..., Any]) -> Callable[..., Any]:
    """``DialogueStateTracker.current_state`` with the active loop copied by ``plain_copy``."""
    from rasa.shared.core.constants import ACTIVE_LOOP, FOLLOWUP_ACTION
    from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

    @functools.wraps(original)
    def _current_state(
        self: DialogueStateTracker, event_verbosity: EventVerbosity = EventVerbosity.NONE
    ) -> dict[str, Any]:
        # Rasa 3.6's DialogueStateTracker.current_state, with plain_copy for the active loop.
        events = self._events_for_verbosity(event_verbosity)
        events_as_dict = [e.as_dict() for e in events] if events is not None else None
        latest_event_time = self.events[-1].timestamp if len(self.events) > 0 else None
        loop = self.active_loop
        return {
            "sender_id": self.sender_id,
            "slots": self.current_slot_values(),
            "latest_message": self._latest_message_data(),
            "latest_event_time": latest_event_time,
            FOLLOWUP_ACTION: self.followup_action,
            "paused": self.is_paused(),
            "events": events_as_dict,
            "latest_input_channel": self.get_latest_input_channel(),
            ACTIVE_LOOP: (
                {f.name: plain_copy(getattr(loop, f.name)) for f in dataclasses.fields(loop)}
                if loop
                else {}
            ),
            "latest_action": self.latest_action,
            "latest_action_name": self.latest_action_name,
        }

    return _current_state


def nlg_generate(original: Callable[..., Any]) -> Callable[..., Any]:
    """``CallbackNaturalLanguageGenerator.generate``: its debug lines encoded only when
    logged, and the request's tracker with the events of ``events_for_nlg`` only
    (``EIG_SPEEDUP_NLG_EVENTS``). Rasa's own function takes no part in it: the replacement
    repeats its body (and ``nlg_request_format``'s)."""
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
    from rasa.core.nlg import callback
    from rasa.shared.core.trackers import EventVerbosity
    from rasa.shared.exceptions import RasaException

    logger = callback.logger
    trim = speedup_enabled("NLG_EVENTS")

    def nlg_request_format(
        utter_action: str, tracker: Any, output_channel: str, **kwargs: Any
    ) -> dict[str, Any]:
        # Rasa 3.6's nlg_request_format, with the events of events_for_nlg only.
        state = tracker.current_state(EventVerbosity.NONE)
        events = events_for_nlg(tracker.events) if trim else tracker.events
        state["events"] = [e.as_dict() for e in events]
        return {
            "response": utter_action,
            "id": kwargs.pop("response_id", None),
            "arguments": kwargs,
            "tracker": state,
            "channel": {"name": output_channel},
        }

    @functools.wraps(original)
    async def generate(
        self: Any, utter_action: str, tracker: Any, output_channel: str, **kwargs: Any
    ) -> dict[str, Any]:
        # Rasa 3.6's CallbackNaturalLanguageGenerator.generate, debug bodies only when logged.
        domain_responses = kwargs.pop("domain_responses", None)
        kwargs["response_id"] = self.fetch_response_id(
            utter_action, tracker, output_channel, domain_responses
        )
        body = nlg_request_format(utter_action, tracker, output_channel, **kwargs)
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            logger.debug(
                f"Requesting NLG for {utter_action} from {self.nlg_endpoint.url}."
                f"The request body is {json.dumps(body)}."
            )
        response = await self.nlg_endpoint.request(
            method="post", json=body, timeout=DEFAULT_REQUEST_TIMEOUT
        )
        if debug:
            logger.debug(f"Received NLG response: {json.dumps(response)}")
        if isinstance(response, dict) and self.validate_response(response):
            return response
        raise RasaException("NLG web endpoint returned an invalid response.")

    return generate
