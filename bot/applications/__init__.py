"""The applications database: pre-applications, notification requests and their rules.

What lives here: the SQLAlchemy tables and the functions that store, read, export, delete
and purge a candidate's pre-application and e-mail notification requests, with the consent
check at the point of storage. SQLite by default, PostgreSQL by ``DATABASE_URL``; schema
changes are Alembic migrations in ``migrations/``. ``conversations`` reaches Rasa's
conversation store (its ``events`` table) with SQLAlchemy alone, and ``lifecycle`` applies
the personal-data rules across both stores: erasure on request, purge after retention.

May import: SQLAlchemy, ``bot.domain`` and ``bot.infra``. Never Rasa, aiohttp or the other
subpackages. The action server stores through it; the command line purges and exports.
"""
