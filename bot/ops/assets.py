"""The chat page's static files, built for a phone: only the DSFR parts the page uses,
fingerprinted, precompressed.

``make assets`` runs ``python -m bot.ops.assets`` after copying DSFR and the socket.io
client into ``bot/web/static/vendor/``. It writes ``bot/web/static/build/<hash>/``:

- ``dsfr/page.min.css``: DSFR's core and the components the page uses (DSFR publishes
  one stylesheet per component), instead of the whole 711 KiB ``dsfr.min.css``, without
  the rules for DSFR classes that neither the page's template nor the widget's script
  writes (``purge``);
- ``eig-chat.bundle.css``: the widget's own stylesheet with the few DSFR icons it shows,
  picked from DSFR's icon stylesheets; the widget's script loads it, so it does not
  block the page;
- the widget's script, the socket.io client, and the fonts, icons and favicons the
  stylesheets point to (their ``url()`` rewritten to where they are now);
- a ``.gz`` beside each text file (gzip -9), which the web service sends with
  ``Content-Encoding: gzip`` to browsers that accept it (``bot.infra.static_files``).

``<hash>`` is a digest of every file: any change gives new addresses, so the web service
sends them with a year's ``Cache-Control: immutable``. ``build/manifest.json`` says which
build is current (``bot.web.page`` reads it); older builds are removed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import posixpath
import re
import shutil
import sys
from pathlib import Path
from typing import Optional

from bot import ROOT

STATIC = ROOT / "bot" / "web" / "static"
VENDOR = STATIC / "vendor"
BUILD = STATIC / "build"
DSFR_DIST = ROOT / "node_modules" / "@gouvfr" / "dsfr" / "dist"
# The DSFR components the demo page and the widget use (class names in page.html and
# eig-chat.js: fr-skiplinks, fr-header, fr-logo, fr-btn, fr-link, fr-notice, fr-callout,
# fr-footer, fr-label / fr-input / fr-hint-text / fr-error-text).
COMPONENTS = (
    "link", "button", "skiplink", "logo", "header", "notice", "callout", "footer", "form",
    "input",
)  # fmt: skip
# The DSFR icons the widget shows, by family.
ICONS = {
    "communication": ("chat-3-line", "chat-new-line"),
    "business": ("send-plane-fill",),
    "system": ("refresh-line",),
}
COMPRESSED = (".css", ".js", ".svg", ".json", ".webmanifest", ".map")
_URL = re.compile(r"url\((['\"]?)(?!data:|https?:|/)([^)'\"]+)\1\)")
_BANNER = re.compile(r"/\*!.*?\*/", re.DOTALL)


def rebase_urls(css: str, source: str, target: str) -> str:
    """``css`` read from ``source`` and written to ``target`` (both paths inside the build),
    with each relative ``url()`` changed so that it points to the same file."""

    def rebased(match: re.Match[str]) -> str:
        quote, url = match.group(1), match.group(2)
        path, _, rest = url.partition("?")
        absolute = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        relative = posixpath.relpath(absolute, posixpath.dirname(target) or ".")
        return f"url({quote}{relative}{'?' + rest if rest else ''}{quote})"

    return _URL.sub(rebased, css)


def split_rules(css: str) -> list[str]:
    """The top-level rules and at-rules of minified CSS, each with its braces."""
    rules, depth, start = [], 0, 0
    for index, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append(css[start : index + 1].strip())
                start = index + 1
    return [rule for rule in rules if rule]


def pick_rules(css: str, classes: tuple[str, ...]) -> str:
    """The rules of ``css`` whose selector names one of ``classes``, inside their at-rule
    (``@media``) when they are in one."""
    wanted = re.compile(r"\.(?:" + "|".join(re.escape(c) for c in classes) + r")(?![\w-])")
    kept = []
    for rule in split_rules(_BANNER.sub("", css)):
        if rule.startswith("@"):
            head, _, body = rule.partition("{")
            inner = [r for r in split_rules(body[:-1]) if wanted.search(r.split("{", 1)[0])]
            if inner:
                kept.append(head + "{" + "".join(inner) + "}")
        elif wanted.search(rule.split("{", 1)[0]):
            kept.append(rule)
    return "".join(kept)


# Where the page's class names are written: its template, the templates it includes
# (the shared header and footer), and the widget's script.
TEMPLATES = ROOT / "bot" / "web" / "templates"
PAGE = TEMPLATES / "page.html"
WIDGET = STATIC / "eig-chat.js"
_INCLUDE = re.compile(r"""\{%-?\s*include\s+["']([^"']+)["']""")


def with_includes(template: Path) -> list[Path]:
    """``template`` and, depth first, every template it includes."""
    found = [template]
    for name in _INCLUDE.findall(template.read_text("utf-8")):
        found += [p for p in with_includes(TEMPLATES / name) if p not in found]
    return found


def users() -> tuple[Path, ...]:
    return (*with_includes(PAGE), WIDGET)


_USED_CLASS = re.compile(r"(?<![\w-])(fr-[\w-]*[\w])")
_SELECTOR_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_NOT = re.compile(r":not\([^()]*\)")
_KEPT_AT_RULES = ("@font-face", "@keyframes", "@-webkit-keyframes", "@charset", "@import")


def used_classes(paths: Optional[tuple[Path, ...]] = None) -> frozenset[str]:
    """Every DSFR class name (``fr-…``) the page's templates and the widget's script write."""
    return frozenset(
        name
        for path in (users() if paths is None else paths)
        for name in _USED_CLASS.findall(path.read_text("utf-8"))
    )


def _selector_used(selector: str, used: frozenset[str]) -> bool:
    return set(_SELECTOR_CLASS.findall(_NOT.sub("", selector))) <= used


def purge(css: str, used: frozenset[str]) -> str:
    """``css`` without the rules whose selectors all name a class the page never uses
    (inside ``@media`` and ``@supports`` too); element and attribute rules, fonts and
    animations stay."""
    kept = []
    for rule in split_rules(_BANNER.sub("", css)):
        head, _, body = rule.partition("{")
        if head.startswith(_KEPT_AT_RULES):
            kept.append(rule)
        elif head.startswith("@"):
            inner = purge(body[:-1], used)
            if inner:
                kept.append(head + "{" + inner + "}")
        else:
            selectors = [s for s in head.split(",") if _selector_used(s, used)]
            if selectors:
                kept.append(",".join(selectors) + "{" + body)
    return "".join(kept)


def page_css(dist: Path, used: frozenset[str] = frozenset()) -> str:
    """DSFR's core and the page's components, as one stylesheet at ``dsfr/page.min.css``,
    without the rules for classes the page never uses (``used``, when given)."""
    parts = [("core/core.min.css", (dist / "core" / "core.min.css").read_text("utf-8"))]
    for name in COMPONENTS:
        path = f"component/{name}/{name}.min.css"
        parts.append((path, (dist / path).read_text("utf-8")))
    banner = _BANNER.search(parts[0][1])
    body = "".join(
        rebase_urls(_BANNER.sub("", css), f"vendor/dsfr/{path}", "dsfr/page.min.css")
        for path, css in parts
    )
    if used:
        body = purge(body, used)
    return (banner.group(0) if banner else "") + body


def widget_css(dist: Path, own: str) -> str:
    """The widget's icons (from DSFR's icon stylesheets) and its own stylesheet."""
    icons = []
    for family, names in ICONS.items():
        path = f"utility/icons/icons-{family}/icons-{family}.min.css"
        classes = tuple(f"fr-icon-{name}" for name in names)
        picked = pick_rules((dist / path).read_text("utf-8"), classes)
        icons.append(rebase_urls(picked, f"vendor/dsfr/{path}", "eig-chat.bundle.css"))
    return "".join(icons) + "\n" + own


def build(dist: Path = DSFR_DIST, static: Path = STATIC) -> str:
    """Writes a new build under ``static/build/``; returns its base address."""
    vendor, out_root = static / "vendor", static / "build"
    if not (vendor / "socket.io" / "socket.io.min.js").exists():
        raise SystemExit("bot/web/static/vendor is missing: run `make assets`")
    staging = out_root / ".staging"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    shutil.copytree(vendor / "dsfr" / "fonts", staging / "vendor" / "dsfr" / "fonts")
    shutil.copytree(vendor / "dsfr" / "icons", staging / "vendor" / "dsfr" / "icons")
    shutil.copytree(vendor / "dsfr" / "favicon", staging / "vendor" / "dsfr" / "favicon")
    shutil.copy2(vendor / "socket.io" / "socket.io.min.js", staging / "socket.io.min.js")
    shutil.copy2(static / "eig-chat.js", staging / "eig-chat.js")
    (staging / "dsfr").mkdir()
    (staging / "dsfr" / "page.min.css").write_text(page_css(dist, used_classes()), "utf-8")
    own = (static / "eig-chat.css").read_text("utf-8")
    (staging / "eig-chat.bundle.css").write_text(widget_css(dist, own), "utf-8")

    digest = hashlib.sha256()
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    for path in files:
        digest.update(path.relative_to(staging).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    for path in files:
        if path.suffix in COMPRESSED:
            data = gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)
            path.with_name(path.name + ".gz").write_bytes(data)
    name = digest.hexdigest()[:16]
    target = out_root / name
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    base = f"/static/build/{name}/"
    (out_root / "manifest.json").write_text(json.dumps({"base": base}) + "\n", "utf-8")
    for old in out_root.iterdir():
        if old.is_dir() and old.name != name:
            shutil.rmtree(old)
    return base


if __name__ == "__main__":
    print(f"chat page assets built: {build()}")
    sys.exit(0)
