"""The route table: each path's view, the internal routes, and the patterns used as labels."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from bot.infra.static_files import StaticFiles
from bot.web import privacy, routes, views


@pytest.fixture
def app() -> web.Application:
    app = web.Application()
    routes.setup_routes(app)
    return app


def table(app: web.Application) -> dict[tuple[str, str], object]:
    return {
        (route.method, route.resource.canonical): route.handler
        for route in app.router.routes()
        if route.resource is not None and route.method != "HEAD"
    }


def test_every_route_has_its_view(app):
    found = table(app)
    assert found[("POST", "/nlg")] is views.nlg_endpoint
    assert found[("GET", "/healthz")] is views.health
    assert found[("GET", "/metrics")] is views.metrics
    assert found[("GET", "/")] is views.root
    assert found[("GET", "/{lang}")] is views.language_root
    assert found[("GET", "/{lang}/")] is views.page
    assert found[("GET", "/{lang}/donnees-personnelles")] is privacy.notice
    assert found[("GET", "/webinars/{webinar_id}.ics")] is views.webinar_ics
    static = found[("GET", "/static/{path}")]
    assert isinstance(getattr(static, "__self__", None), StaticFiles)
    assert len(found) == 12  # with /feedback and the e-mails' links (GET and POST)


def test_the_internal_routes_are_routes_of_the_table(app):
    canonical = {path for _, path in table(app)}
    assert routes.INTERNAL.issubset(canonical)
    assert {routes.NLG, routes.METRICS, routes.HEALTH} == routes.INTERNAL


@pytest.mark.parametrize(
    ("method", "path", "label"),
    [
        ("GET", "/fr/", "/{lang}/"),
        ("GET", "/en", "/{lang}"),
        ("GET", "/webinars/w-2026-11.ics", "/webinars/{webinar_id}.ics"),
        ("GET", "/de/", "unmatched"),
        ("GET", "/fr/?q=someone@example.org", "/{lang}/"),
    ],
)
async def test_requests_are_labelled_by_their_routes_pattern(app, method, path, label):
    request = make_mocked_request(method, path, app=app)
    match = await app.router.resolve(request)
    request._match_info = match
    assert routes.route_of(request) == label
