"""Processes under measure: training runs, our three services, the stock Rasa server.

``RssSampler`` samples the resident memory of process trees every 0.2 s in a thread and
keeps the peak of each.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Optional

import psutil
from tqdm import tqdm

from bench import load
from bot import ROOT
from bot.infra import settings
from bot.ops import services

RASA = str(Path(sys.executable).with_name("rasa"))  # the stock assistant's: Rasa as released
OUR_RASA = services.rasa_command()  # ours: with bot/rasa_server/patches.py installed first
HOST = "127.0.0.1"
# EIG_BENCH_PORT_OFFSET moves every port, so two benchmarks can run side by side.
OFFSET = settings.BENCH_PORT_OFFSET.get()
OUR_PORTS = services.Ports(rasa=25005 + OFFSET, actions=25055 + OFFSET, web=28000 + OFFSET)
STOCK_PORT = 26005 + OFFSET


def tree_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process and its children so far."""
    try:
        process = psutil.Process(pid)
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for member in members:
        with contextlib.suppress(psutil.Error):
            times = member.cpu_times()
            total += times.user + times.system
    return total


def tree_rss(pid: int) -> int:
    try:
        process = psutil.Process(pid)
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in members:
        with contextlib.suppress(psutil.Error):
            total += member.memory_info().rss
    return total


class RssSampler:
    def __init__(self, pids: Callable[[], dict[str, int]], every: float = 0.2) -> None:
        self.pids = pids
        self.every = every
        self.peak_mb: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            for name, pid in self.pids().items():
                self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), tree_rss(pid) / 2**20)
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def train(
    command: list[str], cwd: Path, cache: Path, label: str, log_file: Path
) -> dict[str, float]:
    """Runs one ``rasa train``; returns its wall time and peak RSS."""
    env = dict(os.environ, RASA_CACHE_DIRECTORY=str(cache), RASA_TELEMETRY_ENABLED="false")
    env.setdefault("PYTHONPATH", str(ROOT))
    started = time.monotonic()
    with open(log_file, "ab") as log, tqdm(desc=label, unit="s", leave=True) as bar:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        with RssSampler(lambda: {"train": process.pid}) as sampler:
            while process.poll() is None:
                time.sleep(1)
                bar.update(1)
    if process.returncode != 0:
        raise SystemExit(f"{label} failed: see {log_file}")
    return {
        "seconds": round(time.monotonic() - started, 1),
        "peak_rss_mb": round(sampler.peak_mb["train"], 1),
    }


def train_ours(out: Path, cache: Path, log_file: Path, label: str) -> dict[str, float]:
    command = [
        *OUR_RASA, "train", "--data", "data/nlu", "data/rules", "--config", "config.yml",
        "--domain", "domain.yml", "--out", str(out), "--fixed-model-name", "ours",
    ]  # fmt: skip
    return train(command, ROOT, cache, label, log_file)


def create_stock(folder: Path) -> Path:
    """The project `rasa init` creates (its scaffold, without `rasa init`'s own training)."""
    from rasa.cli.scaffold import create_initial_project

    if folder.exists():
        shutil.rmtree(folder)
    create_initial_project(str(folder))
    shutil.rmtree(folder / "models", ignore_errors=True)
    return folder


def train_stock(project: Path, cache: Path, log_file: Path, label: str) -> dict[str, float]:
    command = [RASA, "train", "--out", "models", "--fixed-model-name", "stock"]
    return train(command, project, cache, label, log_file)


class Bot:
    """A running assistant: its REST URL, its process ids, and how to stop it."""

    url: str
    greeting: tuple[str, str, Optional[str]]  # text, expected substring, language

    def pids(self) -> dict[str, int]:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def cold_start(self, timeout: float = 240) -> float:
        """Seconds from launch to the first correct answer."""
        started = time.monotonic()
        self.start()
        text, expected, language = self.greeting
        while not load.first_answer(self.url, text, expected, language):
            if time.monotonic() - started > timeout:
                raise SystemExit(f"{type(self).__name__}: no correct answer in {timeout} s")
            time.sleep(0.1)
        return time.monotonic() - started


class Ours(Bot):
    greeting = ("bonjour", "Bonjour", "fr")

    def __init__(
        self, model: Path, var_dir: Path, log_file: Path, ports: services.Ports = OUR_PORTS
    ) -> None:
        self.url = f"http://{HOST}:{ports.rasa}/webhooks/rest/webhook"
        if var_dir.exists():
            shutil.rmtree(var_dir)
        for key in ("TRACKER_DB", "NLG_ENDPOINT_URL", "ACTION_ENDPOINT_URL"):
            os.environ.pop(key, None)
        self.supervisor = services.Supervisor(
            ports, var_dir=var_dir, model=model, log_file=log_file
        )

    def pids(self) -> dict[str, int]:
        names = {"Rasa server": "rasa", "action server": "actions", "bot web service": "web"}
        return {
            names[s.name]: s.process.pid for s in self.supervisor.services if s.process is not None
        }

    def start(self) -> None:
        self.supervisor.start()

    def stop(self) -> None:
        self.supervisor.stop()


class Stock(Bot):
    greeting = ("hello", "Hey! How are you?", None)

    def __init__(self, project: Path, log_file: Path) -> None:
        self.project = project
        self.log_file = log_file
        self.url = f"http://{HOST}:{STOCK_PORT}/webhooks/rest/webhook"
        self.process: Optional[subprocess.Popen] = None

    def pids(self) -> dict[str, int]:
        return {"rasa": self.process.pid} if self.process else {}

    def start(self) -> None:
        command = [
            RASA, "run", "--model", "models/stock.tar.gz", "--interface", HOST,
            "--port", str(STOCK_PORT), "--credentials", "credentials.yml",
            "--endpoints", "endpoints.yml",
        ]  # fmt: skip
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
        log = open(self.log_file, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            command, cwd=self.project, env=env, stdout=log, stderr=log, start_new_session=True
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
