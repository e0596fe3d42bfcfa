"""The one clock every date decision reads, so demos and tests can pin "today"."""

from __future__ import annotations

import datetime as dt

from bot.infra import settings

ENV_VAR = settings.TODAY.name


def today() -> dt.date:
    """Today's date, or the date in ``EIG_TODAY`` (``YYYY-MM-DD``) when it is set.

    A malformed date is a ``ValueError`` naming the variable: a request fails, not the
    process (``python -m bot check`` refuses it at start-up).
    """
    try:
        pinned = settings.TODAY.get()
    except settings.InvalidSetting as error:
        raise ValueError(str(error)) from None
    return pinned or dt.date.today()
