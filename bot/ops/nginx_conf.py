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

``make run-cluster`` renders it with loopback addresses and files in a throw-away
directory; ``python -m bot nginx-conf compose|k8s`` renders deploy/nginx.{compose,k8s}.conf,
the same routing for docker-compose and Kubernetes (service names looked up again as they
change, logs to stdout/stderr).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Optional

from bot.infra import settings

# Where nginx keeps its files: relative to its prefix (-p <dir>) on one machine; the
# standard streams and /tmp in a container.
LOCAL_FILES = {"pid": "nginx.pid", "error": "logs/error.log", "access": "logs/access.log",
               "tmp": "tmp"}  # fmt: skip
CONTAINER_FILES = {"pid": "/tmp/nginx.pid", "error": "/dev/stderr", "access": "/dev/stdout",
                   "tmp": "/tmp"}  # fmt: skip


def _servers(name: str, addresses: Sequence[str], resolver: Optional[str]) -> str:
    """With a resolver, names are looked up again as they change (a rescheduled pod gets
    a new address); that needs a shared-memory zone and nginx ≥ 1.27.3."""
    zone = f"    zone {name} 64k;\n" if resolver else ""
    resolve = " resolve" if resolver else ""
    return zone + "\n".join(
        f"    server {a} max_fails=1 fail_timeout=5s{resolve};" for a in addresses
    )


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
    files: dict[str, str] = LOCAL_FILES,
    origin: str = "`make run-cluster`; loopback only",
    show_upstream: bool = True,
    resolver: Optional[str] = None,
    real_ip_from: Optional[str] = None,
    admin_public: Optional[bool] = None,
) -> str:
    """The whole ``nginx.conf``: ``listen``, ``rasa`` and ``web`` are ``host:port``;
    ``real_ip_from``, the network of a proxy in front (an Ingress), whose last
    ``X-Forwarded-For`` entry is the visitor; ``admin_public`` (``EIG_ADMIN_PUBLIC`` unless
    given), whether the back office under ``/admin/`` is served to the public side."""
    if not rasa:
        raise ValueError("the cluster needs at least one Rasa instance")
    upstream = "\n      add_header X-Upstream $upstream_addr always;" if show_upstream else ""
    dns = f"\n  resolver {resolver} valid=10s;" if resolver else ""
    real_ip = (
        f"\n  set_real_ip_from {real_ip_from};\n  real_ip_header X-Forwarded-For;"
        if real_ip_from
        else ""
    )
    public = settings.ADMIN_PUBLIC.get() if admin_public is None else admin_public
    # The back office is for staff: off the public side unless the operator opens it.
    admin = (
        "\n      limit_req zone=eig_pages burst=100 nodelay;\n      proxy_pass http://bot_web;"
        if public
        else "\n      return 404;"
    )
    # Behind the Ingress, the scheme the visitor used is the Ingress's (HSTS over TLS).
    proto = "$http_x_forwarded_proto" if real_ip_from else "$scheme"
    return f"""# Written by bot/ops/nginx_conf.py for {origin}.
worker_processes 1;
pid {files["pid"]};
error_log {files["error"]} warn;

events {{
  worker_connections 1024;
}}

http {{
  # No query strings (socket.io session ids) and no bodies in the log.
  log_format upstream '[$time_local] "$request_method $uri" $status $upstream_addr '
                      '$request_time';
  access_log {files["access"]} upstream;
  client_body_temp_path {files["tmp"]}/client_body;
  proxy_temp_path {files["tmp"]}/proxy;
  fastcgi_temp_path {files["tmp"]}/fastcgi;
  uwsgi_temp_path {files["tmp"]}/uwsgi;
  scgi_temp_path {files["tmp"]}/scgi;
  server_tokens off;{dns}
  # Bodies and replies stay in memory: the workers never write temporary files.
  client_max_body_size 1m;
  client_body_buffer_size 1m;
  proxy_max_temp_file_size 0;

  # Per visitor address, loopback excepted: requests and open connections (429 beyond).{real_ip}
  geo $eig_local {{
    default     0;
    127.0.0.0/8 1;
    ::1         1;
  }}
  map $eig_local $eig_visitor {{
    1       "";
    default $binary_remote_addr;
  }}
  limit_req_zone $eig_visitor zone=eig_messages:10m rate=2r/s;
  limit_req_zone $eig_visitor zone=eig_socketio:10m rate=10r/s;
  limit_req_zone $eig_visitor zone=eig_pages:10m rate=20r/s;
  limit_conn_zone $eig_visitor zone=eig_connections:10m;
  limit_req_status 429;
  limit_conn_status 429;
  limit_conn eig_connections 20;

  map $http_upgrade $connection_upgrade {{
    default upgrade;
    ''      close;
  }}

  # All Rasa instances down: the apology, in the browser's language.
  map $http_accept_language $rasa_unavailable {{
    "~*^en" {unavailable_body("en")};
    default {unavailable_body("fr")};
  }}

  # The socket.io route: the visitor's eig_route cookie, or a fresh random one.
  map $cookie_eig_route $eig_route {{
    ""      $request_id;
    default $cookie_eig_route;
  }}

  upstream rasa_rest {{
{_servers("rasa_rest", rasa, resolver)}
  }}

  upstream rasa_socketio {{
    hash $eig_route consistent;
{_servers("rasa_socketio", rasa, resolver)}
  }}

  upstream bot_web {{
{_servers("bot_web", [web], resolver)}
  }}

  server {{
    listen {listen};
    server_name localhost;

    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto {proto};

    location /webhooks/ {{
      limit_req zone=eig_messages burst=20 nodelay;
      proxy_pass http://rasa_rest;
      # Also a POST whose instance died mid-turn: a message id is handled once.
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      error_page 502 503 504 = @rasa_unavailable;{upstream}
    }}

    location @rasa_unavailable {{
      default_type application/json;
      return 503 $rasa_unavailable;
    }}

    location /socket.io/ {{
      limit_req zone=eig_socketio burst=40 nodelay;
      proxy_pass http://rasa_socketio;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      add_header Set-Cookie "eig_route=$eig_route; Path=/socket.io/; HttpOnly; SameSite=Lax" always;
      proxy_buffering off;{upstream}
    }}

    location = /nlg {{
      return 404;
    }}

    location /admin/ {{{admin}
    }}

    location / {{
      limit_req zone=eig_pages burst=100 nodelay;
      proxy_pass http://bot_web;{upstream}
    }}
  }}
}}
"""


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
