"""The back office's web pages, served under ``/admin/`` by the web service.

Its routes are added to the web service's own router (aiohttp's sub-applications resolve
their prefix with the request's URL, which this aiohttp and yarl refuse for a ``Host`` with a
port). Pages are server-rendered (Jinja2, DSFR's stylesheet, no script at all) in French or
English (``/admin/fr/…``, ``/admin/en/…``; gettext domain ``admin``). ``guard`` runs
for every route but the sign-in page and the stylesheet: no valid session, no page (a GET
goes to the sign-in page, anything else gets a 403); a POST without the session's CSRF
token gets a 403; a data officer's route refuses an editor with a 403. Every page is sent
with ``Cache-Control: no-store`` and a Content-Security-Policy without any script.
Database calls run in worker threads.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Optional, TypeVar

import jinja2
from aiohttp import web
from babel.support import NullTranslations, Translations
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import SQLAlchemyError

from bot import ROOT
from bot.admin import accounts, candidates, dashboard, freshness, inbox, session, training
from bot.admin.accounts import Staff
from bot.applications.conversations import Conversations, ConversationStoreError
from bot.applications.storage import PURGE_COUNTS, Storage, StorageError
from bot.domain import clock, knowledge
from bot.domain.language import LANGUAGES
from bot.infra import settings, spreadsheet
from bot.infra.static_files import StaticFiles
from bot.wording import i18n

log = logging.getLogger(__name__)

DOMAIN = "admin"
TEMPLATES = ROOT / "bot" / "admin" / "templates"
PREFIX = "/admin"
CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
PUBLIC_ROUTES = frozenset({"admin.login", "admin.login_form"})
STATIC = ROOT / "bot" / "admin" / "static"
DATA_OFFICER_ROUTES = frozenset(
    {
        "admin.audit",
        "admin.applications",
        "admin.application",
        "admin.applications_export",
        "admin.application_delete",
        "admin.applications_purge",
    }
)
DONE = ("deleted", "purged")
REFERENCE = "{reference:EIG-[A-Z0-9]{4}-[A-Z0-9]{4}}"
INBOX_DAYS = (7, 30, 90, 365)
MAX_FORM_BYTES = 16 * 1024

T = TypeVar("T")
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Admin:
    """What the pages read: the applications database (accounts, audit log, decisions,
    feedback), the conversation store, the session signer."""

    storage: Callable[[], Storage]
    conversations: Callable[[], Conversations]
    sessions: session.Sessions


ADMIN: web.AppKey[Admin] = web.AppKey("admin", Admin)


# ---- wording -----------------------------------------------------------------------------


@cache
def translations(language: str) -> NullTranslations:
    mo = i18n.LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        raise i18n.CatalogMissing(f"{mo} is missing: run `make catalogs`")
    return Translations.load(str(i18n.LOCALES_DIR), [language], DOMAIN)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _when(timestamp: Any) -> str:
    if isinstance(timestamp, dt.datetime):
        moment = timestamp
    elif isinstance(timestamp, (int, float)):
        moment = dt.datetime.fromtimestamp(timestamp, dt.timezone.utc)
    else:
        return ""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    language = request.match_info.get("lang") or i18n.DEFAULT_LANGUAGE
    gettext = translations(language).gettext
    current: Optional[session.Session] = request.get("session")
    html = (
        _environment()
        .get_template(template)
        .render(
            lang=language,
            other=next(code for code in LANGUAGES if code != language),
            t=gettext,
            when=_when,
            staff=request.get("staff"),
            csrf=current.csrf if current else context.pop("csrf", ""),
            path=request.path,
            query=request.query_string,
            **context,
        )
    )
    return web.Response(text=html, status=status, content_type="text/html")


def refused(request: web.Request, status: int, message: str) -> web.Response:
    return render(request, "error.html", status=status, message=message)


# ---- the guard ---------------------------------------------------------------------------


def guarded(name: str, handler: Handler) -> Handler:
    """``handler`` behind :func:`guard`."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        return await guard(request, handler, name)

    return wrapped


async def guard(request: web.Request, handler: Handler, name: str) -> web.StreamResponse:
    """A session for everything but the sign-in page; CSRF on every POST; roles."""
    lang = request.match_info.get("lang") or i18n.DEFAULT_LANGUAGE
    if name not in PUBLIC_ROUTES:
        admin = request.app[ADMIN]
        current = admin.sessions.load(request.cookies.get(session.COOKIE))
        staff = None
        if current is not None:
            try:
                staff = await asyncio.to_thread(accounts.by_id, admin.storage(), current.staff_id)
            except (StorageError, SQLAlchemyError) as error:
                log.error("admin.accounts_unavailable", extra={"error": type(error).__name__})
                return _no_store(refused(request, 503, "admin_error_store"))
        if current is None or staff is None or not staff.active:
            if request.method == "GET":
                raise web.HTTPSeeOther(f"{PREFIX}/{lang}/login")
            return _no_store(refused(request, 403, "admin_error_no_session"))
        if staff.session_version != current.version:
            if request.method == "GET":
                raise web.HTTPSeeOther(f"{PREFIX}/{lang}/login")
            return _no_store(refused(request, 403, "admin_error_no_session"))
        request["staff"], request["session"] = staff, current
        if request.method == "POST":
            if (request.content_length or 0) > MAX_FORM_BYTES:
                return _no_store(refused(request, 413, "admin_error_too_large"))
            form = await request.post()
            token = form.get("csrf")
            if not isinstance(token, str) or not session.same(current.csrf, token):
                log.warning("admin.csrf_refused", extra={"route": name})
                return _no_store(refused(request, 403, "admin_error_csrf"))
        if name in DATA_OFFICER_ROUTES and not staff.data_officer:
            log.info("admin.role_refused", extra={"route": name, "staff": staff.username})
            return _no_store(refused(request, 403, "admin_error_role"))
    response = await handler(request)
    current = request.get("session")
    if current is not None and not response.cookies.get(session.COOKIE):
        # Signed again at each request: the idle timeout counts from the last one.
        response.set_cookie(
            session.COOKIE,
            request.app[ADMIN].sessions.dump(current),
            **session.cookie_options(request.secure),
        )
    return _no_store(response)


def _no_store(response: web.StreamResponse) -> web.StreamResponse:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = CSP
    return response


# ---- sign-in -----------------------------------------------------------------------------


async def root(request: web.Request) -> web.StreamResponse:
    language = i18n.from_accept_language(request.headers.get("Accept-Language"))
    raise web.HTTPFound(f"{PREFIX}/{language or i18n.DEFAULT_LANGUAGE}/")


async def login_form(request: web.Request, message: str = "", status: int = 200) -> web.Response:
    token, cookie = request.app[ADMIN].sessions.login_token()
    response = render(request, "login.html", status=status, message=message, csrf=token)
    response.set_cookie(
        session.LOGIN_COOKIE,
        cookie,
        **session.cookie_options(request.secure, session.LOGIN_MAX_AGE_S),
    )
    return response


async def login(request: web.Request) -> web.StreamResponse:
    admin = request.app[ADMIN]
    if (request.content_length or 0) > MAX_FORM_BYTES:
        return await login_form(request, "admin_error_too_large", 413)
    form = await request.post()
    token = form.get("csrf")
    if not admin.sessions.login_token_valid(
        request.cookies.get(session.LOGIN_COOKIE), token if isinstance(token, str) else None
    ):
        return await login_form(request, "admin_error_csrf", 403)
    username, password = form.get("username"), form.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        return await login_form(request, "admin_login_wrong", 401)
    try:
        outcome = await asyncio.to_thread(
            accounts.authenticate, admin.storage(), username, password
        )
    except (StorageError, SQLAlchemyError) as error:
        log.error("admin.accounts_unavailable", extra={"error": type(error).__name__})
        return _no_store(await login_form(request, "admin_error_store", 503))
    if outcome.staff is None:
        message = "admin_login_locked" if outcome.refused == "locked" else "admin_login_wrong"
        return await login_form(request, message, 429 if outcome.refused == "locked" else 401)
    fresh = admin.sessions.new(outcome.staff.id, outcome.staff.session_version)
    response = web.HTTPSeeOther(f"{PREFIX}/{request.match_info['lang']}/")
    response.set_cookie(
        session.COOKIE, admin.sessions.dump(fresh), **session.cookie_options(request.secure)
    )
    response.del_cookie(session.LOGIN_COOKIE, path=session.PATH)
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    staff: Staff = request["staff"]
    await asyncio.to_thread(accounts.end_sessions, request.app[ADMIN].storage(), staff.id)
    request["session"] = None
    response = web.HTTPSeeOther(f"{PREFIX}/{request.match_info['lang']}/login")
    response.del_cookie(session.COOKIE, path=session.PATH)
    raise response


# ---- inbox -------------------------------------------------------------------------------


def _context_token(request: web.Request, sender: str, index: int) -> str:
    """A conversation's id never leaves the server: the link carries it signed."""
    return _context_signer(request).dumps([sender, index])


def _context_signer(request: web.Request) -> URLSafeSerializer:
    current: session.Session = request["session"]
    return URLSafeSerializer(current.csrf, salt="eig-admin-context")


def _days(request: web.Request) -> int:
    try:
        days = int(request.query.get("days", "30"))
    except ValueError:
        return 30
    return days if days in INBOX_DAYS else 30


def _language_filter(request: web.Request) -> Optional[str]:
    value = request.query.get("language")
    return value if value in LANGUAGES else None


async def inbox_page(request: web.Request, message: str = "", status: int = 200) -> web.Response:
    admin = request.app[ADMIN]
    days, language = _days(request), _language_filter(request)
    since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days)).timestamp()
    try:
        found = await asyncio.to_thread(
            inbox.groups, admin.storage(), admin.conversations(), since, language
        )
    except (StorageError, ConversationStoreError, SQLAlchemyError, OSError) as error:
        log.error("admin.inbox_failed", extra={"error": type(error).__name__})
        return refused(request, 503, "admin_error_store")
    items = [
        {
            "group": group,
            "contexts": [_context_token(request, s, i) for s, i in group.contexts],
            "topics": training.topics(group.language),
        }
        for group in found
    ]
    return render(
        request,
        "inbox.html",
        status=status,
        items=items,
        days=days,
        all_days=INBOX_DAYS,
        language=language or "",
        message=message,
        done=request.query.get("done") if request.query.get("done") in inbox.DECISIONS else "",
    )


async def inbox_context(request: web.Request) -> web.Response:
    try:
        sender, index = _context_signer(request).loads(request.query.get("c", ""))
    except (BadSignature, ValueError, TypeError):
        return refused(request, 404, "admin_error_not_found")
    admin = request.app[ADMIN]
    messages = await asyncio.to_thread(inbox.context, admin.conversations(), sender, int(index))
    if not messages:
        return refused(request, 404, "admin_error_not_found")
    return render(request, "context.html", messages=messages)


async def inbox_decide(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    staff: Staff = request["staff"]
    language, text = form.get("language"), form.get("text")
    decision, topic = form.get("decision"), form.get("topic")
    example = form.get("example")
    try:
        count = int(str(form.get("count") or "1"))
    except ValueError:
        count = 1
    if language not in LANGUAGES or not isinstance(text, str) or not text.strip():
        return await inbox_page(request, "admin_error_form", 400)
    if decision not in inbox.DECISIONS:
        return await inbox_page(request, "admin_error_form", 400)
    if decision == "topic" and topic not in training.topics(str(language)):
        return await inbox_page(request, "admin_error_topic", 400)
    try:
        await asyncio.to_thread(
            lambda: inbox.decide(
                request.app[ADMIN].storage(),
                language=str(language),
                text=str(text),
                decision=str(decision),
                username=staff.username,
                count=max(1, count),
                example=example if isinstance(example, str) else "",
                topic=str(topic) if decision == "topic" else None,
            )
        )
    except training.TrainingError as error:
        return await inbox_page(request, f"admin_refused_{error}", 400)
    except StorageError:
        return refused(request, 503, "admin_error_store")
    log.info("admin.decided", extra={"decision": decision, "staff": staff.username})
    back = f"{PREFIX}/{request.match_info['lang']}/?done={decision}"
    raise web.HTTPSeeOther(back)


async def todo_page(request: web.Request) -> web.StreamResponse:
    items = await asyncio.to_thread(inbox.todo, request.app[ADMIN].storage())
    if request.match_info.get("format") == ".csv":
        rows = (
            {"language": i.language, "count": i.count, "question": i.example, "since": i.decided_at}
            for i in items
        )
        return _csv(rows, ("language", "count", "question", "since"), "content-todo.csv")
    return render(request, "todo.html", items=items)


async def pending_page(request: web.Request) -> web.Response:
    items = await asyncio.to_thread(training.pending, request.app[ADMIN].storage())
    return render(request, "pending.html", items=items)


async def audit_page(request: web.Request) -> web.Response:
    entries = await asyncio.to_thread(accounts.audit_entries, request.app[ADMIN].storage())
    return render(request, "audit.html", entries=entries)


def _date_range(request: web.Request) -> tuple[dt.date, dt.date, str]:
    """``from`` and ``to`` of the query (``YYYY-MM-DD``), else the last 30 days; a range that
    cannot be read falls back to the default with a message. The conversations' times are
    real ones, so the range is the calendar's (UTC), not ``EIG_TODAY``'s."""
    today = dt.datetime.now(dt.timezone.utc).date()
    default = (today - dt.timedelta(days=29), today, "")
    given_from, given_to = request.query.get("from"), request.query.get("to")
    if not given_from and not given_to:
        return default
    try:
        start = dt.date.fromisoformat(given_from or default[0].isoformat())
        end = dt.date.fromisoformat(given_to or today.isoformat())
    except ValueError:
        return (*default[:2], "admin_error_dates")
    if end < start or (end - start).days >= dashboard.MAX_DAYS:
        return (*default[:2], "admin_error_dates")
    return start, end, ""


async def dashboard_page(request: web.Request) -> web.StreamResponse:
    admin = request.app[ADMIN]
    start, end, message = _date_range(request)
    try:
        figures = await asyncio.to_thread(
            dashboard.compute, admin.storage(), admin.conversations(), start, end
        )
    except (StorageError, ConversationStoreError, SQLAlchemyError, OSError) as error:
        log.error("admin.dashboard_failed", extra={"error": type(error).__name__})
        return refused(request, 503, "admin_error_store")
    charts = figures.charts()
    chart = request.match_info.get("chart")
    if chart:
        if chart not in charts:
            return refused(request, 404, "admin_error_not_found")
        rows = charts[chart]
        columns = tuple(rows[0]) if rows else ("empty",)
        return _csv(rows, columns, f"{chart}-{start}-{end}.csv")
    query = f"from={start.isoformat()}&to={end.isoformat()}"
    return render(
        request,
        "dashboard.html",
        charts=charts,
        start=start,
        end=end,
        range_query=query,
        message=message,
        activity=dashboard.bars(charts["activity"], "day", "messages"),
        conversations=dashboard.bars(charts["activity"], "day", "conversations"),
        fallback_bars=dashboard.bars(charts["fallbacks"], "day", "fallback_share"),
        topic_bars=dashboard.hbars(charts["topics"], "topic", "messages"),
        funnel_bars=dashboard.hbars(charts["funnel"], "step", "conversations"),
        language_bars=dashboard.hbars(charts["languages"], "language", "conversations"),
    )


async def knowledge_page(request: web.Request) -> web.Response:
    known = knowledge.get()
    stale_after = settings.ADMIN_STALE_AFTER.get()
    lang = request.match_info["lang"]
    facts = freshness.facts(known, clock.today(), stale_after, lang)
    return render(
        request,
        "knowledge.html",
        facts=facts,
        current=known.current.number,
        stale_days=stale_after.days,
        stale_count=sum(fact.stale for fact in facts),
    )


# ---- pre-applications (data officer) ----------------------------------------------------


async def applications_page(request: web.Request, message: str = "") -> web.Response:
    admin = request.app[ADMIN]
    search = request.query.get("reference", "")[:40]
    rows = await asyncio.to_thread(candidates.listing, admin.storage(), search)
    schedule = await asyncio.to_thread(candidates.schedule, admin.storage())
    return render(
        request,
        "applications.html",
        rows=rows,
        search=search,
        retention=candidates.retention(),
        schedule=schedule,
        counts=PURGE_COUNTS,
        message=message,
        done=request.query.get("done") if request.query.get("done") in DONE else "",
        purged=request.query.get("purged", "")[:40],
    )


async def application_page(request: web.Request) -> web.Response:
    admin, staff = request.app[ADMIN], request["staff"]
    reference = request.match_info["reference"]
    found = await asyncio.to_thread(candidates.record, admin.storage(), reference)
    if found is None:
        return refused(request, 404, "admin_error_not_found")
    await asyncio.to_thread(
        accounts.audit, admin.storage(), staff, "application.view", found["reference"]
    )
    return render(request, "application.html", row=found)


async def applications_export(request: web.Request) -> web.StreamResponse:
    admin, staff = request.app[ADMIN], request["staff"]
    kind = request.match_info["kind"]

    def written() -> tuple[int, bytes]:
        if kind == "xlsx":
            binary = io.BytesIO()
            return candidates.export(admin.storage(), "xlsx", binary), binary.getvalue()
        text = io.StringIO()
        return candidates.export(admin.storage(), "csv", text), text.getvalue().encode()

    count, body = await asyncio.to_thread(written)
    await asyncio.to_thread(
        accounts.audit, admin.storage(), staff, f"applications.export.{kind}", f"{count} rows"
    )
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if kind == "xlsx"
        else "text/csv; charset=utf-8"
    )
    return web.Response(
        body=body,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="pre-applications.{kind}"',
        },
    )


async def application_delete(request: web.Request) -> web.StreamResponse:
    admin, staff = request.app[ADMIN], request["staff"]
    form = await request.post()
    reference = request.match_info["reference"]
    if form.get("confirm") != "yes":
        return refused(request, 400, "admin_error_confirm")
    deleted = await asyncio.to_thread(
        candidates.delete, admin.storage(), admin.conversations(), reference
    )
    if not deleted:
        return refused(request, 404, "admin_error_not_found")
    await asyncio.to_thread(
        accounts.audit, admin.storage(), staff, "application.delete", reference.upper()
    )
    raise web.HTTPSeeOther(f"{PREFIX}/{request.match_info['lang']}/applications?done=deleted")


async def applications_purge(request: web.Request) -> web.StreamResponse:
    admin, staff = request.app[ADMIN], request["staff"]
    try:
        purged = await asyncio.to_thread(candidates.purge, admin.storage(), admin.conversations())
    except (StorageError, ConversationStoreError) as error:
        log.error("admin.purge_failed", extra={"error": type(error).__name__})
        return refused(request, 503, "admin_error_store")
    summary = "/".join(str(getattr(purged, name)) for name in PURGE_COUNTS)
    await asyncio.to_thread(accounts.audit, admin.storage(), staff, "applications.purge", summary)
    lang = request.match_info["lang"]
    raise web.HTTPSeeOther(f"{PREFIX}/{lang}/applications?done=purged&purged={summary}")


def _csv(rows: Any, columns: tuple[str, ...], filename: str) -> web.Response:
    out = io.StringIO()
    spreadsheet.write_csv(rows, columns, out)
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# ---- the sub-application ---------------------------------------------------------------


def opened_once(open_store: Callable[[], T]) -> Callable[[], T]:
    """``open_store()`` on the first call only, whichever thread makes it."""
    lock = threading.Lock()
    opened: list[T] = []

    def store() -> T:
        with lock:
            if not opened:
                opened.append(open_store())
            return opened[0]

    return store


def setup(
    app: web.Application,
    storage: Callable[[], Storage],
    conversations: Optional[Callable[[], Conversations]] = None,
    sessions: Optional[session.Sessions] = None,
) -> None:
    """The back office's routes under ``/admin/`` of the web service, each behind
    :func:`guard`; ``conversations`` defaults to the store the services use."""
    for language in LANGUAGES:
        translations(language)  # a missing catalog stops the start, not a page
    app[ADMIN] = Admin(
        storage, conversations or opened_once(Conversations), sessions or session.Sessions()
    )
    lang = PREFIX + "/{lang:fr|en}"
    routes: list[tuple[str, str, str, Handler]] = [
        ("GET", lang + "/login", "admin.login_form", login_form),
        ("POST", lang + "/login", "admin.login", login),
        ("POST", lang + "/logout", "admin.logout", logout),
        ("GET", lang + "/", "admin.inbox", inbox_page),
        ("GET", lang + "/context", "admin.context", inbox_context),
        ("POST", lang + "/decide", "admin.decide", inbox_decide),
        ("GET", lang + "/todo{format:(\\.csv)?}", "admin.todo", todo_page),
        ("GET", lang + "/pending", "admin.pending", pending_page),
        ("GET", lang + "/audit", "admin.audit", audit_page),
        ("GET", lang + "/dashboard", "admin.dashboard", dashboard_page),
        ("GET", lang + "/dashboard/{chart:[a-z]+}.csv", "admin.dashboard_csv", dashboard_page),
        ("GET", lang + "/knowledge", "admin.knowledge", knowledge_page),
        ("GET", lang + "/applications", "admin.applications", applications_page),
        ("GET", lang + "/applications/" + REFERENCE, "admin.application", application_page),
        (
            "GET",
            lang + "/applications/export.{kind:csv|xlsx}",
            "admin.applications_export",
            applications_export,
        ),
        (
            "POST",
            lang + "/applications/" + REFERENCE + "/delete",
            "admin.application_delete",
            application_delete,
        ),
        ("POST", lang + "/applications/purge", "admin.applications_purge", applications_purge),
    ]
    app.router.add_get(PREFIX + "/", root, name="admin.root")
    app.router.add_get(PREFIX, root)
    for method, path, name, handler in routes:
        app.router.add_route(method, path, guarded(name, handler), name=name)
    static = StaticFiles(STATIC, PREFIX + "/static/")  # the files listed now, nothing else
    app.router.add_get(static.pattern, static.handle, name="admin.static")
