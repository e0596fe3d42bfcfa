"""Alembic environment: the same database as bot.applications.storage (``DATABASE_URL`` or var/ SQLite).

Run through ``python -m bot applications migrate`` (or ``Storage.migrate()``), which hands
over its own connection; ``alembic -c migrations/alembic.ini <command>`` also works.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from bot.applications import storage

config = context.config
target_metadata = storage.metadata


def run_offline() -> None:
    url = config.get_main_option("sqlalchemy.url") or storage.database_url()
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or storage.database_url()
    engine = sa.create_engine(storage.database_url(url), future=True, hide_parameters=True)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
