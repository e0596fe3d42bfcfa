"""The pages the e-mails' links open: ``/<lang>/mail/<action>?t=<token>``.

``GET`` shows what the link will do, with a button; only the ``POST`` of that button (or a
mail client's RFC 8058 one-click ``POST`` to an unsubscribe link) does it, so that a mail
scanner fetching links confirms or deletes nothing. The token is checked by ``bot.mail``
(signature, purpose, expiry, row still there); an invalid one gets the same page whatever
is wrong with it. DSFR pages in the path's language, wording from the ``mail`` catalogs.
"""

from __future__ import annotations

import asyncio
import logging
from functools import cache
from typing import Optional

import jinja2
from aiohttp import web

from bot.mail import sender
from bot.mail.service import Mail
from bot.web.page import TEMPLATES, content_security_policy
from bot.wording import i18n
from bot.wording import mail as wording

log = logging.getLogger(__name__)

MAIL: web.AppKey[dict[str, Optional[Mail]]] = web.AppKey("mail")
MAX_TOKEN = 400


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["M_"] = wording.M_
    return env


def _service(app: web.Application) -> Optional[Mail]:
    """The e-mail flows, opened on first use; None when e-mail is off."""
    holder = app[MAIL]
    if "service" not in holder:
        holder["service"] = Mail.from_settings() if sender.configured() else None
    return holder["service"]


def _page(lang: str, action: str, state: str, token: str = "", status: int = 200) -> web.Response:
    title, text, button, done = wording.PAGES[action]
    with i18n.using(lang):
        message = {
            "done": wording.M_(done),
            "invalid": wording.M_("mail_page_invalid"),
            "unavailable": wording.M_("mail_page_unavailable"),
        }.get(state, "")
        html = _environment().get_template("mail_link.html").render(
            lang=lang, title=wording.M_(title), text=wording.M_(text),
            button=wording.M_(button), message=message, state=state, token=token,
        )  # fmt: skip
    return web.Response(
        text=html,
        status=status,
        content_type="text/html",
        headers={
            "Content-Security-Policy": content_security_policy([]),
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
        },
    )


async def link_page(request: web.Request) -> web.Response:
    lang, action = request.match_info["lang"], request.match_info["action"]
    token = request.query.get("t", "")
    if request.method == "POST":
        form = await request.post()
        posted = form.get("t")
        token = posted if isinstance(posted, str) and posted else token
    if not token or len(token) > MAX_TOKEN:
        return _page(lang, action, "invalid", status=400)
    service = _service(request.app)
    if service is None:
        return _page(lang, action, "unavailable", status=503)
    if request.method == "GET":
        valid = await asyncio.to_thread(service.check, action, token)
        return _page(lang, action, "ask" if valid else "invalid", token, 200 if valid else 400)
    done = await asyncio.to_thread(service.follow, action, token)
    return _page(lang, action, "done" if done else "invalid", status=200 if done else 400)


def setup(app: web.Application) -> None:
    app[MAIL] = {}
    path = r"/{lang:fr|en}/mail/{action:confirm|unsubscribe|delete}"
    app.router.add_get(path, link_page)
    app.router.add_post(path, link_page)
