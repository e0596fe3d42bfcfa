"""Where a chat widget puts the page's metadata in a message.

Our widget sends it as ``metadata`` (``{"language": "en", "webinar": "…"}``); the most used
open-source widget for Rasa, rasa-webchat (npm ``rasa-webchat``), sends the same object as
``customData``. Both channels accept either, ``metadata`` winning a key both give, and a
JSON string as well as an object (Rasa's own socket.io channel parses a string, and would
raise on a malformed one). What is kept of it is the channels' business (the known keys).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

CUSTOM_DATA = "customData"


def _as_mapping(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return {}
    return dict(value) if isinstance(value, Mapping) else {}


def client_metadata(body: Any, key: str = "metadata") -> dict[str, Any]:
    """The metadata a client sent with a message, from ``key`` and from ``customData``."""
    if not isinstance(body, Mapping):
        return {}
    return {**_as_mapping(body.get(CUSTOM_DATA)), **_as_mapping(body.get(key))}
