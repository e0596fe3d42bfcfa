"""nginx's configuration for the cluster profile: one public port in front of the Rasa
instances and the bot web service.

- REST (``/webhooks/``) is balanced round-robin: any instance can serve any message
  because the conversation lives in PostgreSQL and the Redis lock serialises it. A
  request that cannot reach an instance is passed to the next one, and so is a message
  whose instance died while handling it (``non_idempotent``: nginx resends a POST), which
  is safe because a message's id is never processed twice
  (``bot.rasa_server.idempotency``).
- socket.io (``/socket.io/``) is sticky: Engine.IO's long-polling requests must all reach
  the instance that holds the session. Open-source nginx has no ``sticky`` directive, so
  the first request gets a random ``eig_route`` cookie and requests are hashed on it.
  WebSocket upgrades are passed through.
- When no instance answers at all, a REST client still gets the channel's JSON with the
  apology (``utter_error`` from the catalogs), in the language of Accept-Language.
- Everything else (the page, static files, ``/healthz``, ``.ics`` files) goes to the bot
  web service, except ``/nlg``, which only Rasa may call, and the staff's back office
  (``/admin/``), which answers 404 unless ``EIG_ADMIN_PUBLIC=1`` opens it.
- ``X-Upstream`` names the instance that answered, so tests can tell them apart; only
  on one machine (``show_upstream``), as it would tell the internal addresses to anyone.
- Every public route is limited per visitor address (``limit_req``: messages, socket.io
  requests, pages and files, each with a burst; ``limit_conn``: open connections), with a
  429 beyond; loopback is not limited (``make run-cluster``'s own checks). Behind a
  Kubernetes Ingress (``real_ip_from``), the visitor's address is the one the Ingress
  appended to ``X-Forwarded-For``, not the Ingress's own.

The file is ``templates/nginx/nginx.conf.j2`` (Jinja2, StrictUndefined, no escaping: every
value is checked here first, and one nginx would read otherwise raises ``ValueError``).
``make run-cluster`` renders it with loopback addresses and files in a throw-away
directory; ``python -m bot nginx-conf compose|k8s`` renders deploy/nginx.{compose,k8s}.conf,
the same routing for docker-compose and Kubernetes (service names looked up again as they
change, logs to stdout/stderr).
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Optional

import jinja2

from bot.infra import settings

TEMPLATES = Path(__file__).parent / "templates" / "nginx"
# Where nginx keeps its files: relative to its prefix (-p <dir>) on one machine; the
# standard streams and /tmp in a container.
LOCAL_FILES = {"pid": "nginx.pid", "error": "logs/error.log", "access": "logs/access.log",
               "tmp": "tmp"}  # fmt: skip
CONTAINER_FILES = {"pid": "/tmp/nginx.pid", "error": "/dev/stderr", "access": "/dev/stdout",
                   "tmp": "/tmp"}  # fmt: skip

# A value nginx reads as one word: no space, quote, ";", "{", "}", "$" or "#" that would end
# the directive, open a block, expand a variable or start a comment.
_WORD = re.compile(r"[A-Za-z0-9._:/\[\]-]+")
_HOST_PORT = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}")


def _environment() -> jinja2.Environment:
    """Plain text, not HTML (no autoescape): the values are checked before they get here."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _word(value: str, what: str) -> str:
    if not _WORD.fullmatch(value):
        raise ValueError(f"{what} {value!r} is not one plain word for nginx")
    return value


def _address(value: str, what: str) -> str:
    """``host:port`` (a name, an IPv4 address or a bracketed IPv6 one) and a real port."""
    if not _HOST_PORT.fullmatch(value) or not 0 < int(value.rsplit(":", 1)[1]) < 65536:
        raise ValueError(f"{what} {value!r} is not host:port")
    return value


def _listen(value: str) -> str:
    """What ``listen`` takes here: a port, or ``host:port``."""
    if value.isdigit() and 0 < int(value) < 65536:
        return value
    return _address(value, "listen")


def _network(value: str) -> str:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"real_ip_from {value!r} is not an address or a network") from None
    return value


def _comment(value: str) -> str:
    if not value.isprintable():
        raise ValueError(f"origin {value!r} must be one printable line")
    return value


def unavailable_body(language: str) -> str:
    """The REST channel's reply with ``utter_error``, as an nginx single-quoted string."""
    from bot.domain import clock, knowledge
    from bot.wording import nlg

    text = nlg.render("utter_error", {}, language, knowledge.get(), clock.today())["text"]
    body = json.dumps([{"recipient_id": None, "text": text}], ensure_ascii=False)
    if "\\" in body or "\n" in body or "$" in body:
        raise ValueError("utter_error must stay one plain line for nginx")
    return "'" + body.replace("'", "\\'") + "'"


def render(
    listen: str,
    rasa: Sequence[str],
    web: str,
    files: Mapping[str, str] = LOCAL_FILES,
    origin: str = "`make run-cluster`; loopback only",
    show_upstream: bool = True,
    resolver: Optional[str] = None,
    real_ip_from: Optional[str] = None,
    admin_public: Optional[bool] = None,
) -> str:
    """The whole ``nginx.conf`` (``templates/nginx/nginx.conf.j2``): ``listen``, ``rasa``
    and ``web`` are ``host:port``; ``real_ip_from``, the network of a proxy in front (an
    Ingress), whose last ``X-Forwarded-For`` entry is the visitor; ``admin_public``
    (``EIG_ADMIN_PUBLIC`` unless given), whether the back office under ``/admin/`` is
    served to the public side. A value nginx would read otherwise than as meant raises
    ``ValueError``."""
    if not rasa:
        raise ValueError("the cluster needs at least one Rasa instance")
    public = settings.ADMIN_PUBLIC.get() if admin_public is None else admin_public
    return (
        _environment()
        .get_template("nginx.conf.j2")
        .render(
            origin=_comment(origin),
            listen=_listen(listen),
            rasa=[_address(a, "Rasa instance") for a in rasa],
            web=_address(web, "web service"),
            files={k: _word(files[k], f"the {k} file") for k in ("pid", "error", "access", "tmp")},
            show_upstream=show_upstream,
            resolver=_word(resolver, "resolver") if resolver else None,
            real_ip_from=_network(real_ip_from) if real_ip_from else None,
            admin_public=public,
            unavailable={language: unavailable_body(language) for language in ("en", "fr")},
        )
    )


# The Rasa instances as Kubernetes names them (StatefulSet "rasa", headless Service
# "rasa"); docker-compose.yml gives its two instances the same names as aliases.
CONTAINER_RASA = ("rasa-0.rasa:5005", "rasa-1.rasa:5005")
# The Ingress in front of nginx on Kubernetes, whose X-Forwarded-For names the visitor
# (narrow it to the cluster's pod network). docker-compose publishes nginx itself.
REAL_IP_FROM = {"k8s": "10.0.0.0/8"}
# Each platform's DNS server, for nginx's own look-ups.
RESOLVERS = {
    "compose": "127.0.0.11",
    "k8s": "kube-dns.kube-system.svc.cluster.local",
}


def container_conf(platform: str) -> str:
    """deploy/nginx.<platform>.conf."""
    return render(
        "8080",
        CONTAINER_RASA,
        "web:8000",
        files=CONTAINER_FILES,
        origin=f"{platform} (python -m bot nginx-conf {platform})",
        show_upstream=False,
        resolver=RESOLVERS[platform],
        real_ip_from=REAL_IP_FROM.get(platform),
    )
