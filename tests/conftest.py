"""Test fixtures: a real database built by ``alembic upgrade head``, one rolled-back
transaction per test. SQLite by default; PostgreSQL when MINSHENG_TEST_DATABASE_URL says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session

from minsheng.app.assembly import assemble
from minsheng.app.web import create_app
from minsheng.platform.calendar import service as calendar
from minsheng.platform.config import Settings
from minsheng.platform.db import make_engine, make_session_factory, normalise_url, upgrade
from minsheng.platform.security import passwords
from minsheng.platform.web.deps import get_session

#: Page and browser helpers (sign-in, live servers, headless Chromium) for every folder.
pytest_plugins = ["tests.live"]

#: Tests never assert wall-clock time: no per-example deadline (a loaded CI machine made
#: a pure rule's property test "flaky" by time alone).
hypothesis_settings.register_profile("minsheng", deadline=None)
hypothesis_settings.load_profile("minsheng")

#: Event subscriptions, templates and navigation wired as at start-up (services called
#: directly in tests publish events too).
assemble()
#: Tests create thousands of accounts: a cheap Argon2 cost here, the default in production.
passwords.set_cost(time_cost=1, memory_cost=1024)


def _reset_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build_database(url: str) -> Engine:
    """A fresh database at ``url``, migrated to head, calendar seeded."""
    if url.startswith("postgresql"):
        _reset_postgres(url)
    upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine).begin() as session:
        calendar.seed_from_chinese_calendar(session)
    return engine


def _create_database(base_url: str, name: str) -> str:
    """An empty PostgreSQL database ``name`` on the server of ``base_url``."""
    url = make_url(base_url)
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SQLite in a temporary folder, or the PostgreSQL database named by
    MINSHENG_TEST_DATABASE_URL; under pytest-xdist each worker gets its own
    (``<db>_gw0`` ...), so workers never drop each other's schema."""
    url = os.environ.get("MINSHENG_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    url = normalise_url(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        return url
    return _create_database(url, f"{make_url(url).database}_{worker}")


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = build_database(database_url)
    yield engine
    engine.dispose()


def scratch_database(base_url: str, suffix: str, tmp_dir: Path) -> str:
    """A separate, empty database next to the test database, for tests that commit
    (CLI runs, live servers, tampering with the audit chain)."""
    if not base_url.startswith("postgresql"):
        return f"sqlite:///{tmp_dir / f'{suffix}.db'}"
    return _create_database(base_url, f"{make_url(base_url).database}_{suffix}")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint",
                 expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url,
                    secret_key="test-secret-not-for-production-use-0123456789")


def joined_app(session: Session, settings: Settings) -> FastAPI:
    """The real app whose request sessions join the test's rolled-back transaction."""
    app = create_app(settings, session_factory=make_session_factory(session.get_bind()))

    def _session() -> Iterator[Session]:
        # Each request is its own unit of work: a savepoint that a failure rolls back
        # without touching the data the test built before it.
        request_work = session.begin_nested()
        try:
            yield session
        except BaseException:
            request_work.rollback()
            raise
        else:
            request_work.commit()

    app.dependency_overrides[get_session] = _session
    return app


@pytest.fixture
def client(session: Session, settings: Settings) -> Iterator[TestClient]:
    """The app, its request sessions joined to the test's rolled-back transaction."""
    app = joined_app(session, settings)
    with TestClient(app) as test_client:
        yield test_client


def pytest_report_header() -> str:
    url = os.environ.get("MINSHENG_TEST_DATABASE_URL", "sqlite (temporary file)")
    return f"minsheng test database: {url.split('@')[-1]}"
