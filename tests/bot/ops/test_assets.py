"""The chat page's built files (``make assets``): DSFR's parts the page uses, every url()
pointing to a file that is there, fingerprinted, gzip-precompressed."""

from __future__ import annotations

import gzip
import json
import posixpath
import re
import shutil
from pathlib import Path

import pytest

from bot.ops import assets

pytestmark = pytest.mark.skipif(
    not (assets.VENDOR / "socket.io" / "socket.io.min.js").exists()
    or not assets.DSFR_DIST.exists(),
    reason="DSFR and socket.io are missing: run `make assets`",
)


def test_urls_are_rebased_to_the_files_new_place():
    css = "a{background:url(../../icons/system/close-line.svg)}b{src:url('../fonts/M.woff2?v=1')}"
    rebased = assets.rebase_urls(css, "vendor/dsfr/component/button/x.css", "dsfr/page.min.css")
    assert rebased == (
        "a{background:url(../vendor/dsfr/icons/system/close-line.svg)}"
        "b{src:url('../vendor/dsfr/component/fonts/M.woff2?v=1')}"
    )
    data = 'c{background:url("data:image/svg+xml;charset=utf8,%3Csvg%3E")}'
    assert assets.rebase_urls(data, "a/b.css", "c.css") == data


def test_only_the_wanted_rules_are_picked_with_their_media_query():
    css = (
        "/*! banner */.fr-icon-a:before{x:1}.fr-icon-ab:before{x:2}"
        "@media (forced-colors:active){.fr-icon-a:before{y:1}.fr-icon-b:before{y:2}}"
    )
    assert assets.pick_rules(css, ("fr-icon-a",)) == (
        ".fr-icon-a:before{x:1}@media (forced-colors:active){.fr-icon-a:before{y:1}}"
    )


@pytest.fixture
def static(tmp_path) -> Path:
    root = tmp_path / "static"
    shutil.copytree(assets.VENDOR, root / "vendor")
    for name in ("eig-chat.js", "eig-chat.css"):
        shutil.copy2(assets.STATIC / name, root / name)
    return root


def test_a_build_is_fingerprinted_precompressed_and_self_contained(static):
    base = assets.build(static=static)
    assert re.fullmatch(r"/static/build/[0-9a-f]{16}/", base)
    built = static / "build" / base.split("/")[3]
    manifest = json.loads((static / "build" / "manifest.json").read_text())
    assert manifest == {"base": base}
    page = (built / "dsfr" / "page.min.css").read_text()
    full = (assets.VENDOR / "dsfr" / "dsfr.min.css").stat().st_size
    assert ".fr-btn" in page and ".fr-header" in page and ".fr-input" in page
    assert ".fr-accordion" not in page and ".fr-table" not in page  # not on the page
    assert len(page.encode()) < full / 2
    widget = (built / "eig-chat.bundle.css").read_text()
    assert ".fr-icon-chat-3-line" in widget and ".fr-icon-send-plane-fill" in widget
    assert ".fr-icon-chat-2-fill" not in widget  # only the icons the widget shows
    assert ".eig-chat__dialog" in widget
    for css_path in (built / "dsfr" / "page.min.css", built / "eig-chat.bundle.css"):
        for url in re.findall(r"url\(['\"]?(?!data:)([^)'\"?]+)", css_path.read_text()):
            target = css_path.parent / posixpath.normpath(url)
            assert target.resolve().is_file(), (css_path.name, url)
    for path in built.rglob("*"):
        if path.suffix in (".css", ".js", ".svg"):
            packed = path.with_name(path.name + ".gz")
            assert gzip.decompress(packed.read_bytes()) == path.read_bytes()
    # The same files give the same address; a change gives a new one and the old goes.
    assert assets.build(static=static) == base
    (static / "eig-chat.js").write_text((static / "eig-chat.js").read_text() + "\n// x\n")
    newer = assets.build(static=static)
    assert newer != base
    assert sorted(p.name for p in (static / "build").iterdir()) == sorted(
        [newer.split("/")[3], "manifest.json"]
    )


def test_rules_for_classes_the_page_never_uses_are_dropped():
    css = (
        "@font-face{font-family:M}html{color:red}[class^=fr-icon-]:before{x:1}"
        ".fr-btn,.fr-tag{a:1}.fr-tag{b:2}.fr-btn:not(.fr-tag){c:3}"
        "@media (min-width:48em){.fr-col-md-6{d:4}.fr-col-lg-2{e:5}}"
        "@media (min-width:62em){.fr-col-lg-2{f:6}}"
    )
    used = frozenset({"fr-btn", "fr-col-md-6"})
    assert assets.purge(css, used) == (
        "@font-face{font-family:M}html{color:red}[class^=fr-icon-]:before{x:1}"
        ".fr-btn{a:1}.fr-btn:not(.fr-tag){c:3}@media (min-width:48em){.fr-col-md-6{d:4}}"
    )


def test_the_classes_the_page_and_widget_write_are_found():
    used = assets.used_classes()
    # The template's, and those the widget's script puts on elements it makes.
    assert {"fr-header", "fr-skiplinks", "fr-btn--secondary", "fr-sr-only"} <= used
    assert {"fr-error-text", "fr-hint-text", "fr-input-group"} <= used
