"""The Redis lock: one turn at a time per conversation across instances, in arrival order,
and a ticket whose process died does not block the others. On a real Redis server
(scripts/redis.sh, installed from Debian if missing); skips only if it cannot be installed,
and in CI that skip fails the run (tests/conftest.py)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import tempfile

import pytest
from rasa.core.lock_store import LockError
from rasa.utils.endpoints import EndpointConfig

from bot import ROOT
from bot.rasa_server.lock_store import RedisQueueLockStore

SCRIPT = ROOT / "scripts" / "redis.sh"


@pytest.fixture(scope="module")
def redis_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    directory = tempfile.mkdtemp(prefix="eig-redis-")
    result = subprocess.run(
        ["bash", str(SCRIPT), "start", directory, str(port)], capture_output=True, text=True
    )
    if result.returncode == 3:
        pytest.skip(f"Redis cannot be installed here: {result.stderr.strip()[-200:]}")
    assert result.returncode == 0, result.stderr
    try:
        yield port
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", directory], capture_output=True)


def store(port: int) -> RedisQueueLockStore:
    return RedisQueueLockStore(
        EndpointConfig(url="127.0.0.1", port=port, db=1, password="", key_prefix="test")
    )


async def arrived(lock_store: RedisQueueLockStore, conversation_id: str, ticket: int) -> None:
    """Waits until ``ticket`` was handed out for the conversation: its message arrived."""
    counter = lock_store._keys(conversation_id)[0]
    while int(lock_store.red.get(counter) or 0) < ticket:
        await asyncio.sleep(0.001)


async def test_turns_never_overlap_across_instances_and_keep_arrival_order(redis_port):
    instances = [store(redis_port), store(redis_port)]
    running: list[int] = []
    order: list[int] = []

    async def turn(index: int) -> None:
        async with instances[index % 2].lock("conversation-a"):
            running.append(index)
            assert len(running) == 1, f"turns {running} ran together"
            order.append(index)
            await asyncio.sleep(0.01)  # the turn's work, while the others wait
            running.remove(index)

    async def burst() -> None:
        counter = instances[0]._keys("conversation-a")[0]
        handed_out = int(instances[0].red.get(counter) or 0)
        tasks = []
        for index in range(20):  # arrive one after the other, all wait together
            tasks.append(asyncio.create_task(turn(index)))
            await arrived(instances[0], "conversation-a", handed_out + index + 1)
        await asyncio.gather(*tasks)

    await asyncio.wait_for(burst(), timeout=30)
    assert order == list(range(20))


async def test_other_conversations_do_not_wait(redis_port):
    lock_store, other_instance = store(redis_port), store(redis_port)
    loop = asyncio.get_running_loop()

    async def while_b_is_held() -> float:
        async with lock_store.lock("conversation-b"):
            started = loop.time()
            async with other_instance.lock("conversation-c") as lock:
                assert lock.conversation_id == "conversation-c"
                waited = loop.time() - started
            # conversation-b itself is taken: another instance gives up on it.
            with pytest.raises(LockError):
                async with other_instance.lock("conversation-b", lock_lifetime=0.3):
                    pass
            return waited

    assert await asyncio.wait_for(while_b_is_held(), timeout=10) < 1.0
    async with other_instance.lock("conversation-b"):  # released: free again at once
        pass


async def test_a_dead_holder_is_skipped_once_its_lifetime_is_over(redis_port):
    lock_store = store(redis_port)
    crashed = lock_store.lock("conversation-d", lock_lifetime=0.5)
    await crashed.__aenter__()  # taken and never released, as by a killed instance
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def next_turn() -> float:
        async with lock_store.lock("conversation-d"):
            return loop.time() - started

    assert 0.3 < await asyncio.wait_for(next_turn(), timeout=10) < 2.0


async def test_a_killed_instances_ticket_expires_within_alive_s_not_the_lifetime(
    redis_port, monkeypatch
):
    from bot.rasa_server import lock_store as module

    monkeypatch.setattr(module, "ALIVE_S", 1.0)
    lock_store = store(redis_port)
    counter, queue, alive = lock_store._keys("conversation-e")
    # A ticket taken by an instance that was killed at once: never kept alive again.
    lock_store._take(keys=[counter, queue, alive], args=[1000, 3600])
    loop = asyncio.get_running_loop()
    started = loop.time()

    async def next_turn() -> float:
        async with lock_store.lock("conversation-e", lock_lifetime=60):
            return loop.time() - started

    assert 0.8 < await asyncio.wait_for(next_turn(), timeout=10) < 2.0


async def test_a_live_holder_keeps_its_lock_past_alive_s(redis_port, monkeypatch):
    from bot.rasa_server import lock_store as module

    monkeypatch.setattr(module, "ALIVE_S", 0.5)
    monkeypatch.setattr(module, "HEARTBEAT_S", 0.1)
    holder, other_instance = store(redis_port), store(redis_port)
    loop = asyncio.get_running_loop()
    released = 0.0

    async def long_turn() -> None:
        nonlocal released
        async with holder.lock("conversation-f", lock_lifetime=10):
            await asyncio.sleep(1.5)  # three times ALIVE_S
            released = loop.time()

    async def next_turn() -> float:
        await asyncio.sleep(0.1)
        async with other_instance.lock("conversation-f", lock_lifetime=10):
            return loop.time()

    _, entered = await asyncio.wait_for(asyncio.gather(long_turn(), next_turn()), timeout=10)
    assert entered >= released > 0
