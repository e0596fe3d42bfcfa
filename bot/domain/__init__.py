"""The programme's rules and facts, with no framework around them.

What lives here: the clock (today, or ``EIG_TODAY`` for demos), the typed knowledge base
loaded from ``data/knowledge/`` (promotions, salaries, dates, webinars, hosts, sources),
the schedule of the call for applications, the fit of a candidate's answers with the
profiles sought, the host check for administrations, the language rules (which language a
text is in, when to switch), the reading of free-text form answers (years, roles, e-mail
addresses, first names) and the rules of each stored field (``fields``: limits, formats,
consent), the reading of a question's case and clauses (``question``: years, promotion,
profile, follow-ups, two questions in one, which FAQ topics to answer), what a question
is about (``asked``: the clauses that set a topic aside, which kind of question the texts
do not answer), and the keys the NLU pipeline puts on a parsed message.

May import: the standard library, ``pydantic``, ``yaml``, ``lingua`` (the language
detector, loaded on first use), ``text2num`` (numbers written in words) and ``bot.infra``.
Never Rasa, rasa-sdk, aiohttp, Sanic or SQLAlchemy, and no other ``bot`` subpackage: every
process uses it.
"""
