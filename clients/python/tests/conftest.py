"""The tests run against a real Cairn: the one named by $CAIRN_TEST_URL (with $CAIRN_TEST_TOKEN, an
administrator's), or else one they start themselves from the built WAR (bin/run, its own embedded
PostgreSQL, a temporary data folder, a free port), stopped at the end."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest
import requests

import cairn

REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    """``(url, admin token)`` of a running Cairn."""
    if os.environ.get("CAIRN_TEST_URL"):
        yield os.environ["CAIRN_TEST_URL"].rstrip("/"), os.environ["CAIRN_TEST_TOKEN"]
        return
    if not (REPO / "target" / "cairn.war").is_file() or not (REPO / "target" / "payara-micro.jar").is_file():
        pytest.exit("Build Cairn first (mvn -B -DskipTests package), or set CAIRN_TEST_URL and CAIRN_TEST_TOKEN", 2)
    data = Path(tempfile.mkdtemp(prefix="cairn-pytest-"))
    port = _free_port()
    log = open(data / "server.log", "wb")
    env = dict(os.environ, CAIRN_NO_BUILD="true", CAIRN_PORT=str(port), CAIRN_DATA_DIR=str(data / "data"))
    process = subprocess.Popen([str(REPO / "bin" / "run")], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Cairn exited with {process.returncode}; see {data / 'server.log'}")
            try:
                if requests.get(f"{url}/health/ready", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Cairn did not start within 300 s; see {data / 'server.log'}")
            time.sleep(1)
        yield url, (data / "data" / "admin-token").read_text().strip()
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(120)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        if os.environ.get("CAIRN_TEST_KEEP") != "true":
            shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A user's own folders: the cache, the credentials, the executions' working folders."""
    for var, sub in (("CAIRN_CACHE_DIR", "cache"), ("CAIRN_CONFIG_DIR", "config"), ("CAIRN_WORK_DIR", "work")):
        monkeypatch.setenv(var, str(tmp_path / sub))
    monkeypatch.delenv("CAIRN_CATALOG", raising=False)
    return tmp_path


@pytest.fixture
def client(server, home, monkeypatch):
    url, token = server
    monkeypatch.setenv("CAIRN_URL", url)
    monkeypatch.setenv("CAIRN_TOKEN", token)
    return cairn.connect()


@pytest.fixture
def catalog(client):
    """A fresh catalog with DerivaML's schema and a domain schema ``demo``."""
    return client.create_catalog(f"t-{uuid.uuid4().hex[:10]}", domain_schema="demo")
