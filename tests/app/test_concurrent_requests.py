"""Many audited requests at once through the real server: each request's transaction
holds the audit chain's lock until its session dependency commits, on a thread of the
pool; the pool must leave a thread for that commit however many requests wait (with
AnyIO's default 40, 60 concurrent reads deadlocked until the database timed out)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from minsheng.app.web import create_app
from minsheng.platform.config import Settings
from minsheng.platform.db import make_session_factory
from tests import factories as f
from tests.conftest import build_database, scratch_database
from tests.live import E2E_SECRET, drop_e2e_database, seed

CONCURRENT = 60


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """uvicorn in a thread, with the app's lifespan (which sizes the thread pool)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "the server did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture
def site(database_url: str, tmp_path: Path) -> Iterator[tuple[str, list[int]]]:
    url = scratch_database(database_url, "concurrent", tmp_path)
    engine = build_database(url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        _, people = seed(session)
    try:
        app = create_app(Settings(database_url=url, secret_key=E2E_SECRET),
                         session_factory=factory)
        with served(app) as base:
            yield base, [p.id for p in people]
    finally:
        engine.dispose()
        drop_e2e_database(url)


def test_sixty_audited_reads_at_once_all_answer(site: tuple[str, list[int]]) -> None:
    base, people = site
    token = httpx.post(f"{base}/api/v1/auth/token", data={
        "username": "wangfang", "password": f.PASSWORD}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    barrier = threading.Barrier(CONCURRENT)

    def read(n: int) -> int:
        with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
            barrier.wait()
            return client.get(f"/api/v1/persons/{people[n % len(people)]}").status_code

    with ThreadPoolExecutor(CONCURRENT) as pool:
        answers = list(pool.map(read, range(CONCURRENT)))
    assert answers == [200] * CONCURRENT
