"""nginx's configuration for the cluster profile: one public port in front of the Rasa
instances and the bot web service.

- REST (``/webhooks/``) is balanced round-robin: any instance can serve any message
  because the conversation lives in PostgreSQL and the Redis lock serialises it. A
  request that cannot reach an instance is passed to the next one.
- socket.io (``/socket.io/``) is sticky: Engine.IO's long-polling requests must all reach
  the instance that holds the session. Open-source nginx has no ``sticky`` directive, so
  the first request gets a random ``eig_route`` cookie and requests are hashed on it.
  WebSocket upgrades are passed through.
- When no instance answers at all, a REST client still gets the channel's JSON with the
  apology (``utter_error`` from the catalogs), in the language of Accept-Language.
- Everything else (the page, static files, ``/healthz``, ``.ics`` files) goes to the bot
  web service, except ``/nlg``, which only Rasa may call.
- ``X-Upstream`` names the instance that answered, so tests can tell them apart; only
  on one machine (``show_upstream``), as it would tell the internal addresses to anyone.

``make run-cluster`` renders it with loopback addresses and files in a throw-away
directory; ``python -m bot nginx-conf compose|k8s`` renders deploy/nginx.{compose,k8s}.conf,
the same routing for docker-compose and Kubernetes (service names looked up again as they
change, logs to stdout/stderr).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Optional

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
) -> str:
    """The whole ``nginx.conf``: ``listen``, ``rasa`` and ``web`` are ``host:port``."""
    if not rasa:
        raise ValueError("the cluster needs at least one Rasa instance")
    upstream = "\n      add_header X-Upstream $upstream_addr always;" if show_upstream else ""
    dns = f"\n  resolver {resolver} valid=10s;" if resolver else ""
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
    proxy_set_header X-Forwarded-Proto $scheme;

    location /webhooks/ {{
      proxy_pass http://rasa_rest;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      error_page 502 503 504 = @rasa_unavailable;{upstream}
    }}

    location @rasa_unavailable {{
      default_type application/json;
      return 503 $rasa_unavailable;
    }}

    location /socket.io/ {{
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

    location / {{
      proxy_pass http://bot_web;{upstream}
    }}
  }}
}}
"""


# The Rasa instances as Kubernetes names them (StatefulSet "rasa", headless Service
# "rasa"); docker-compose.yml gives its two instances the same names as aliases.
CONTAINER_RASA = ("rasa-0.rasa:5005", "rasa-1.rasa:5005")
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
    )
