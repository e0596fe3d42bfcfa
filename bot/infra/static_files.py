"""Static files served from a list made at start-up, never from a path the client wrote.

aiohttp's ``web.static`` looks up whatever path comes in (CVE-2025-69226: with absolute
path components it tells whether a file exists anywhere) and reads ``Range`` with
non-ASCII digits (CVE-2025-69225); the fixes are in aiohttp releases Rasa 3.6 does not
allow. ``StaticFiles`` lists the regular files under its folder once (the manifest:
relative POSIX path -> file, with its ``.gz`` sibling when ``make assets`` wrote one,
``bot.ops.assets``) and serves a request only when the raw path after the prefix is
exactly a manifest key: an unknown, absolute, ``..``, percent-encoded or backslash path is
a 404 without any filesystem call. Only names made of letters, digits, ``.``, ``_`` and
``-`` are listed, so a key never needs percent-encoding.

A file is read when it is asked for (in a worker thread; files are small) and sent whole:
``Range`` is never read (a 200 with the full body, ``Accept-Ranges: none``), so its
parsing is unreachable; a client may ask for a range, a server may ignore it (RFC 9110,
14.2), and refusing it with a 416 would break a client that asks for ranges of files it
could read whole. Headers as aiohttp's ``FileResponse`` sends them: Content-Type from the
file's name, ETag and Last-Modified of the file sent, 304 for ``If-None-Match`` or
``If-Modified-Since``, 412 for ``If-Match`` or ``If-Unmodified-Since``, the ``.gz`` with
``Content-Encoding: gzip`` to a client that accepts gzip, and ``Vary: Accept-Encoding``
for any file that has one. Cache lifetimes are the app's business (its middlewares).

``refresh_on`` names a file whose change means a new build (``build/manifest.json``,
which ``make assets`` rewrites): the list is made again when its modification time
changes, so a service left running serves a new build as the page starts naming it.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from aiohttp import hdrs, web
from aiohttp.helpers import ETAG_ANY, ETag
from multidict import CIMultiDict

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
GZIP_SUFFIX = ".gz"


@dataclass(frozen=True)
class Entry:
    """A file that may be sent, and its gzip-precompressed sibling if there is one."""

    path: Path
    gzipped: Optional[Path] = None


def manifest(root: Path) -> dict[str, Entry]:
    """Every regular file under ``root`` whose every path part is a plain name, by its
    relative POSIX path; a ``.gz`` beside a listed file is that file's compressed form, not
    an entry of its own. Symbolic links are neither followed nor listed."""
    found: dict[str, Path] = {}
    for directory, subdirectories, files in os.walk(root, followlinks=False):
        here = Path(directory)
        subdirectories[:] = sorted(d for d in subdirectories if _NAME.fullmatch(d))
        for name in files:
            path = here / name
            if _NAME.fullmatch(name) and path.is_file() and not path.is_symlink():
                found[path.relative_to(root).as_posix()] = path
    entries = {}
    for key, path in found.items():
        if key.endswith(GZIP_SUFFIX) and key[: -len(GZIP_SUFFIX)] in found:
            continue
        entries[key] = Entry(path, found.get(key + GZIP_SUFFIX))
    return entries


class StaticFiles:
    """The aiohttp handler of ``<prefix>{path}`` over the files listed under ``root``."""

    def __init__(self, root: Path, prefix: str, refresh_on: Optional[Path] = None) -> None:
        if not prefix.startswith("/") or not prefix.endswith("/"):
            raise ValueError(f"the prefix must start and end with '/': {prefix!r}")
        self.root = root
        self.prefix = prefix
        self.refresh_on = refresh_on
        self._lock = threading.Lock()
        self._stamp = self._stamp_now()
        self._entries: Mapping[str, Entry] = manifest(root)

    @property
    def pattern(self) -> str:
        """The route's path: the prefix and anything after it (the handler decides)."""
        return self.prefix + "{path:.+}"

    def entries(self) -> Mapping[str, Entry]:
        """The manifest, made again if the build stamp changed since it was made."""
        if self.refresh_on is None:
            return self._entries
        stamp = self._stamp_now()
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._entries, self._stamp = manifest(self.root), stamp
        return self._entries

    def _stamp_now(self) -> Optional[int]:
        if self.refresh_on is None:
            return None
        try:
            return self.refresh_on.stat().st_mtime_ns
        except OSError:
            return None

    def entry_for(self, raw_path: str) -> Optional[Entry]:
        """The manifest's entry for a request's raw (still percent-encoded) path, if any."""
        if not raw_path.startswith(self.prefix):
            return None
        return self.entries().get(raw_path[len(self.prefix) :])

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.refresh_on is not None:
            entry = await asyncio.to_thread(self.entry_for, request.rel_url.raw_path)
        else:
            entry = self.entry_for(request.rel_url.raw_path)
        if entry is None:
            raise web.HTTPNotFound()
        gzip = entry.gzipped is not None and accepts_gzip(request)
        sent = entry.gzipped if gzip and entry.gzipped is not None else entry.path
        read_body = request.method != hdrs.METH_HEAD
        try:
            size, mtime_ns, body = await asyncio.to_thread(_read, sent, read_body)
        except OSError:  # removed since the list was made (a new build)
            raise web.HTTPNotFound() from None
        etag = f"{mtime_ns:x}-{size:x}"
        mtime = mtime_ns / 1e9
        headers: CIMultiDict[str] = CIMultiDict()
        headers[hdrs.ACCEPT_RANGES] = "none"
        if entry.gzipped is not None:
            headers[hdrs.VARY] = hdrs.ACCEPT_ENCODING
        precondition = _precondition(request, etag, mtime)
        if precondition is not None:
            response = web.Response(status=precondition, headers=headers)
        else:
            content_type = mimetypes.guess_type(entry.path.name)[0] or "application/octet-stream"
            headers[hdrs.CONTENT_TYPE] = content_type
            if gzip:
                headers[hdrs.CONTENT_ENCODING] = "gzip"
            if not read_body:  # HEAD: the length of what a GET would get, no body
                headers[hdrs.CONTENT_LENGTH] = str(size)
            response = web.Response(body=body if read_body else None, headers=headers)
        if precondition != 412:
            response.etag = etag  # type: ignore[assignment]
            response.last_modified = mtime  # type: ignore[assignment]
        return response


def accepts_gzip(request: web.Request) -> bool:
    """As aiohttp's ``FileResponse`` decides (``gzip`` anywhere in ``Accept-Encoding``)."""
    return "gzip" in request.headers.get(hdrs.ACCEPT_ENCODING, "").lower()


def _read(path: Path, body: bool) -> tuple[int, int, bytes]:
    with path.open("rb") as handle:
        status = os.fstat(handle.fileno())
        return status.st_size, status.st_mtime_ns, handle.read() if body else b""


def _strong_match(etag: str, etags: tuple[ETag, ...]) -> bool:
    if len(etags) == 1 and etags[0].value == ETAG_ANY:
        return True
    return any(candidate.value == etag for candidate in etags if not candidate.is_weak)


def _precondition(request: web.Request, etag: str, mtime: float) -> Optional[int]:
    """412 or 304 as RFC 9110, 13.2.2 orders them (``FileResponse``'s checks), else None."""
    if_match = request.if_match
    if if_match is not None and not _strong_match(etag, if_match):
        return 412
    unmodified_since = request.if_unmodified_since
    if if_match is None and unmodified_since is not None and mtime > unmodified_since.timestamp():
        return 412
    if_none_match = request.if_none_match
    if if_none_match is not None and _strong_match(etag, if_none_match):
        return 304
    modified_since = request.if_modified_since
    if if_none_match is None and modified_since is not None and mtime <= modified_since.timestamp():
        return 304
    return None
