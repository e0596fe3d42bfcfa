"""The privacy notice, ``/fr/donnees-personnelles`` and ``/en/donnees-personnelles``.

A DSFR page that says, as the CNIL asks of a public service's chatbot, who is responsible,
what is processed and why, on which legal basis, for how long, who sees it, the rights and
how to use them (deletion through the assistant included), the data protection officer's
contact and the right to complain to the CNIL. Its wording is the gettext domain
``privacy`` (``locales/{fr,en}/LC_MESSAGES/privacy.po``, ``P_()`` in the template); the
header and footer reuse the page's ``widget`` strings. What it says that varies comes from
``bot.wording.privacy``: the controller and the contact address from the knowledge base,
each retention period from its ``EIG_RETENTION_*`` setting, the officer's address from
``EIG_DPO_EMAIL``. The chat widget links to it before the first message, and the consent
questions carry its address.

The page has no script: its Content-Security-Policy allows the DSFR style sheet and fonts
only.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from aiohttp import web
from babel.support import NullTranslations, Translations

from bot.domain.knowledge import Knowledge
from bot.web import page, views
from bot.wording import i18n, privacy

DOMAIN = "privacy"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)


@cache
def translations(language: str) -> NullTranslations:
    mo = i18n.LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not mo.exists():
        raise i18n.CatalogMissing(f"{mo} is missing: run `make catalogs`")
    return Translations.load(str(i18n.LOCALES_DIR), [language], DOMAIN)


def P_(msgid: str) -> str:
    """The ``privacy``-domain translation of ``msgid`` in the current language."""
    return translations(i18n.current_language.get()).gettext(msgid)


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(page.TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["W_"] = page.W_
    env.globals["P_"] = P_
    return env


def context(language: str, known: Knowledge) -> dict[str, Any]:
    """What the notice says that comes from the knowledge base and the settings."""
    run_by = known.programme.run_by
    return {
        "lang": language,
        "other": page.other_language(language),
        "path": privacy.PATH,
        "directorate": run_by.directorate,
        "directorate_name": run_by.directorate_name.get(language),
        "department": run_by.department,
        "email": known.programme.contact.email,
        "dpo_email": privacy.dpo_email(),
        "retention": privacy.retention(language),
        "links": known.programme.links,
        "cnil_url": privacy.CNIL_COMPLAINT_URL,
    }


def render(language: str, known: Knowledge) -> str:
    """The notice in ``language`` (``fr`` or ``en``)."""
    with i18n.using(language) as lang:
        return _environment().get_template("privacy.html").render(**context(lang, known))


async def notice(request: web.Request) -> web.Response:
    """``GET /{fr,en}/donnees-personnelles``."""
    html = render(request.match_info["lang"], request.app[views.KNOWLEDGE])
    return web.Response(
        text=html,
        content_type="text/html",
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"},
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/{lang:fr|en}/" + privacy.PATH, notice)
