"""A message sent twice is handled once: a resent message is safe.

When a Rasa instance dies with a message in flight, the client never gets its answer; the
message must be sent again (nginx passes a REST request on to the next instance, the
widget sends its unanswered messages again after reconnecting). So clients give each
message an id, ``metadata.message_id`` (8 to 64 letters, digits, ``-`` or ``_``; the
widget sends a random one, and sends it again with the same message), and a conversation
never processes the same id twice:

- the first to ``claim`` an id handles the message; while its turn runs the claim is kept
  alive, and it expires within ``ALIVE_S`` seconds when its process dies;
- whoever gets the same id meanwhile waits for that turn, then replays its bot messages
  (the REST reply, or the socket.io messages, again); after it, it replays them at once;
- a turn that failed (the apology) gives the id up: sending it again tries again.

The ids are shared where the conversation locks are: in Redis with the cluster's lock
store (``bot.rasa_server.lock_store`` calls ``use_redis``), else in the memory of the one
Rasa process of the single-machine profile. They are kept ``KEEP_S`` seconds. A message
without an id is handled as before, every time it arrives.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass
from typing import Any, Optional

ALIVE_S = 5.0  # a claim whose process died expires after this
HEARTBEAT_S = 1.0
KEEP_S = 15 * 60  # how long an id's answer is kept for a resend
POLL_S = 0.1
_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
PROCESSING = "processing"


def message_key(sender_id: str, metadata: Any) -> Optional[str]:
    """The conversation and its client's message id, or None when it gave none (or a
    malformed one)."""
    given = metadata.get("message_id") if isinstance(metadata, dict) else None
    if not isinstance(given, str) or not _ID.fullmatch(given):
        return None
    return f"{sender_id}\n{given}"


@dataclass
class Claim:
    """``replies`` is None when this turn must handle the message; else the bot messages
    of the turn that did (empty when it is still running elsewhere after ``wait``)."""

    replies: Optional[list[dict[str, Any]]]


class MemoryIds:
    """One process's ids (the single-machine profile has one Rasa process)."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[float, Optional[list[dict[str, Any]]]]] = {}

    def _forget_old(self, now: float) -> None:
        for key in [k for k, (until, _) in self.entries.items() if until < now]:
            del self.entries[key]

    def try_claim(self, key: str) -> tuple[bool, Optional[list[dict[str, Any]]]]:
        """(True, None) if claimed; (False, replies) with None while it is processing."""
        now = time.monotonic()
        self._forget_old(now)
        if key in self.entries:
            return False, self.entries[key][1]
        self.entries[key] = (now + KEEP_S, None)
        return True, None

    def keep_alive(self, key: str) -> None:
        return None  # the claim lives as long as the process

    def finish(self, key: str, replies: list[dict[str, Any]]) -> None:
        self.entries[key] = (time.monotonic() + KEEP_S, replies)

    def release(self, key: str) -> None:
        self.entries.pop(key, None)


class RedisIds:
    """Ids shared by every Rasa instance, in the lock store's Redis."""

    def __init__(self, red: Any, prefix: str) -> None:
        self.red = red
        self.prefix = f"{prefix}:message:"

    def _key(self, key: str) -> str:
        return self.prefix + key.replace("\n", ":")

    def try_claim(self, key: str) -> tuple[bool, Optional[list[dict[str, Any]]]]:
        name = self._key(key)
        if self.red.set(name, PROCESSING, nx=True, px=int(ALIVE_S * 1000)):
            return True, None
        value = self.red.get(name)
        if value is None:  # its claim expired just now: try again
            return self.try_claim(key)
        if value.decode() == PROCESSING:
            return False, None
        return False, list(json.loads(value))

    def keep_alive(self, key: str) -> None:
        self.red.set(self._key(key), PROCESSING, xx=True, px=int(ALIVE_S * 1000))

    def finish(self, key: str, replies: list[dict[str, Any]]) -> None:
        self.red.set(self._key(key), json.dumps(replies), ex=KEEP_S)

    def release(self, key: str) -> None:
        self.red.delete(self._key(key))


_ids: Any = MemoryIds()


def use_redis(red: Any, prefix: str) -> None:
    """Share the ids through this Redis client (the cluster's lock store)."""
    global _ids
    _ids = RedisIds(red, prefix)


def ids() -> Any:
    return _ids


async def claim(key: str, wait: float) -> Claim:
    """Claims ``key``, or waits up to ``wait`` seconds for the turn that claimed it."""
    deadline = time.monotonic() + wait
    while True:
        claimed, replies = _ids.try_claim(key)
        if claimed:
            return Claim(None)
        if replies is not None:
            return Claim(replies)
        if time.monotonic() >= deadline:
            return Claim([])  # still running elsewhere: its own answer goes to the client
        await asyncio.sleep(POLL_S)


async def keep_alive(key: str) -> None:
    """Runs beside the turn that claimed ``key`` (cancelled when it ends)."""
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        _ids.keep_alive(key)


def finish(key: str, replies: list[dict[str, Any]]) -> None:
    _ids.finish(key, replies)


def release(key: str) -> None:
    _ids.release(key)
