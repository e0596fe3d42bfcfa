"""The web service (aiohttp): the demo page with the chat widget, the NLG endpoint, health, metrics.

What lives here: the app factory, its routes, middlewares and views, the page renderer
(widget catalogs, Content-Security-Policy), the privacy notice (``privacy``, gettext
domain ``privacy``), the Prometheus metrics, the widget's static files and the pages'
Jinja2 templates.

May import: aiohttp, Jinja2, ``bot.domain``, ``bot.wording`` and ``bot.infra``. Never Rasa,
``bot.rasa_server`` or ``bot.ops``.
"""
