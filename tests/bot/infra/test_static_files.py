"""Static files from the list made at start-up: a path the client wrote is never looked up
on disk, a ``Range`` is never read, gzip and revalidation as aiohttp's ``FileResponse``."""

from __future__ import annotations

import asyncio
import gzip
import os
import sys
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.infra.static_files import Entry, StaticFiles, manifest

OPENED: list[str] = []
RECORDING = False


def _audit(event: str, args: tuple) -> None:  # type: ignore[type-arg]
    if RECORDING and event in ("open", "os.listdir", "os.scandir"):
        OPENED.append(str(args[0]))


sys.addaudithook(_audit)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "static"
    (root / "build" / "abc").mkdir(parents=True)
    (root / "app.js").write_text("console.log('hello');\n" * 50)
    (root / "app.js.gz").write_bytes(gzip.compress((root / "app.js").read_bytes()))
    (root / "build" / "abc" / "page.css").write_text("body{color:red}")
    (root / ".hidden").write_text("not listed")
    (root / "with space.txt").write_text("not listed")
    (tmp_path / "secret.txt").write_text("outside the folder")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    return root


@pytest.fixture
async def client(folder: Path):
    app = web.Application()
    static = StaticFiles(folder, "/static/")
    app.router.add_get(static.pattern, static.handle)
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def raw_get(client: TestClient, target: str, headers: str = "") -> tuple[int, str, bytes]:
    """Sends ``target`` as written (a client library would normalise it)."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    request = f"GET {target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{headers}\r\n"
    writer.write(request.encode())
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), head.decode("latin-1"), body


def test_the_manifest_lists_plain_files_with_their_gzip_sibling(folder):
    entries = manifest(folder)
    assert set(entries) == {"app.js", "build/abc/page.css"}
    assert entries["app.js"] == Entry(folder / "app.js", folder / "app.js.gz")
    assert entries["build/abc/page.css"].gzipped is None


@pytest.mark.parametrize(
    "target",
    [
        "/static/nope.js",
        "/static/../secret.txt",
        "/static/build/../../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/..%2fsecret.txt",
        "/static/%61pp.js",  # app.js, encoded
        "/static/build%2fabc%2fpage.css",
        "/static/build\\abc\\page.css",
        "/static/./app.js",
        "/static//app.js",
        "/static/link.txt",
        "/static/.hidden",
        "/static/app.js.gz",
    ],
)
async def test_anything_but_a_listed_path_is_404_without_a_file_opened(client, folder, target):
    global RECORDING
    OPENED.clear()
    RECORDING = True
    try:
        status, _, body = await raw_get(client, target)
    finally:
        RECORDING = False
    assert status == 404 and b"outside the folder" not in body
    assert not [path for path in OPENED if path.startswith(str(folder.parent))]


async def test_absolute_paths_outside_the_folder_are_404(client, folder):
    secret = folder.parent / "secret.txt"
    for target in (f"/static/{secret}", f"/static/{secret.as_posix().lstrip('/')}"):
        status, _, body = await raw_get(client, target)
        assert status == 404 and b"outside" not in body


async def test_a_file_added_after_start_up_is_not_served(client, folder):
    (folder / "late.js").write_text("late")
    assert (await client.get("/static/late.js")).status == 404
    assert (await client.get("/static/app.js")).status == 200


async def test_a_range_is_ignored_even_with_non_ascii_digits(client, folder):
    whole = (folder / "app.js").read_bytes()
    for value in ("bytes=0-4", "bytes=\u0661-\u0664", "bytes=\u0967\u0968-", "bytes=x-y"):
        status, head, body = await raw_get(
            client, "/static/app.js", f"Range: {value}\r\nAccept-Encoding: identity\r\n"
        )
        assert status == 200 and body == whole, value
        assert "Accept-Ranges: none" in head and "Content-Range" not in head


async def test_gzip_for_clients_that_accept_it(client, folder):
    packed = await client.get(
        "/static/app.js", headers={"Accept-Encoding": "gzip, br"}, auto_decompress=False
    )
    assert packed.headers["Content-Encoding"] == "gzip"
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert "javascript" in packed.headers["Content-Type"]
    assert await packed.read() == (folder / "app.js.gz").read_bytes()
    plain = await client.get("/static/app.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.headers["Vary"] == "Accept-Encoding"
    assert await plain.read() == (folder / "app.js").read_bytes()
    css = await client.get("/static/build/abc/page.css", headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Type"] == "text/css" and "Content-Encoding" not in css.headers
    assert "Vary" not in css.headers and await css.text() == "body{color:red}"


async def test_head_has_the_length_and_no_body(client, folder):
    status, head, _ = await raw_get(client, "/static/app.js", "Accept-Encoding: identity\r\n")
    size = len((folder / "app.js").read_bytes())
    assert status == 200 and f"Content-Length: {size}" in head
    reply = await client.head("/static/app.js", headers={"Accept-Encoding": "identity"})
    assert reply.status == 200 and reply.headers["Content-Length"] == str(size)
    assert reply.headers["ETag"] and await reply.read() == b""


async def test_revalidation_with_etag_and_last_modified(client):
    first = await client.get("/static/build/abc/page.css")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = await client.get("/static/build/abc/page.css", headers={"If-None-Match": etag})
    assert again.status == 304 and await again.read() == b""
    since = await client.get("/static/build/abc/page.css", headers={"If-Modified-Since": modified})
    assert since.status == 304
    changed = await client.get("/static/build/abc/page.css", headers={"If-None-Match": '"x"'})
    assert changed.status == 200 and await changed.text() == "body{color:red}"
    refused = await client.get("/static/build/abc/page.css", headers={"If-Match": '"x"'})
    assert refused.status == 412


async def test_a_listed_file_removed_since_is_404(client, folder):
    (folder / "build" / "abc" / "page.css").unlink()
    assert (await client.get("/static/build/abc/page.css")).status == 404


async def test_the_list_is_made_again_when_the_build_stamp_changes(folder):
    stamp = folder / "build" / "manifest.json"
    stamp.write_text("{}")
    static = StaticFiles(folder, "/static/", refresh_on=stamp)
    (folder / "build" / "def").mkdir()
    (folder / "build" / "def" / "page.css").write_text("new")
    assert static.entry_for("/static/build/def/page.css") is None
    os.utime(stamp, ns=(0, stamp.stat().st_mtime_ns + 1_000_000_000))
    entry = static.entry_for("/static/build/def/page.css")
    assert entry is not None and entry.path == folder / "build" / "def" / "page.css"


def test_the_prefix_is_a_folder():
    with pytest.raises(ValueError):
        StaticFiles(Path("."), "/static")
