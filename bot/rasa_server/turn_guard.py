"""Every user turn gets an answer, never silence or a traceback.

Rasa keeps going when the action server or the NLG service fails (it logs the error and
drops that action's events), so the user would get nothing; when the conversation store is
down (``bot.rasa_server.tracker_store``) the turn raises. ``answer`` runs one turn for a
channel and, when anything failed or nothing was said, adds ``utter_error`` ("sorry, please
try again in a moment") in the user's language. It is rendered inside the Rasa server, so
it needs neither the NLG service nor the database. ``noting_failures`` makes the
replacements of ``RemoteAction.run`` and ``CallbackNaturalLanguageGenerator.generate`` that
note their failures on the turn, installed by ``bot.rasa_server.patches``.

Deadlines: Rasa waits up to 5 minutes for the action server and the NLG service, longer
than a conversation's lock lives (``TICKET_LOCK_LIFETIME``, 60 s), so a hung service let a
second turn of the same conversation start while the first still ran. Each action call
gives up after ``EIG_ACTION_TIMEOUT``, each NLG call after ``EIG_NLG_TIMEOUT`` (``bounded``),
and a whole turn, the wait for the lock included, after ``EIG_TURN_DEADLINE``, kept below
80 % of the lock's lifetime (``turn_deadline_s``): the turn is cancelled, which releases its
lock, and the person gets the apology.

A message with a client's id (``metadata.message_id``) is handled once however often it
arrives (``bot.rasa_server.idempotency``): a resend gets the first turn's bot messages again.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Optional

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.domain import clock, knowledge, language
from bot.infra import settings
from bot.rasa_server import idempotency, outputs
from bot.wording import i18n, nlg

log = logging.getLogger(__name__)
_turn: ContextVar[Optional[Turn]] = ContextVar("eig_turn", default=None)


@dataclass
class Turn:
    """What went wrong while handling one user message (kinds only, no user data)."""

    failures: list[str] = field(default_factory=list)


def record_failure(kind: str) -> None:
    turn = _turn.get()
    if turn is not None:
        turn.failures.append(kind)


def noting_failures(
    kind: str, passing: tuple[type[BaseException], ...] = ()
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    """Wraps a coroutine function so that an exception it raises, other than ``passing``,
    is noted on the turn as ``kind``, then raised as before."""

    def wrap(call: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(call)
        async def noted(*args: Any, **kwargs: Any) -> Any:
            try:
                return await call(*args, **kwargs)
            except passing:
                raise
            except Exception:
                record_failure(kind)
                raise

        return noted

    return wrap


class ServiceTimeout(RuntimeError):
    """The action server or the NLG service did not answer within its timeout."""


def bounded(
    kind: str, seconds: Callable[[], float]
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    """Wraps a coroutine function so that it is cancelled after ``seconds()`` and raises
    ``ServiceTimeout`` naming ``kind`` (Rasa logs it and goes on without its events)."""

    def wrap(call: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(call)
        async def within(*args: Any, **kwargs: Any) -> Any:
            limit = seconds()
            try:
                return await asyncio.wait_for(call(*args, **kwargs), limit)
            except asyncio.TimeoutError:
                raise ServiceTimeout(f"{kind}: no answer within {limit:g} s") from None

        return within

    return wrap


def action_timeout_s() -> float:
    return settings.ACTION_TIMEOUT.get().total_seconds()


def nlg_timeout_s() -> float:
    return settings.NLG_TIMEOUT.get().total_seconds()


def turn_deadline_s() -> float:
    """``EIG_TURN_DEADLINE``, at most 80 % of the conversation lock's lifetime."""
    from rasa.core.lock_store import LOCK_LIFETIME

    return min(settings.TURN_DEADLINE.get().total_seconds(), 0.8 * LOCK_LIFETIME)


def remote_action_run(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``RemoteAction.run``, given up after ``EIG_ACTION_TIMEOUT``, its failures noted (a
    form refusing a slot is not one)."""
    from rasa.core.actions.action import ActionExecutionRejection

    timed = bounded("action_server", action_timeout_s)(original)
    return _wrapping(original, noting_failures("action_server", (ActionExecutionRejection,))(timed))


def nlg_generate(original: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``CallbackNaturalLanguageGenerator.generate``, given up after ``EIG_NLG_TIMEOUT``,
    its failures noted."""
    return _wrapping(original, noting_failures("nlg")(bounded("nlg", nlg_timeout_s)(original)))


def _wrapping(original: Callable[..., Any], made: Callable[..., Any]) -> Callable[..., Any]:
    """``made``, whose ``__wrapped__`` is Rasa's function itself, as for every wrapping
    replacement of ``bot.rasa_server.patches``."""
    made.__wrapped__ = original  # type: ignore[attr-defined]
    return made


def language_for(metadata: Optional[dict[str, Any]], text: Optional[str]) -> str:
    """Without the tracker: an explicit request, the page's language, Accept-Language, the
    message's own language when it is clear, then French."""
    detection = language.detect(text if isinstance(text, str) else "").as_dict()
    if not detection["confident"]:
        detection["language"] = None
    return language.decide(None, detection, metadata) or i18n.DEFAULT_LANGUAGE


def apology_text(metadata: Optional[dict[str, Any]], text: Optional[str]) -> str:
    message = nlg.render(
        "utter_error", {}, language_for(metadata, text), knowledge.get(), clock.today()
    )
    return str(message["text"])


class CountingOutput(OutputChannel):
    """Passes every bot message on to ``inner`` and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0
        self.responses: list[dict[str, Any]] = []  # Rasa's bot messages, for a resend

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        self.responses.append(copy.deepcopy(message))  # Rasa's channels pop its parts
        await self.inner.send_response(recipient_id, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.sent += 1
        await self.inner.send_text_message(recipient_id, text, **kwargs)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        self.sent += 1
        await self.inner.send_custom_json(recipient_id, json_message, **kwargs)


async def answer(
    on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage
) -> None:
    """Handle ``message``; apologise through its output channel if the turn failed.

    Each message the turn sends says its language (``bot.rasa_server.outputs``): Rasa's
    socket.io output is replaced by ours for the turn."""
    given = message.output_channel
    inner = outputs.marking_language(given)
    key = idempotency.message_key(message.sender_id, message.metadata)
    if key is not None:  # a message the client may send again (bot.rasa_server.idempotency)
        earlier = await idempotency.claim(key, turn_deadline_s())
        if earlier.replies is not None:
            log.info("turn.resent: answered before")
            for reply in earlier.replies:
                await inner.send_response(message.sender_id, copy.deepcopy(reply))
            return
    counting = CountingOutput(inner)
    message.output_channel = counting
    turn = Turn()
    token = _turn.set(turn)
    alive = asyncio.create_task(idempotency.keep_alive(key)) if key is not None else None
    try:
        await asyncio.wait_for(on_new_message(message), turn_deadline_s())
    except asyncio.TimeoutError:
        turn.failures.append("deadline")
    except CancelledError:
        turn.failures.append("timeout")
    except Exception as error:
        turn.failures.append(type(error).__name__)
    finally:
        _turn.reset(token)
        message.output_channel = given
        if alive is not None:
            alive.cancel()
    if key is not None:
        if turn.failures or not counting.sent:
            idempotency.release(key)  # sending it again tries again
        else:
            idempotency.finish(key, counting.responses)
    if turn.failures or not counting.sent:
        log.error("turn.failed: %s", ",".join(sorted(set(turn.failures))) or "no_reply")
        language = language_for(message.metadata, message.text)
        await inner.send_text_message(
            message.sender_id, apology_text({"language": language}, None), language=language
        )
