"""The bot web service's app factory: Rasa's NLG endpoint, the health check, Prometheus
metrics, and the programme's demo page with the chat widget (``/fr/``, ``/en/``, static
files under ``/static/``, webinar ``.ics`` files).

Listens on loopback by default. ``/nlg`` (Rasa's) and ``/metrics`` (Prometheus's) are
internal: refused when they come through the public reverse proxy, and guarded by a
token when one is set. Public routes are rate-limited per address and size-capped.
The routes are in ``routes``, their handlers in ``views``, what every request goes
through in ``middlewares``.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import AsyncIterator, Callable
from typing import Any, Optional

from aiohttp import web

from bot.admin import app as back_office
from bot.admin.session import Sessions
from bot.applications.feedback import Storage
from bot.domain import clock, knowledge
from bot.domain.knowledge import Knowledge
from bot.web.metrics import Metrics, response_is_known
from bot.web.middlewares import GUARD, MIDDLEWARES, Guard
from bot.web.page import PageConfig, assets_missing
from bot.web.page import translations as widget_translations
from bot.web.routes import setup_routes
from bot.web.views import FEEDBACK_STORE, KNOWLEDGE, METRICS, PAGE, TODAY
from bot.wording import i18n

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # /nlg: Rasa sends the tracker (a whole one, without our speedups)


def _opened_once(open_store: Callable[[], Storage]) -> Callable[[], Storage]:
    """``open_store()`` on the first call only, whichever thread makes it."""
    lock = threading.Lock()

    @functools.cache
    def opened() -> Storage:
        return open_store()

    def store() -> Storage:
        with lock:
            return opened()

    return store


def create_app(
    known: Optional[Knowledge] = None,
    today: Callable[[], dt.date] = clock.today,
    rasa_port: int = 5005,
    socket_same_origin: bool = False,
    guard: Optional[Guard] = None,
    metrics: Optional[Metrics] = None,
    feedback_store: Optional[Callable[[], Storage]] = None,
    admin_conversations: Optional[Callable[[], Any]] = None,
    admin_sessions: Optional[Sessions] = None,
) -> web.Application:
    """Build the service; the knowledge base and catalogs load (and fail) at start-up.

    ``rasa_port`` is where the page's widget finds Rasa's socket.io, on the page's host;
    with ``socket_same_origin`` it uses the page's own origin instead (behind nginx).
    ``guard`` (tokens, limits) comes from the settings unless given; ``feedback_store``
    gives the applications database the answer feedback goes to (``DATABASE_URL``'s,
    opened on the first feedback, unless given), which the back office under ``/admin/``
    (``bot.admin``) also uses, with ``admin_conversations`` (the conversation store, the
    services' unless given) and ``admin_sessions`` (its session signer).
    """
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=MAX_BODY_BYTES)
    app[TODAY] = today
    app[PAGE] = PageConfig(socket_port=rasa_port, same_origin=socket_same_origin)
    app[GUARD] = guard or Guard.from_settings()
    app[METRICS] = metrics or Metrics(known_response=response_is_known)
    app[FEEDBACK_STORE] = feedback_store or _opened_once(Storage)

    async def load_resources(app: web.Application) -> AsyncIterator[None]:
        app[KNOWLEDGE] = known or knowledge.load()
        for language in i18n.LANGUAGES:
            i18n.translations(language)
            widget_translations(language)
        if assets_missing():
            log.warning("web.assets_missing: run `make assets` for the page's DSFR and socket.io")
        yield

    app.cleanup_ctx.append(load_resources)
    setup_routes(app)
    back_office.setup(app, app[FEEDBACK_STORE], admin_conversations, admin_sessions)
    return app
