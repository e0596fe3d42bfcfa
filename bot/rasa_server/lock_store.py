"""One message at a time per conversation, across every Rasa instance, in arrival order.

Rasa's ``RedisLockStore`` reads a conversation's ticket list, changes it in Python and
writes it back. Two instances doing that at once overwrite each other's tickets: under a
burst of messages for one conversation (twenty at once, in the cluster tests) two turns
ran together or a message failed with ``LockError``. Here every step is one Redis script,
so it is atomic:

- taking a ticket adds it to the conversation's queue (a sorted set) and marks it alive
  for ``ALIVE_S`` seconds (or ``lock_lifetime``, if shorter);
- a ticket holds the lock when it is the lowest alive one; waiting keeps it alive, and so
  does holding it, for at most ``lock_lifetime``; a ticket whose process died (a killed
  instance) expires within ``ALIVE_S`` and is skipped, so a message resent to another
  instance (``bot.rasa_server.idempotency``) is not kept waiting for the dead one;
- releasing removes it.

The same Redis keeps the clients' message ids (``idempotency.use_redis``).

``lock_store: type: bot.rasa_server.lock_store.RedisQueueLockStore`` in endpoints.cluster.yml, with
``url``, ``port``, ``db``, ``password`` and ``key_prefix`` as for Rasa's Redis lock store.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from typing import Any, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

from bot.rasa_server import idempotency

log = logging.getLogger(__name__)
POLL_S = 0.05
ALIVE_S = 5.0  # a ticket not kept alive for this long belongs to a dead process
HEARTBEAT_S = 1.0
COUNTER_TTL_S = 24 * 3600

# KEYS: counter, queue, alive-key prefix. ARGV: lifetime (ms), counter TTL (s).
_TAKE = """
local ticket = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], ticket, ticket)
redis.call('SET', KEYS[3] .. ticket, 1, 'PX', ARGV[1])
return ticket
"""

# KEYS: queue, alive-key prefix. ARGV: ticket, lifetime (ms).
# 1: the ticket holds the lock; -1: wait; 0: the ticket expired while waiting.
_TURN = """
if redis.call('PEXPIRE', KEYS[2] .. ARGV[1], ARGV[2]) == 0 then return 0 end
while true do
  local head = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
  if not head then return 0 end
  if head == ARGV[1] then return 1 end
  if redis.call('EXISTS', KEYS[2] .. head) == 1 then return -1 end
  redis.call('ZREM', KEYS[1], head)
end
"""

# KEYS: queue, alive-key prefix. ARGV: ticket.
_RELEASE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2] .. ARGV[1])
return 1
"""


class RedisQueueLockStore(LockStore):
    """A fair, atomic Redis lock per conversation (see the module's docstring)."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        import redis

        settings: dict[str, Any] = endpoint_config.kwargs
        self.red = redis.StrictRedis(
            host=endpoint_config.url or "localhost",
            port=int(settings.get("port", 6379)),
            db=int(settings.get("db", 1)),
            password=settings.get("password") or None,
            socket_timeout=float(settings.get("socket_timeout", 10)),
        )
        self.prefix = f"{settings.get('key_prefix') or 'eig'}:lock:"
        self._take = self.red.register_script(_TAKE)
        self._turn = self.red.register_script(_TURN)
        self._release = self.red.register_script(_RELEASE)
        idempotency.use_redis(self.red, str(settings.get("key_prefix") or "eig"))
        super().__init__()

    def _keys(self, conversation_id: str) -> tuple[str, str, str]:
        base = f"{self.prefix}{conversation_id}"
        return f"{base}:next", f"{base}:queue", f"{base}:alive:"

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_S,
    ) -> AsyncGenerator[TicketLock, None]:
        """Wait for this conversation's earlier messages, at most ``lock_lifetime``."""
        counter, queue, alive = self._keys(conversation_id)
        alive_ms = int(min(lock_lifetime, ALIVE_S) * 1000)
        ticket = int(self._take(keys=[counter, queue, alive], args=[alive_ms, COUNTER_TTL_S]))
        holding: Optional[asyncio.Task[None]] = None
        try:
            deadline = time.monotonic() + lock_lifetime
            while True:
                turn = int(self._turn(keys=[queue, alive], args=[ticket, alive_ms]))
                if turn == 1:
                    break
                if turn == 0 or time.monotonic() > deadline:
                    raise LockError(f"could not acquire the conversation lock (ticket {ticket})")
                await asyncio.sleep(min(wait_time_in_seconds, POLL_S))
            holding = asyncio.create_task(
                self._keep_alive(f"{alive}{ticket}", alive_ms, lock_lifetime)
            )
            yield TicketLock(conversation_id)
        finally:
            if holding is not None:
                holding.cancel()
            self._release(keys=[queue, alive], args=[ticket])

    async def _keep_alive(self, alive_key: str, alive_ms: int, lock_lifetime: float) -> None:
        """While its turn runs, the ticket stays alive, for ``lock_lifetime`` at most."""
        end = time.monotonic() + lock_lifetime
        while time.monotonic() + HEARTBEAT_S < end:
            await asyncio.sleep(HEARTBEAT_S)
            self.red.pexpire(alive_key, alive_ms)
