"""A PostgreSQL that accepts connections and never answers fails a call within
``EIG_DB_CONNECT_TIMEOUT``, instead of blocking it for minutes."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.applications import conversations, storage


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        server.close()


@pytest.mark.parametrize(
    "open_store",
    [
        lambda url: storage.Storage(url, migrate=False).engine,
        lambda url: conversations.Conversations(url).engine,
    ],
    ids=["applications", "conversations"],
)
def test_a_silent_postgresql_fails_within_the_connect_timeout(
    monkeypatch, silent_server, open_store
):
    monkeypatch.setenv("EIG_DB_CONNECT_TIMEOUT", "1s")
    engine = open_store(f"postgresql://eig:secret@127.0.0.1:{silent_server}/eig")
    started = time.monotonic()
    with pytest.raises(sa.exc.OperationalError, match="timeout"), engine.connect():
        pass
    assert time.monotonic() - started < 5
