"""The web service's route table: which view answers which path.

``INTERNAL`` are the routes for the machines around the service (Rasa's NLG calls, the
health check, Prometheus); the middlewares keep them off the public side. Every other
route is public: the page, its static files, the webinars' ``.ics`` files, the answer
feedback (``POST /feedback``).
"""

from __future__ import annotations

from aiohttp import web

from bot.infra.static_files import StaticFiles
from bot.web import mail_links, privacy, views
from bot.web.page import BUILD_MANIFEST, STATIC

NLG = "/nlg"
METRICS = "/metrics"
HEALTH = "/healthz"
FEEDBACK = "/feedback"
INTERNAL = frozenset({NLG, METRICS, HEALTH})


def setup_routes(app: web.Application) -> None:
    app.router.add_post(NLG, views.nlg_endpoint)
    app.router.add_get(HEALTH, views.health)
    app.router.add_get(METRICS, views.metrics)
    app.router.add_get("/", views.root)
    app.router.add_get("/{lang:fr|en}", views.language_root)
    app.router.add_get("/{lang:fr|en}/", views.page)
    privacy.setup(app)  # the privacy notice, /{lang}/donnees-personnelles
    app.router.add_post(FEEDBACK, views.feedback)
    # Only the files listed at start-up (again after `make assets`), never a looked-up path.
    static = StaticFiles(STATIC, "/static/", refresh_on=BUILD_MANIFEST)
    app.router.add_get(static.pattern, static.handle)
    app.router.add_get(r"/webinars/{webinar_id:[A-Za-z0-9_-]{1,100}}.ics", views.webinar_ics)
    mail_links.setup(app)  # the e-mails' links: confirm, unsubscribe, delete


def route_of(request: web.Request) -> str:
    """The route's pattern (``/{lang}/``), never the raw path: bounded, no user data."""
    info = request.match_info
    resource = info.route.resource if info.route is not None else None
    return resource.canonical if resource is not None else "unmatched"
