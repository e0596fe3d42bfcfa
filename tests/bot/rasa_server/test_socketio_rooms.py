"""The socket.io channel's ``session_request``: the socket joins its session's room.

Rasa 3.6's own handler does not await ``enter_room``, a coroutine since python-socketio
5.10: the socket never joined the room and replies to the session were lost.
"""

from __future__ import annotations

from bot.rasa_server.socketio_channel import SocketIOInput


def channel(persistence: bool) -> SocketIOInput:
    credentials = {"session_persistence": persistence, "bot_message_evt": "bot_uttered"}
    return SocketIOInput.from_credentials(credentials)  # type: ignore[return-value]


async def nothing(message: object) -> None:
    return None


async def test_a_session_request_joins_the_session_room():
    sockets = channel(persistence=True)
    sockets.blueprint(nothing)
    sio = sockets.sio
    assert sio is not None
    sid = await sio.manager.connect("engine-1", "/")
    await sio.handlers["/"]["session_request"](sid, {"session_id": "a" * 32})
    assert "a" * 32 in sio.rooms(sid)
    # A second socket of the same session (a reload) joins the same room.
    other = await sio.manager.connect("engine-2", "/")
    await sio.handlers["/"]["session_request"](other, {"session_id": "a" * 32})
    room = sio.manager.rooms["/"]["a" * 32]
    assert set(room) == {sid, other}


async def test_without_persistence_no_room_is_joined():
    sockets = channel(persistence=False)
    sockets.blueprint(nothing)
    sio = sockets.sio
    assert sio is not None
    sid = await sio.manager.connect("engine-3", "/")
    await sio.handlers["/"]["session_request"](sid, {"session_id": "b" * 32})
    assert sio.rooms(sid) == [sid]
