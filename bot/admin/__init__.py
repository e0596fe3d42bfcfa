"""The back office under ``/admin/``: the programme team's staff sign in, triage what the
assistant did not understand into training examples or a content to-do list, read how it
is doing, and (data officers only) handle the pre-applications.

What lives here: staff accounts and their rights (``accounts``: argon2 hashes, lockout,
roles, the audit log of personal-data access), the signed session cookie and CSRF tokens
(``session``), the inbox and its decisions (``inbox``), the merge of pending training
examples into ``data/nlu/`` (``training``), the aiohttp sub-application and its pages
(``app``, ``templates/``, gettext domain ``admin``). ``bot.web`` mounts it; the command line
(``python -m bot staff``, ``python -m bot training merge``) uses the same code.

May import: aiohttp, Jinja2, argon2, itsdangerous, SQLAlchemy, ``bot.applications``,
``bot.wording``, ``bot.domain`` and ``bot.infra``. Never Rasa, ``bot.web``,
``bot.rasa_server`` or ``bot.ops``.
"""
