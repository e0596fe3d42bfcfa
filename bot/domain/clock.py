"""The one clock every date decision reads, so demos and tests can pin "today"."""

from __future__ import annotations

import datetime as dt
import os

ENV_VAR = "EIG_TODAY"


def today() -> dt.date:
    """Today's date, or the date in ``EIG_TODAY`` (``YYYY-MM-DD``) when it is set."""
    pinned = os.environ.get(ENV_VAR, "").strip()
    if pinned:
        try:
            return dt.date.fromisoformat(pinned)
        except ValueError as error:
            raise ValueError(f"{ENV_VAR}={pinned!r} is not a YYYY-MM-DD date") from error
    return dt.date.today()
