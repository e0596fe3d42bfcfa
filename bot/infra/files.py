"""Database files readable by their owner only.

SQLite databases (the single-machine profile's conversations and applications) hold
personal data; created with the process's umask they would be readable by every local
user. ``private_database`` creates the file with mode 0600 before SQLite opens it, or
brings an existing one (and its journal or write-ahead log) back to 0600: SQLite gives
its journals the database file's mode.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

PRIVATE = 0o600
_SQLITE_SCHEMES = ("sqlite://", "sqlite+pysqlite://")
_COMPANIONS = ("-journal", "-wal", "-shm")


def sqlite_path(url: str) -> Optional[Path]:
    """The file of a ``sqlite:///path`` URL; None for another database or an in-memory one."""
    for scheme in _SQLITE_SCHEMES:
        if url.startswith(scheme):
            rest = url[len(scheme) :]
            path = rest[1:] if rest.startswith("/") else None  # sqlite:///relative, ////abs
            path = (path or "").split("?")[0]
            return Path(path) if path and path != ":memory:" else None
    return None


def private_file(path: Path) -> Path:
    """``path`` created empty with mode 0600 if missing, else set to 0600 with its
    SQLite companions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE))
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in _COMPANIONS)):
        if candidate.exists():
            candidate.chmod(PRIVATE)
    return path


def private_database(url: str) -> Optional[Path]:
    """The SQLite file of ``url`` made private (see the module); None for PostgreSQL."""
    path = sqlite_path(url)
    return private_file(path) if path else None
