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
