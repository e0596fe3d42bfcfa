"""nginx's configuration for the cluster profile: one public port in front of the Rasa
instances and the bot web service.

- REST (``/webhooks/``) is balanced round-robin: any instance can serve any message
  because the conversation lives in PostgreSQL and the Redis lock serialises it. A
  request that cannot reach an instance is passed to the next one.
- socket.io (``/socket.io/``) is sticky: Engine.IO's long-polling requests must all reach
  the instance that holds the session. Open-source nginx has no ``sticky`` directive, so
  the first request gets a random ``eig_route`` cookie and requests are hashed on it.
  WebSocket upgrades are passed through.
- Everything else (the page, static files, ``/healthz``, ``.ics`` files) goes to the bot
  web service, except ``/nlg``, which only Rasa may call.
- ``X-Upstream`` names the instance that answered, so tests can tell them apart.
"""

from __future__ import annotations

from collections.abc import Sequence

HOST = "127.0.0.1"


def _servers(ports: Sequence[int]) -> str:
    return "\n".join(f"    server {HOST}:{port} max_fails=1 fail_timeout=5s;" for port in ports)


def render(listen_port: int, rasa_ports: Sequence[int], web_port: int) -> str:
    """The whole ``nginx.conf``; paths are relative to nginx's prefix (``-p <dir>``)."""
    if not rasa_ports:
        raise ValueError("the cluster needs at least one Rasa instance")
    return f"""# Written by bot/nginx_conf.py for `make run-cluster`; loopback only.
worker_processes 1;
pid nginx.pid;
error_log logs/error.log warn;

events {{
  worker_connections 1024;
}}

http {{
  # No query strings (socket.io session ids) and no bodies in the log.
  log_format upstream '[$time_local] "$request_method $uri" $status $upstream_addr '
                      '$request_time';
  access_log logs/access.log upstream;
  client_body_temp_path tmp/client_body;
  proxy_temp_path tmp/proxy;
  fastcgi_temp_path tmp/fastcgi;
  uwsgi_temp_path tmp/uwsgi;
  scgi_temp_path tmp/scgi;
  server_tokens off;
  # Bodies and replies stay in memory: the workers never write temporary files.
  client_max_body_size 1m;
  client_body_buffer_size 1m;
  proxy_max_temp_file_size 0;

  map $http_upgrade $connection_upgrade {{
    default upgrade;
    ''      close;
  }}

  # The socket.io route: the visitor's eig_route cookie, or a fresh random one.
  map $cookie_eig_route $eig_route {{
    ""      $request_id;
    default $cookie_eig_route;
  }}

  upstream rasa_rest {{
{_servers(rasa_ports)}
  }}

  upstream rasa_socketio {{
    hash $eig_route consistent;
{_servers(rasa_ports)}
  }}

  upstream bot_web {{
    server {HOST}:{web_port};
  }}

  server {{
    listen {HOST}:{listen_port};
    server_name localhost;

    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;

    location /webhooks/ {{
      proxy_pass http://rasa_rest;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      add_header X-Upstream $upstream_addr always;
    }}

    location /socket.io/ {{
      proxy_pass http://rasa_socketio;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 120s;
      proxy_buffering off;
      add_header Set-Cookie "eig_route=$eig_route; Path=/socket.io/; HttpOnly; SameSite=Lax" always;
      add_header X-Upstream $upstream_addr always;
    }}

    location = /nlg {{
      return 404;
    }}

    location / {{
      proxy_pass http://bot_web;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""
