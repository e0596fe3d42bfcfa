"""Plumbing shared by every process: settings, logs, client addresses, rate limits, tokens.

What lives here: the one settings module declaring every ``EIG_*`` variable, the JSON log
set-up with personal data kept out, the client address behind trusted proxies, the rate
limiter, and the shared-secret tokens that guard internal endpoints.

May import: the standard library and small libraries (``limits``, ``aiohttp_remotes``
types). Never another ``bot`` subpackage, Rasa or SQLAlchemy.
"""
