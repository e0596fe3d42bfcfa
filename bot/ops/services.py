"""Starts the Rasa server, the action server and the bot web service together, waits
until each answers its health check, and stops all of them together.

Start-up trusts nothing that already answers: it refuses to start when one of its ports is
taken (``refuse_taken_ports``, naming the port and the service), and each service is given
a random ``EIG_START_ID`` that its health check must answer in ``X-EIG-Start-Id``, so a
health check that reached another process (another ``make run`` on the same ports) does
not count.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Optional
from urllib.parse import urlsplit

from bot import ROOT
from bot.infra import logs, noise, settings

HOST = "127.0.0.1"
MODEL = ROOT / "models" / "current.tar.gz"
STARTUP_TIMEOUT_S = 240


@dataclass(frozen=True)
class Ports:
    rasa: int = 5005
    actions: int = 5055
    web: int = 8000

    @classmethod
    def from_env(cls) -> Ports:
        return cls(
            rasa=settings.RASA_PORT.get(),
            actions=settings.ACTIONS_PORT.get(),
            web=settings.WEB_PORT.get(),
        )


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    process: Optional[subprocess.Popen] = None
    start_id: str = ""  # this launch's EIG_START_ID, which its health check must answer

    @property
    def port(self) -> Optional[int]:
        """The port its health check reaches; none for a service without one."""
        return urlsplit(self.health_url).port if self.health_url else None


MIN_API_TOKEN_CHARS = settings.MIN_API_TOKEN_CHARS
TOKEN_VARIABLES = (settings.NLG_TOKEN.name, settings.ACTIONS_TOKEN.name)


def environment(ports: Ports, var_dir: Path) -> dict[str, str]:
    """Settings the three processes share; anything already set in the environment wins.

    The NLG endpoint and the action server get a random shared token unless one is set,
    so only the Rasa server started alongside them can call them.
    """
    env = dict(os.environ)
    for token in (settings.NLG_TOKEN, settings.ACTIONS_TOKEN):
        env[token.name] = token.get() or secrets.token_urlsafe(32)
    env.setdefault("ACTION_ENDPOINT_URL", f"http://{HOST}:{ports.actions}/webhook")
    env.setdefault("NLG_ENDPOINT_URL", f"http://{HOST}:{ports.web}/nlg")
    env.setdefault("TRACKER_DIALECT", "sqlite")
    env.setdefault("TRACKER_DB", str(var_dir / "tracker.db"))
    env.setdefault("DATABASE_URL", f"sqlite:///{var_dir / 'applications.db'}")
    env[settings.PUBLIC_URL.name] = settings.PUBLIC_URL.value_or(f"http://localhost:{ports.web}")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("PYTHONPATH", str(ROOT))
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    return env


def rasa_environment(env: dict[str, str]) -> dict[str, str]:
    """Rasa's own log levels: at DEBUG it prints what people write (parse results,
    trackers, NLG requests), so it stays at INFO or quieter unless third-party debugging
    was asked for (``python -m bot run --debug``, local work only)."""
    ours = logs.level()
    rasa_level = logs.third_party_level(ours)
    return {
        **env,
        "LOG_LEVEL": logging.getLevelName(rasa_level),
        "LOG_LEVEL_LIBRARIES": "DEBUG" if logs.third_party_debug() else "ERROR",
    }


def rasa_command(python: str = sys.executable) -> list[str]:
    """Rasa's command line as every Rasa process here starts: with the run-time changes of
    ``bot.rasa_server.patches`` installed first (``bot.rasa_server.start``)."""
    return [python, "-m", "bot", "rasa"]


def is_rasa(service: Service) -> bool:
    return service.command[1:4] == rasa_command()[1:]


def rasa_api_arguments() -> list[str]:
    """Rasa's HTTP API stays off; ``EIG_RASA_API_TOKEN`` turns it on, always with a token.

    The token is then on Rasa's command line, visible to local users in ``ps``: enable
    the API only on a host of its own, and never without a token.
    """
    token = settings.RASA_API_TOKEN.get()  # at least MIN_API_TOKEN_CHARS, or start-up stops
    if not token:
        return []
    return ["--enable-api", "--auth-token", token]


def cors_origins(ports: Ports) -> list[str]:
    """The exact origins whose pages may call Rasa (the chat page), never ``*``.

    The page served by the bot web service, by either loopback name; more (the programme's
    site, say) in ``EIG_CORS_ORIGINS``, separated by spaces.
    """
    origins = [f"http://localhost:{ports.web}", f"http://{HOST}:{ports.web}"]
    origins.extend(settings.CORS_ORIGINS.get())
    return list(dict.fromkeys(origins))


def services(ports: Ports, model: Path = MODEL) -> list[Service]:
    python = sys.executable
    web = [python, "-m", "bot", "web", "--host", HOST, "--port", str(ports.web)]
    return [
        Service(
            "bot web service",
            [*web, "--rasa-port", str(ports.rasa)],
            f"http://{HOST}:{ports.web}/healthz",
        ),
        Service(
            "action server",
            [python, "-m", "bot", "actions", "--host", HOST, "--port", str(ports.actions)],
            f"http://{HOST}:{ports.actions}/health",
        ),
        Service(
            "Rasa server",
            [
                *rasa_command(python), "run",
                "--model", str(model),
                "--endpoints", str(ROOT / "endpoints.yml"),
                "--credentials", str(ROOT / "credentials.yml"),
                "--interface", HOST,
                "--port", str(ports.rasa),
                "--cors", *cors_origins(ports),
                *rasa_api_arguments(),
            ],
            f"http://{HOST}:{ports.rasa}/webhooks/rest/",
        ),
    ]  # fmt: skip


PURGE_SERVICE = "purge service"


def purge_service(python: str = sys.executable) -> Service:
    """Every store's retention period applied now and every ``EIG_PURGE_EVERY``
    (``bot.ops.retention``); no port: it is up while its process runs."""
    return Service(PURGE_SERVICE, [python, "-m", "bot", "purge", "--every"], "")


def scheduled(service_list: list[Service]) -> list[Service]:
    """``service_list`` and the purge service: what ``make run`` and ``make run-cluster``
    start (the tests start the purge themselves)."""
    return [*service_list, purge_service(service_list[0].command[0])]


def healthy(url: str, start_id: str = "") -> bool:
    """``url`` answers 200, and, given a ``start_id``, answers it in ``X-EIG-Start-Id``."""
    try:
        with urllib.request.urlopen(url, timeout=2) as reply:
            ours = not start_id or reply.headers.get(settings.START_ID_HEADER) == start_id
            return bool(reply.status == 200 and ours)
    except (urllib.error.URLError, OSError):
        return False


def port_taken(port: int, host: str = HOST) -> bool:
    """Something listens on ``host:port`` (like our servers, the probe may reuse an address
    left in TIME_WAIT by a stopped one)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def refuse_taken_ports(named: list[tuple[str, Optional[int]]]) -> None:
    """Stops start-up, naming each taken port and what it was for, before anything starts."""
    taken = [(name, port) for name, port in named if port is not None and port_taken(port)]
    if taken:
        listed = "; ".join(f"port {port} ({name})" for name, port in taken)
        raise SystemExit(
            f"Cannot start: already in use: {listed}. Another `make run` or `make "
            "run-cluster` may be running: stop it, or choose other ports (the EIG_*_PORT "
            "settings, docs/deploy.md)."
        )


class Supervisor:
    """Owns the child processes; ``stop`` is safe to call more than once.

    ``service_list`` and ``extra_env`` replace the three default services and add settings
    (the cluster profile, ``bot.ops.cluster``).
    """

    def __init__(
        self,
        ports: Ports,
        var_dir: Path = ROOT / "var",
        model: Path = MODEL,
        log_file: Optional[Path] = None,
        service_list: Optional[list[Service]] = None,
        extra_env: Optional[dict[str, str]] = None,
        console: bool = False,
    ) -> None:
        self.ports = ports
        self.var_dir = var_dir
        self.model = model
        self.log_file = log_file
        # ``console``: each service's output goes whole to var/logs/<service>.log, and the
        # terminal shows only its warnings, errors and tracebacks (bot.infra.noise).
        self.console = console and log_file is None
        self.relays: list[threading.Thread] = []
        self.services = service_list if service_list is not None else services(ports, model)
        self.extra_env = extra_env or {}
        self.env: dict[str, str] = {}  # the last service's environment, for tests
        # One pair of internal tokens for the life of the supervisor: a restarted service
        # must still match the others.
        self.tokens = {name: environment(ports, var_dir)[name] for name in TOKEN_VARIABLES}

    def start(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        if not self.model.exists():
            raise SystemExit(f"No trained model at {self.model}: run `make train`.")
        self.var_dir.mkdir(parents=True, exist_ok=True)
        refuse_taken_ports([(service.name, service.port) for service in self.services])
        for service in self.services:
            self.launch(service)
        deadline = time.monotonic() + timeout
        for service in self.services:
            self.wait_healthy(service, deadline)

    def launch(self, service: Service) -> None:
        """Start ``service``'s process (again, after it was stopped or killed)."""
        service.start_id = secrets.token_hex(16)
        env = {**environment(self.ports, self.var_dir), **self.tokens, **self.extra_env,
               settings.START_ID.name: service.start_id}  # fmt: skip
        self.env = env
        if is_rasa(service):
            env = rasa_environment(env)
        if self.console:
            self.launch_with_relay(service, env)
            return
        output = open(self.log_file, "ab") if self.log_file else None  # noqa: SIM115
        service.process = subprocess.Popen(
            service.command,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
        )
        if output:
            output.close()  # the child has its own copy

    def log_path(self, service: Service) -> Path:
        return self.var_dir / "logs" / (service.name.replace(" ", "-") + ".log")

    def launch_with_relay(self, service: Service, env: dict[str, str]) -> None:
        path = self.log_path(service)
        path.parent.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            service.command,
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        service.process = process
        relay = threading.Thread(
            target=relay_output, args=(service.name, process.stdout, path), daemon=True
        )
        relay.start()
        self.relays.append(relay)

    def is_up(self, service: Service) -> bool:
        """Its health check answers; for a service without a port, its process runs."""
        if service.health_url:
            return healthy(service.health_url, service.start_id)
        return service.process is not None and service.process.poll() is None

    def wait_healthy(self, service: Service, deadline: float) -> None:
        while not self.is_up(service):
            if service.process and service.process.poll() is not None:
                self.stop()
                where = f" (port {service.port})" if service.port else ""
                raise SystemExit(f"The {service.name} exited during start-up{where}.")
            if time.monotonic() > deadline:
                self.stop()
                other = service.health_url and healthy(service.health_url)
                why = f": another process answers on port {service.port}" if other else ""
                raise SystemExit(f"The {service.name} did not become healthy in time{why}.")
            time.sleep(0.5)
        print(f"✓ {service.name} is up ({service.health_url or 'no port'})", flush=True)

    def failed(self) -> Optional[Service]:
        return next((s for s in self.services if s.process and s.process.poll() is not None), None)

    def halt(self, service: Service, sig: int = signal.SIGTERM) -> None:
        """Stop one service and wait for it (the cluster tests kill one on purpose)."""
        if service.process and service.process.poll() is None:
            os.killpg(service.process.pid, sig)
            service.process.wait(timeout=30)

    def stop(self) -> None:
        for service in reversed(self.services):
            if service.process and service.process.poll() is None:
                os.killpg(service.process.pid, signal.SIGTERM)
        for service in self.services:
            if service.process:
                try:
                    service.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(service.process.pid, signal.SIGKILL)
                    service.process.wait()

    def __enter__(self) -> Supervisor:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def relay_output(name: str, pipe: Optional[IO[bytes]], path: Path) -> None:
    """Every line of a service to its log file; its warnings and errors to the terminal."""
    if pipe is None:
        return
    keep = noise.ConsoleFilter()
    with open(path, "ab") as log, pipe:
        for raw in iter(pipe.readline, b""):
            log.write(raw)
            log.flush()
            shown = noise.for_console(name, raw.decode("utf-8", "replace"), keep)
            if shown is not None:
                print(shown, file=sys.stderr, flush=True)


def banner(ports: Ports) -> str:
    return "\n".join(
        [
            "",
            "EIG assistant is running.",
            f"  Chat in your browser: http://localhost:{ports.web}/fr/ (English: /en/)",
            f"  REST:      POST http://{HOST}:{ports.rasa}/webhooks/rest/webhook",
            '             {"sender": "<32 random hex digits>", "message": "Bonjour"}',
            f"  socket.io: http://{HOST}:{ports.rasa}/socket.io (user_uttered / bot_uttered)",
            f"  NLG + health: http://{HOST}:{ports.web}/healthz",
            f"  Back office (staff): http://localhost:{ports.web}/admin/ ; first account:",
            "    .venv/bin/python -m bot staff add <name> --role data_officer",
            "Press Ctrl-C to stop all services.",
            "",
        ]
    )


def run_forever(ports: Ports) -> int:
    supervisor = Supervisor(ports, console=True, service_list=scheduled(services(ports)))
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    supervisor.start()
    print(banner(ports), flush=True)
    print(f"Logs: {supervisor.var_dir / 'logs'}/ (the terminal shows warnings and errors)\n")
    try:
        while not stopping:
            failed = supervisor.failed()
            if failed:
                print(f"The {failed.name} stopped; stopping everything.", file=sys.stderr)
                return 1
            time.sleep(0.5)
    finally:
        print("Stopping…", flush=True)
        supervisor.stop()
    return 0
