"""Signed, expiring links: what an e-mail's link does, to which row, and until when.

A token is ``[row id, address digest]`` signed with ``EIG_LINK_SECRET`` (itsdangerous,
HMAC-SHA256 and a timestamp; the purpose is signed with the row): it names no address, cannot be
forged or moved to another purpose, and expires after the purpose's ``max_age``. Its URL
is ``EIG_PUBLIC_URL/<lang>/mail/<action>?t=<token>``, served by the web service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from bot.applications.mailing import APPLICATION, NOTIFICATION

# purpose → (table kind, the page's action)
PURPOSES = {
    "confirm-notification": (NOTIFICATION, "confirm"),
    "confirm-application": (APPLICATION, "confirm"),
    "unsubscribe": (NOTIFICATION, "unsubscribe"),
    "delete-application": (APPLICATION, "delete"),
}
ACTIONS = ("confirm", "unsubscribe", "delete")


class LinkInvalid(Exception):
    """Forged, damaged, for another purpose, or expired. Says nothing more."""


@dataclass(frozen=True)
class Target:
    purpose: str
    kind: str
    row_id: int
    digest: str


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        secret, salt="eig-mail-link", signer_kwargs={"digest_method": hashlib.sha256}
    )


def sign(secret: str, purpose: str, row_id: int, digest: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    return str(_serializer(secret).dumps([purpose, row_id, digest]))


def read(secret: str, token: str, action: str, max_age: dict[str, dt.timedelta]) -> Target:
    """The row a token names for ``action``, or :class:`LinkInvalid`."""
    serializer = _serializer(secret)
    try:
        payload: Any = serializer.loads(token, max_age=None)
    except BadSignature:
        raise LinkInvalid() from None
    if (
        not isinstance(payload, list)
        or len(payload) != 3
        or payload[0] not in PURPOSES
        or not isinstance(payload[1], int)
        or not isinstance(payload[2], str)
    ):
        raise LinkInvalid()
    purpose, row_id, digest = payload
    kind, purpose_action = PURPOSES[purpose]
    if purpose_action != action:
        raise LinkInvalid()
    try:
        serializer.loads(token, max_age=int(max_age[purpose].total_seconds()))
    except SignatureExpired:
        raise LinkInvalid() from None
    return Target(purpose, kind, row_id, digest)


def url(public_url: str, language: str, purpose: str, token: str) -> str:
    action = PURPOSES[purpose][1]
    return f"{public_url}/{language}/mail/{action}?{urlencode({'t': token})}"
