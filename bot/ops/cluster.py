"""The cluster profile on one machine (``make run-cluster``): PostgreSQL (conversations and
applications), Redis (conversation locks), the action server, the bot web service, several
Rasa instances and nginx in front, all on loopback, started and stopped together.

PostgreSQL, Redis and nginx are Debian's, installed and run in a throw-away directory by
``scripts/{postgres,redis,nginx}.sh``; those exit with status 3 when they cannot be
installed here, which becomes ``ClusterUnavailable``. docs/deploy.md describes the same
topology for docker-compose and Kubernetes.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from bot import ROOT
from bot.infra import settings as env_settings
from bot.infra.client_ip import LOOPBACK
from bot.ops import nginx_conf, services

HOST = services.HOST
SCRIPTS = ROOT / "scripts"
ENDPOINTS = ROOT / "endpoints.cluster.yml"
UNAVAILABLE = 3  # the scripts' exit status when a server cannot be installed here


class ClusterUnavailable(RuntimeError):
    """PostgreSQL, Redis or nginx cannot be installed or started on this machine."""


@dataclass(frozen=True)
class ClusterPorts:
    nginx: int = 8080
    rasa: tuple[int, ...] = (5005, 5006)
    actions: int = 5055
    web: int = 8000
    postgres: int = 5433
    redis: int = 6380

    @classmethod
    def from_env(cls) -> ClusterPorts:
        return cls(
            nginx=env_settings.NGINX_PORT.get(),
            rasa=env_settings.RASA_PORTS.get(),
            actions=env_settings.ACTIONS_PORT.get(),
            web=env_settings.WEB_PORT.get(),
            postgres=env_settings.POSTGRES_PORT.get(),
            redis=env_settings.REDIS_PORT.get(),
        )

    @property
    def public_url(self) -> str:
        return f"http://localhost:{self.nginx}"


def settings(ports: ClusterPorts, database_url: str) -> dict[str, str]:
    """What endpoints.cluster.yml and the services read, for this machine."""
    return {
        "TRACKER_DATABASE_URL": database_url,
        "DATABASE_URL": database_url,
        "LOCK_STORE_HOST": HOST,
        "LOCK_STORE_PORT": str(ports.redis),
        "LOCK_STORE_DB": "1",
        "LOCK_STORE_PASSWORD": env_settings.LOCK_STORE_PASSWORD.get(),
        # Rasa's pool per instance (its default, 50 + 100, exceeds PostgreSQL's 100).
        "SQL_POOL_SIZE": str(env_settings.SQL_POOL_SIZE.get()),
        "SQL_MAX_OVERFLOW": str(env_settings.SQL_MAX_OVERFLOW.get()),
        "EIG_SOCKET_SAME_ORIGIN": "1",
        # nginx runs on this host: its X-Forwarded-For names the visitor.
        "EIG_TRUSTED_PROXIES": env_settings.TRUSTED_PROXIES.text() or LOOPBACK,
        "EIG_PUBLIC_URL": env_settings.PUBLIC_URL.value_or(ports.public_url),
    }


def nginx_config(ports: ClusterPorts) -> str:
    """The nginx.conf the cluster writes: loopback addresses, files under nginx's prefix."""
    return nginx_conf.render(
        f"{HOST}:{ports.nginx}",
        [f"{HOST}:{port}" for port in ports.rasa],
        f"{HOST}:{ports.web}",
    )


def rasa_service(index: int, port: int, ports: ClusterPorts, model: Path) -> services.Service:
    web = services.Ports(rasa=port, actions=ports.actions, web=ports.web)
    origins = [*services.cors_origins(web), ports.public_url, f"http://{HOST}:{ports.nginx}"]
    return services.Service(
        f"Rasa server {index}",
        [
            *services.rasa_command(), "run",
            "--model", str(model),
            "--endpoints", str(ENDPOINTS),
            "--credentials", str(ROOT / "credentials.yml"),
            "--interface", HOST,
            "--port", str(port),
            "--cors", *dict.fromkeys(origins),
        ],
        f"http://{HOST}:{port}/webhooks/rest/",
    )  # fmt: skip


def cluster_services(ports: ClusterPorts, model: Path) -> list[services.Service]:
    """The action server and the web service first, then every Rasa instance."""
    python = sys.executable
    return [
        services.Service(
            "bot web service",
            [python, "-m", "bot", "web", "--host", HOST, "--port", str(ports.web),
             "--socket-same-origin"],
            f"http://{HOST}:{ports.web}/healthz",
        ),
        services.Service(
            "action server",
            [python, "-m", "bot", "actions", "--host", HOST, "--port", str(ports.actions)],
            f"http://{HOST}:{ports.actions}/health",
        ),
        *(rasa_service(i + 1, port, ports, model) for i, port in enumerate(ports.rasa)),
    ]  # fmt: skip


# What each script installs, to tell "cannot be installed" from "installed but broken".
INSTALLED = {
    "postgres.sh": lambda: any(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
    "redis.sh": lambda: shutil.which("redis-server") is not None,
    "nginx.sh": lambda: bool(shutil.which("nginx") or Path("/usr/sbin/nginx").exists()),
}


def script(name: str, *args: str, env: Optional[dict[str, str]] = None) -> str:
    """Run ``scripts/<name>`` (with ``env`` added to the environment) and return its output.

    Status 3 with the server still not installed → ``ClusterUnavailable`` (the tests
    skip); any other failure, an installed server that does not start included, raises
    ``RuntimeError`` (the tests fail).
    """
    result = subprocess.run(
        ["bash", str(SCRIPTS / name), *args],
        capture_output=True, text=True, check=False, env={**os.environ, **(env or {})},
    )  # fmt: skip
    reason = (result.stderr.strip().splitlines() or ["no error output"])[-1]
    installed = INSTALLED.get(name, lambda: True)
    if result.returncode == UNAVAILABLE and not installed():
        raise ClusterUnavailable(f"{name}: {reason}")
    if result.returncode != 0:
        raise RuntimeError(f"scripts/{name} {args[0]} failed: {result.stderr.strip()}")
    return result.stdout.strip()


class Cluster:
    """Owns the servers and processes of one cluster; ``stop`` is safe to call twice."""

    def __init__(
        self,
        ports: ClusterPorts,
        work_dir: Path,
        model: Path = services.MODEL,
        log_file: Optional[Path] = None,
        purge: bool = False,
    ) -> None:
        self.ports = ports
        self.purge = purge  # the purge service too (make run-cluster; the tests purge alone)
        self.work_dir = work_dir
        self.model = model
        self.log_file = log_file
        self.database_url = ""
        # PostgreSQL runs as the postgres user: its directory must not sit in a private one.
        self.postgres_dir = Path(tempfile.mkdtemp(prefix="eig-cluster-pg-"))
        # PostgreSQL wants this password over TCP (scram-sha-256) and writes durably.
        self.postgres_env = {"POSTGRES_PASSWORD": secrets.token_urlsafe(24)}
        self.supervisor: Optional[services.Supervisor] = None
        self._started: list[str] = []

    def start(self, timeout: float = services.STARTUP_TIMEOUT_S) -> None:
        if not self.model.exists():
            raise SystemExit(f"No trained model at {self.model}: run `make train`.")
        self.work_dir.mkdir(parents=True, exist_ok=True)
        services.refuse_taken_ports(
            [("nginx", self.ports.nginx), ("PostgreSQL", self.ports.postgres),
             ("Redis", self.ports.redis)]
            + [(s.name, s.port) for s in cluster_services(self.ports, self.model)]
        )  # fmt: skip
        try:
            self.database_url = script(
                "postgres.sh", "start", str(self.postgres_dir), str(self.ports.postgres),
                env=self.postgres_env,
            )  # fmt: skip
            self._started.append("postgres")
            print(f"✓ PostgreSQL is up (127.0.0.1:{self.ports.postgres})", flush=True)
            redis_dir = str(self.work_dir / "redis")
            script("redis.sh", "start", redis_dir, str(self.ports.redis))
            self._started.append("redis")
            print(f"✓ Redis is up (127.0.0.1:{self.ports.redis})", flush=True)
            self.supervisor = services.Supervisor(
                services.Ports(rasa=self.ports.rasa[0], actions=self.ports.actions,
                               web=self.ports.web),
                var_dir=self.work_dir / "var",
                model=self.model,
                log_file=self.log_file,
                service_list=(services.scheduled if self.purge else list)(
                    cluster_services(self.ports, self.model)
                ),
                extra_env=settings(self.ports, self.database_url),
            )  # fmt: skip
            self.supervisor.start(timeout)
            nginx_dir = self.work_dir / "nginx"
            nginx_dir.mkdir(parents=True, exist_ok=True)
            (nginx_dir / "nginx.conf").write_text(nginx_config(self.ports))
            script("nginx.sh", "start", str(nginx_dir))
            self._started.append("nginx")
            print(f"✓ nginx is up ({self.ports.public_url})", flush=True)
        except BaseException:
            self.stop()
            raise

    def service(self, name: str) -> services.Service:
        assert self.supervisor is not None, "the cluster is not started"
        return next(s for s in self.supervisor.services if s.name == name)

    def kill(self, name: str) -> None:
        """SIGKILL one service: no clean shutdown, as in a crash."""
        assert self.supervisor is not None
        self.supervisor.halt(self.service(name), signal.SIGKILL)

    def halt(self, name: str) -> None:
        assert self.supervisor is not None
        self.supervisor.halt(self.service(name))

    def restart(self, name: str, timeout: float = services.STARTUP_TIMEOUT_S) -> None:
        assert self.supervisor is not None
        service = self.service(name)
        self.supervisor.halt(service)
        self.supervisor.launch(service)
        self.supervisor.wait_healthy(service, time.monotonic() + timeout)

    def stop_postgres(self) -> None:
        """Stop PostgreSQL, keeping its data (``start_postgres`` brings it back)."""
        script("postgres.sh", "pause", str(self.postgres_dir))

    def start_postgres(self) -> None:
        script(
            "postgres.sh", "start", str(self.postgres_dir), str(self.ports.postgres),
            env=self.postgres_env,
        )  # fmt: skip

    def stopped(self) -> list[services.Service]:
        """The services whose process has exited."""
        if self.supervisor is None:
            return []
        return [s for s in self.supervisor.services if s.process and s.process.poll() is not None]

    def stop(self) -> None:
        """nginx, then the processes, then Redis and PostgreSQL; each by its pid."""
        if "nginx" in self._started:
            script("nginx.sh", "stop", str(self.work_dir / "nginx"))
        if self.supervisor:
            self.supervisor.stop()
        if "redis" in self._started:
            script("redis.sh", "stop", str(self.work_dir / "redis"))
        if "postgres" in self._started:
            script("postgres.sh", "stop", str(self.postgres_dir))
        self._started.clear()
        shutil.rmtree(self.postgres_dir, ignore_errors=True)
        shutil.rmtree(self.work_dir / "var", ignore_errors=True)


def banner(ports: ClusterPorts) -> str:
    rasa = ", ".join(f"{HOST}:{port}" for port in ports.rasa)
    return "\n".join(
        [
            "",
            "EIG assistant is running as a cluster.",
            f"  Chat in your browser: {ports.public_url}/fr/ (English: /en/)",
            f"  REST:      POST {ports.public_url}/webhooks/rest/webhook",
            f"  socket.io: {ports.public_url}/socket.io (sticky, through nginx)",
            f"  Rasa instances: {rasa}; actions {HOST}:{ports.actions}; web {HOST}:{ports.web}",
            f"  PostgreSQL 127.0.0.1:{ports.postgres}, Redis 127.0.0.1:{ports.redis}",
            "Press Ctrl-C to stop everything.",
            "",
        ]
    )


def run_forever(ports: ClusterPorts, work_dir: Path) -> int:
    """``make run-cluster``: start, print where to chat, stop everything on Ctrl-C."""
    cluster = Cluster(ports, work_dir, log_file=work_dir.with_suffix(".log"), purge=True)
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    try:  # Ctrl-C while starting interrupts the start, which stops what it had started
        cluster.start()
    except ClusterUnavailable as error:
        print(f"The cluster cannot run here: {error}", file=sys.stderr)
        return UNAVAILABLE
    except KeyboardInterrupt:
        return 130
    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    print(banner(ports), flush=True)
    print(f"Logs: {cluster.log_file}", flush=True)
    reported: set[str] = set()
    try:
        while not stopping:
            for failed in cluster.stopped():
                if failed.name not in reported:
                    # One instance down is what the cluster is for: say so, keep serving.
                    print(f"The {failed.name} stopped; the others keep serving.", file=sys.stderr)
                    reported.add(failed.name)
            time.sleep(0.5)
    finally:
        print("Stopping… (the Rasa instances take up to about 20 s)", flush=True)
        cluster.stop()
        print("Stopped.", flush=True)
    return 0
