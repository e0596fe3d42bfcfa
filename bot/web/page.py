"""The programme's demo page with the chat widget, in French and English.

The page and the widget have their own gettext domain, ``widget``
(``locales/{fr,en}/LC_MESSAGES/widget.po``), apart from the bot's ``messages``. Page text
is rendered here in the page's language; the strings the widget's script needs are
rendered in both languages as JSON in a data attribute, so its FR/EN toggle works with
no inline script. ``W_`` translates now; ``WN_`` only marks a msgid for extraction.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import jinja2
from babel.support import NullTranslations, Translations

from bot import ROOT
from bot.domain.knowledge import Knowledge
from bot.domain.nlu_keys import MAX_CHARS
from bot.wording import i18n, privacy

DOMAIN = "widget"
TEMPLATES = ROOT / "bot" / "web" / "templates"
STATIC = ROOT / "bot" / "web" / "static"
VENDOR = STATIC / "vendor"
BUILD_MANIFEST = STATIC / "build" / "manifest.json"  # written by `make assets`
_BUILD_BASE = re.compile(r"/static/build/[0-9a-f]{16}/")
# For everything that is not the page: JSON, static files.
STRICT_CSP = "default-src 'none'; frame-ancestors 'none'"
_HOST = re.compile(r"^[A-Za-z0-9.\-]+$|^\[[0-9A-Fa-f:.]+\]$")
_PORT = re.compile(r"(:[0-9]{1,5})?")


@dataclass(frozen=True)
class PageConfig:
    """Where the page's widget finds Rasa's socket.io: the page's host name on
    ``socket_port`` (``make run``), or, when ``same_origin`` is set, the page's own origin
    (behind a reverse proxy that routes ``/socket.io/`` to Rasa: ``make run-cluster``)."""

    socket_port: int = 5005
    socket_path: str = "/socket.io"
    same_origin: bool = False


@cache
def translations(language: str) -> NullTranslations:
    mo = i18n.LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        raise i18n.CatalogMissing(f"{mo} is missing: run `make catalogs`")
    return Translations.load(str(i18n.LOCALES_DIR), [language], DOMAIN)


def W_(msgid: str) -> str:
    """The widget-domain translation of ``msgid`` in the current language."""
    return translations(i18n.current_language.get()).gettext(msgid)


def WN_(msgid: str) -> str:
    """Marks ``msgid`` for extraction into ``locales/widget.pot``; translated later."""
    return msgid


# The strings widget.js uses; each language's set goes into the page.
SCRIPT_STRINGS = (
    WN_("chat_launcher"),
    WN_("chat_title"),
    WN_("chat_intro"),
    WN_("chat_close"),
    WN_("chat_new"),
    WN_("chat_new_started"),
    WN_("chat_language_name"),
    WN_("chat_language_switch"),
    WN_("chat_language_request"),
    WN_("chat_history"),
    WN_("chat_input_label"),
    WN_("chat_input_placeholder"),
    WN_("chat_send"),
    WN_("chat_you"),
    WN_("chat_bot"),
    WN_("chat_typing"),
    WN_("chat_connecting"),
    WN_("chat_reconnecting"),
    WN_("chat_offline_detail"),
    WN_("chat_reconnected"),
    WN_("chat_retry"),
    WN_("chat_pending"),
    WN_("chat_suggestions"),
    WN_("chat_new_window"),
    WN_("chat_privacy_notice"),
    WN_("chat_privacy_link"),
    WN_("chat_count"),
    WN_("chat_too_long"),
    WN_("chat_new_confirm"),
    WN_("chat_new_confirm_yes"),
    WN_("chat_new_confirm_no"),
    WN_("chat_feedback_question"),
    WN_("chat_feedback_yes"),
    WN_("chat_feedback_no"),
    WN_("chat_feedback_comment"),
    WN_("chat_feedback_send"),
    WN_("chat_feedback_thanks"),
    WN_("chat_feedback_failed"),
)


def text_in(language: str, msgid: str) -> str:
    """The widget-domain translation of ``msgid`` in ``language``."""
    return translations(language).gettext(msgid)


def script_strings() -> dict[str, dict[str, str]]:
    """``{"fr": {msgid: text}, "en": {…}}`` for the widget's script."""
    return {
        language: {msgid: text_in(language, msgid) for msgid in SCRIPT_STRINGS}
        for language in i18n.LANGUAGES
    }


def other_language(language: str) -> str:
    return next(code for code in i18n.LANGUAGES if code != language)


def host_name(host: str | None) -> str | None:
    """The host name of a ``Host`` header, fit for an origin, or None if it looks wrong.

    ``localhost:8000`` → ``localhost``; ``[::1]:8000`` → ``[::1]``.
    """
    if not host:
        return None
    if host.startswith("["):
        name = host[: host.find("]") + 1]
    else:
        name, colon, port = host.rpartition(":")
        if not colon or not port.isdigit():
            name = host
    return name if _HOST.match(name) else None


def socket_origins(host: str | None, secure: bool, config: PageConfig) -> list[str]:
    """The origins the page's script may connect to for socket.io (HTTP and WebSocket):
    the page's host name (from its ``Host`` header) on Rasa's port."""
    name = host_name(host)
    if name is None or host is None:
        return []
    http, ws = ("https", "wss") if secure else ("http", "ws")
    if config.same_origin:  # 'self' covers HTTP; WebSocket to the same host, spelled out
        port = host[len(name) :]
        return [f"{ws}://{name}{port}"] if _PORT.fullmatch(port) else []
    return [f"{http}://{name}:{config.socket_port}", f"{ws}://{name}:{config.socket_port}"]


def content_security_policy(connect: list[str]) -> str:
    """Scripts, styles and fonts from this service only; no inline script or style."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "manifest-src 'self'",
            "connect-src " + " ".join(["'self'", *connect]),
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


@dataclass(frozen=True)
class Assets:
    """Where the page's files are: the current build of ``make assets``
    (``bot.ops.assets``: DSFR's parts the page uses, fingerprinted, precompressed, served
    with a year's cache), or the plain files when there is no build."""

    page_css: str
    widget_css: str
    widget_js: str
    socketio_js: str
    favicon: str
    fonts: tuple[str, ...] = ()  # preloaded: they arrive with the stylesheet, no late reflow

    @classmethod
    def at(cls, base: str) -> Assets:
        return cls(
            page_css=base + "dsfr/page.min.css",
            widget_css=base + "eig-chat.bundle.css",
            widget_js=base + "eig-chat.js",
            socketio_js=base + "socket.io.min.js",
            favicon=base + "vendor/dsfr/favicon/favicon.svg",
            fonts=tuple(
                f"{base}vendor/dsfr/fonts/Marianne-{weight}.woff2"
                for weight in ("Regular", "Medium", "Bold")
            ),
        )


UNBUILT = Assets(
    page_css="/static/vendor/dsfr/dsfr.min.css",
    widget_css="/static/eig-chat.css",
    widget_js="/static/eig-chat.js",
    socketio_js="/static/vendor/socket.io/socket.io.min.js",
    favicon="/static/vendor/dsfr/favicon/favicon.svg",
)


def assets() -> Assets:
    """The current build's addresses (read again when ``make assets`` rebuilds)."""
    try:
        stamp = BUILD_MANIFEST.stat().st_mtime_ns
    except OSError:
        return UNBUILT
    return _assets_of(stamp)


@lru_cache(maxsize=4)
def _assets_of(stamp: int) -> Assets:
    try:
        base = json.loads(BUILD_MANIFEST.read_text("utf-8")).get("base")
    except (OSError, ValueError, AttributeError):
        return UNBUILT
    if not isinstance(base, str) or not _BUILD_BASE.fullmatch(base):
        return UNBUILT
    return Assets.at(base)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["W_"] = W_
    return env


def render(language: str, config: PageConfig, known: Knowledge) -> str:
    """The page in ``language`` (``fr`` or ``en``), widget included."""
    with i18n.using(language) as lang:
        other = other_language(lang)
        context: dict[str, Any] = {
            "lang": lang,
            "other": other,
            "other_name": text_in(other, "chat_language_name"),
            "other_switch": text_in(other, "chat_language_switch"),
            "links": known.programme.links,
            "email": known.programme.contact.email,
            # The privacy notice, linked before the first message; the widget's language
            # toggle fills {lang} in.
            "privacy_href": privacy.notice_path(lang),
            "privacy_href_pattern": privacy.notice_path("{lang}"),
            "socket_port": config.socket_port,
            "socket_path": config.socket_path,
            "max_chars": MAX_CHARS,  # the NLU reads no more; the widget says so
            # socket.io's client reads "/" as the page's own origin.
            "socket_url": "/" if config.same_origin else "",
            "strings": json.dumps(script_strings(), ensure_ascii=False, sort_keys=True),
            "assets": assets(),
        }
        return _environment().get_template("page.html").render(**context)


def assets_missing() -> bool:
    """True when ``make assets`` has not copied DSFR and socket.io into bot/web/static/vendor
    and built the page's files."""
    return not (VENDOR / "socket.io" / "socket.io.min.js").exists() or assets() is UNBUILT
