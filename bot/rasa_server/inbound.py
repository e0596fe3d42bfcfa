"""What the public channels accept from a client: session ids, text and metadata.

- **Session ids** are bearer secrets: whoever knows one reads the conversation's replies
  and acts in it. A public channel takes only unguessable ones, 128 random bits written
  as 32 hexadecimal digits (what the widget makes) or as a version-4 UUID, refuses any
  other, and keeps each channel's conversations apart: REST ids are stored as
  ``rest:<id>``, socket.io ids as they are (a socket.io id never holds a ``:``), so a REST
  client naming a socket.io session reaches a conversation of its own, not the widget's.
- **Text** keeps every character but lone UTF-16 surrogates (``"\\ud800"`` in JSON), which
  no store, log or encoder accepts: each becomes U+FFFD.
- **Metadata** keeps only the keys something reads (``METADATA_KEYS``), as strings of a
  bounded length; anything else a client sends is dropped, never stored.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any, Optional

REST_PREFIX = "rest:"
_HEX_ID = re.compile(r"[0-9a-f]{32}")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Every metadata key something reads, with its longest value: the page's language (the
# widget), Accept-Language (the REST channel adds it), a webinar id (the widget, from the
# page's ?webinar=, whose ids are at most 100 characters), the client's message id
# (bot.rasa_server.idempotency).
METADATA_KEYS = {"language": 16, "accept_language": 200, "webinar": 100, "message_id": 64}


def session_id(given: Any) -> Optional[str]:
    """The canonical form of an acceptable session id (32 lower-case hexadecimal digits, or
    a version-4 UUID as written), or None."""
    if not isinstance(given, str) or len(given) > 36:
        return None
    text = given.strip().lower()
    if _HEX_ID.fullmatch(text):
        return text
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return None
    return text if parsed.version == 4 and str(parsed) == text else None


def rest_sender(given: Any) -> Optional[str]:
    """The stored sender id of a REST conversation, or None when ``given`` is not acceptable."""
    canonical = session_id(given)
    return REST_PREFIX + canonical if canonical else None


def clean_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def clean_metadata(metadata: Any) -> dict[str, str]:
    """The known keys of ``metadata`` whose values are strings, cleaned and cut to length."""
    if not isinstance(metadata, Mapping):
        return {}
    kept = {}
    for key, longest in METADATA_KEYS.items():
        value = metadata.get(key)
        if isinstance(value, str):
            kept[key] = clean_text(value[:longest])
    return kept
