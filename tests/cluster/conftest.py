"""One cluster for the fault tests: PostgreSQL, Redis, the action server, the web service,
two Rasa instances and nginx, on their own loopback ports (16xxx; EIG_CLUSTER_PORT_OFFSET
moves them all). Skips only when the servers cannot be installed here (and in CI that skip
fails the run: tests/conftest.py).

Every test starts on the whole cluster, up and balanced (``all_up``), whatever the tests
before it stopped or killed: they pass in any order."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest
import sqlalchemy as sa

from bot.ops import cluster

OFFSET = int(os.environ.get("EIG_CLUSTER_PORT_OFFSET", "0"))
PORTS = cluster.ClusterPorts(
    nginx=16080 + OFFSET,
    rasa=(16005 + OFFSET, 16006 + OFFSET),
    actions=16055 + OFFSET,
    web=16000 + OFFSET,
    postgres=16432 + OFFSET,
    redis=16379 + OFFSET,
)
RASA = {f"127.0.0.1:{port}": f"Rasa server {i + 1}" for i, port in enumerate(PORTS.rasa)}
APOLOGY = {"fr": "Désolé, un problème technique", "en": "Sorry, a technical problem"}
ARTIFACTS = Path(os.environ.get("EIG_ARTIFACTS", "var/test-artifacts"))


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory):
    work_dir = tmp_path_factory.mktemp("cluster")
    log_file = work_dir.with_suffix(".log")
    os.environ["EIG_TODAY"] = "2026-11-23"
    running = cluster.Cluster(PORTS, work_dir, log_file=log_file)
    started = time.monotonic()
    try:
        running.start()
    except cluster.ClusterUnavailable as error:
        pytest.skip(f"the cluster's servers cannot be installed here: {error}")
    record("cluster_start_s", time.monotonic() - started)
    try:
        yield running
    finally:
        stopping = time.monotonic()
        running.stop()
        record("cluster_stop_s", time.monotonic() - stopping)
        os.environ.pop("EIG_TODAY", None)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if log_file.exists():
            (ARTIFACTS / "cluster-services.log").write_bytes(log_file.read_bytes())


@pytest.fixture(autouse=True)
def all_up(stack: cluster.Cluster) -> None:
    """PostgreSQL running, every process started again if a test stopped or killed it, and
    nginx sending requests to both Rasa instances again."""
    if not postgres_answers(stack):
        stack.start_postgres()
    for service in stack.stopped():
        stack.restart(service.name)
    wait_until(lambda: serving_instances() == set(RASA), timeout=60)


def postgres_answers(stack: cluster.Cluster) -> bool:
    engine = sa.create_engine(stack.database_url, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            return True
    except sa.exc.OperationalError:
        return False
    finally:
        engine.dispose()


def serving_instances(requests: int = 4) -> set[str]:
    """The Rasa instances nginx sent these requests to (Rasa's REST health check)."""
    served: set[str] = set()
    for _ in range(requests):
        try:
            with urllib.request.urlopen(f"{PORTS.public_url}/webhooks/rest/", timeout=10) as reply:
                served.add(served_by(reply.headers["X-Upstream"]))
        except (urllib.error.URLError, OSError):
            pass  # no instance answered (nginx's 503): none served
    return served & set(RASA)


@dataclass
class Reply:
    status: int
    messages: list[dict[str, Any]]
    upstream: str  # which Rasa instance served it: the last one nginx tried

    @property
    def text(self) -> str:
        return "\n".join(m.get("text", "") for m in self.messages)

    def is_apology(self, language: str) -> bool:
        return APOLOGY[language] in self.text


def served_by(header: Optional[str]) -> str:
    """``X-Upstream`` lists every instance nginx tried, the one that answered last."""
    return (header or "").split(",")[-1].strip()


def post(
    url: str,
    body: dict[str, Any],
    timeout: float = 120,
    headers: Optional[dict] = None,
    upstream: Optional[str] = None,
) -> Reply:
    """``upstream``: the instance posted to directly; else the one nginx names."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            messages = json.loads(reply.read())
            return Reply(reply.status, messages, upstream or served_by(reply.headers["X-Upstream"]))
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        try:
            messages = json.loads(text)
        except json.JSONDecodeError:
            messages = [{"text": text}]
        return Reply(error.code, messages, upstream or served_by(error.headers["X-Upstream"]))


class Conversation:
    """One REST conversation; ``say`` returns the reply and who served it: through nginx,
    or straight to one Rasa instance (``via``, one of ``RASA``)."""

    def __init__(self, language: str = "fr") -> None:
        self.sender = uuid.uuid4().hex  # public channels want 128 random bits
        self.stored_id = f"rest:{self.sender}"  # REST conversations are stored apart
        self.language = language

    def say(
        self,
        text: str,
        accept_language: Optional[str] = None,
        via: Optional[str] = None,
        message_id: Optional[str] = None,
    ) -> Reply:
        """``message_id``: the message's id, which makes a resend safe."""
        metadata = {"language": self.language}
        if message_id:
            metadata["message_id"] = message_id
        body = {"sender": self.sender, "message": text, "metadata": metadata}
        headers = {"Accept-Language": accept_language} if accept_language else {}
        base = f"http://{via}" if via else PORTS.public_url
        return post(f"{base}/webhooks/rest/webhook", body, headers=headers, upstream=via)


def events(stack: cluster.Cluster, sender: str) -> list[dict[str, Any]]:
    """The conversation as stored in PostgreSQL, in order."""
    engine = sa.create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            )
            return [json.loads(data) for (data,) in rows]
    finally:
        engine.dispose()


def user_texts(stored: list[dict[str, Any]]) -> list[Optional[str]]:
    return [e.get("text") for e in stored if e["event"] == "user"]


def wait_until(check, timeout: float, step: float = 0.2) -> float:
    """Seconds until ``check()`` is true; fails after ``timeout``."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, f"not true after {timeout} s"
        time.sleep(step)
    return time.monotonic() - start


def record(name: str, seconds: float) -> None:
    """Measured recovery times, for docs/deploy.md."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "cluster-timings.json"
    timings = json.loads(path.read_text()) if path.exists() else {}
    timings[name] = round(seconds, 2)
    path.write_text(json.dumps(timings, indent=2, sort_keys=True))
    print(f"{name}: {seconds:.2f} s")
