"""Everything the assistant says, rendered in the conversation's language.

What lives here: gettext (the locale in a ``ContextVar``, catalogs compiled from
``locales/``), the domain.yml extractor for the catalogs, the answers to FAQ topics built
from the knowledge base, the wording of the pre-application's questions and summaries,
the NLG endpoint's rendering of a response name plus arguments into text and buttons, the
calendar (.ics) files of webinars, and what the privacy notice and the consent questions
read from the settings (``privacy``: retention periods, the notice's address).

May import: ``bot.domain``, ``bot.infra``, Babel, Jinja2 and ``icalendar``. Never Rasa,
aiohttp, SQLAlchemy or ``bot.applications``: the web service, the Rasa server and the
action server all render through it.
"""
