"""nginx's configuration: round-robin REST, sticky socket.io, loopback only."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bot import ROOT
from bot.ops import nginx_conf


@pytest.fixture(scope="module")
def conf() -> str:
    return nginx_conf.render(
        "127.0.0.1:16080", ["127.0.0.1:16005", "127.0.0.1:16006"], "127.0.0.1:16000"
    )


def block(conf: str, start: str) -> str:
    body = conf[conf.index(start) :]
    return body[: body.index("}")]


def test_both_instances_serve_rest_round_robin(conf):
    rest = block(conf, "upstream rasa_rest")
    assert "server 127.0.0.1:16005" in rest and "server 127.0.0.1:16006" in rest
    assert "hash" not in rest and "ip_hash" not in rest


def test_a_message_whose_instance_died_is_passed_to_the_next(conf):
    """nginx resends a POST only with non_idempotent: safe, since a message id is handled
    once (bot.rasa_server.idempotency); the cluster tests kill an instance mid-turn."""
    next_upstream = [
        line.strip() for line in block(conf, "location /webhooks/").splitlines()
        if line.strip().startswith("proxy_next_upstream ")
    ]  # fmt: skip
    assert next_upstream == ["proxy_next_upstream error timeout http_502 http_503 non_idempotent;"]
    assert "non_idempotent" not in block(conf, "location /socket.io/")


def test_socketio_is_sticky_on_a_cookie_and_upgrades_websockets(conf):
    assert "hash $eig_route consistent;" in block(conf, "upstream rasa_socketio")
    socketio = block(conf, "location /socket.io/")
    assert 'Set-Cookie "eig_route=$eig_route;' in socketio
    assert "proxy_set_header Upgrade $http_upgrade;" in socketio


def test_loopback_only_and_nlg_not_exposed(conf):
    assert "listen 127.0.0.1:16080;" in conf
    assert "location = /nlg {\n      return 404;" in conf


def test_at_least_one_instance():
    with pytest.raises(ValueError):
        nginx_conf.render("127.0.0.1:16080", [], "127.0.0.1:16000")


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_it(conf, tmp_path):
    (tmp_path / "nginx.conf").write_text(conf)
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()  # as scripts/nginx.sh does
    result = subprocess.run(
        ["nginx", "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
         "-e", str(tmp_path / "logs" / "error.log")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("platform", ["compose", "k8s"])
def test_the_containers_conf_is_the_committed_one(platform):
    committed = (ROOT / "deploy" / f"nginx.{platform}.conf").read_text()
    assert committed == nginx_conf.container_conf(platform), (
        f"run: python -m bot nginx-conf {platform} > deploy/nginx.{platform}.conf"
    )
    assert "listen 8080;" in committed
    assert "server rasa-1.rasa:5005 max_fails=1 fail_timeout=5s resolve;" in committed
    assert "zone rasa_socketio 64k;" in committed
    assert "X-Upstream" not in committed


def test_every_public_route_is_limited_per_visitor(conf):
    assert "limit_req zone=eig_messages burst=20 nodelay;" in block(conf, "location /webhooks/")
    assert "limit_req zone=eig_socketio burst=40 nodelay;" in block(conf, "location /socket.io/")
    assert "limit_req zone=eig_pages burst=100 nodelay;" in block(conf, "location / {")
    assert "limit_conn eig_connections 20;" in conf and "limit_req_status 429;" in conf
    assert "set_real_ip_from" not in conf  # on one machine nobody stands in front of nginx
    k8s = nginx_conf.container_conf("k8s")
    assert "set_real_ip_from 10.0.0.0/8;\n  real_ip_header X-Forwarded-For;" in k8s
    assert "set_real_ip_from" not in nginx_conf.container_conf("compose")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_answers_429_to_a_visitor_over_the_burst_and_never_to_loopback(tmp_path):
    """A real nginx, behind a stand-in Ingress (real_ip_from loopback): a visitor named by
    X-Forwarded-For gets 429 past the burst of /webhooks/; loopback itself never does."""
    import urllib.error
    import urllib.request

    port, dead = free_port(), free_port()  # no Rasa: unlimited requests get the 503 apology
    conf = nginx_conf.render(
        f"127.0.0.1:{port}", [f"127.0.0.1:{dead}"], f"127.0.0.1:{dead}",
        real_ip_from="127.0.0.1",
    )  # fmt: skip
    (tmp_path / "nginx.conf").write_text(conf)
    (tmp_path / "logs").mkdir()
    (tmp_path / "tmp").mkdir()
    nginx = ["nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
             "-e", str(tmp_path / "logs" / "error.log")]  # fmt: skip
    check = subprocess.run([*nginx, "-t", "-q"], capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    subprocess.run(nginx, check=True)

    def status(headers: dict[str, str]) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=b"{}", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as reply:
                return int(reply.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    try:
        visitor = [status({"X-Forwarded-For": "203.0.113.5"}) for _ in range(30)]
        assert visitor[0] == 503 and visitor.count(429) >= 5, visitor
        assert 429 not in [status({}) for _ in range(30)]  # loopback: the local checks
    finally:
        subprocess.run([*nginx, "-s", "quit"], check=False)


def test_the_back_office_is_off_the_public_side_unless_opened(monkeypatch):
    closed = nginx_conf.render("8080", ["127.0.0.1:5005"], "127.0.0.1:8000")
    assert "location /admin/ {\n      return 404;\n    }" in closed
    for platform in ("compose", "k8s"):
        assert "location /admin/ {\n      return 404;" in nginx_conf.container_conf(platform)
    monkeypatch.setenv("EIG_ADMIN_PUBLIC", "1")
    opened = nginx_conf.render("8080", ["127.0.0.1:5005"], "127.0.0.1:8000")
    block = opened.split("location /admin/ {", 1)[1].split("}", 1)[0]
    assert "proxy_pass http://bot_web;" in block and "limit_req zone=eig_pages" in block


def test_the_cluster_writes_the_reference_conf(monkeypatch):
    """What ``make run-cluster`` writes for its default ports, byte for byte: the reference
    was rendered before the configuration moved to its Jinja2 template."""
    from bot.ops import cluster

    monkeypatch.delenv("EIG_ADMIN_PUBLIC", raising=False)
    reference = (ROOT / "tests" / "fixtures" / "nginx" / "cluster.conf").read_text()
    assert cluster.nginx_config(cluster.ClusterPorts()) == reference, (
        "an intended change: python -c 'from bot.ops import cluster; "
        'print(cluster.nginx_config(cluster.ClusterPorts()), end="")\' '
        "> tests/fixtures/nginx/cluster.conf"
    )


def test_the_template_leaves_no_placeholder_and_no_blank_line_run(conf):
    assert "{{" not in conf and "{%" not in conf and "{#" not in conf
    assert "\n\n\n" not in conf and conf.endswith("}\n") and not conf.endswith("\n\n")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"listen": "8080; include /etc/passwd"}, "listen"),
        ({"listen": "127.0.0.1:99999"}, "listen"),
        ({"rasa": ["127.0.0.1:5005 backup"]}, "Rasa instance"),
        ({"rasa": ["rasa-0.rasa"]}, "Rasa instance"),
        ({"web": "web:8000;\n  location / {"}, "web service"),
        ({"resolver": "127.0.0.11 valid=0"}, "resolver"),
        ({"real_ip_from": "0.0.0.0/0; deny all"}, "real_ip_from"),
        ({"files": {**nginx_conf.LOCAL_FILES, "access": "$request.log"}}, "access file"),
        ({"origin": "a comment\nworker_processes 64;"}, "origin"),
    ],
)
def test_a_value_nginx_would_misread_is_refused(arguments, message):
    """The template does not escape (nginx is not HTML): each value is checked first."""
    values = {"listen": "127.0.0.1:16080", "rasa": ["127.0.0.1:16005"], "web": "127.0.0.1:16000"}
    with pytest.raises(ValueError, match=message):
        nginx_conf.render(**{**values, **arguments})


def test_ipv6_upstreams_and_a_bare_port_are_accepted():
    conf = nginx_conf.render("8080", ["[::1]:16005"], "[::1]:16000", real_ip_from="fd00::/8")
    assert "server [::1]:16005 max_fails=1 fail_timeout=5s;" in conf
    assert "listen 8080;" in conf and "set_real_ip_from fd00::/8;" in conf
