"""Page and browser test helpers, loaded by ``tests/conftest.py`` for every folder:
signing in through the form, and a live server for the browser tests that runs the real
app on its own database (committed rows never leak into the rolled-back database of the
other tests)."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.app.web import create_app
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.schemas import HouseholdCreate
from minsheng.platform.config import Settings
from minsheng.platform.db import make_engine, make_session_factory
from minsheng.platform.security.principal import SYSTEM, Principal
from minsheng.platform.web.defences import CSRF_HEADER
from tests import factories as f
from tests.conftest import build_database, scratch_database

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

def playwright_or_skip() -> Any:
    """For a browser-test module, at import: Playwright's sync API, or skip the module
    with the reason (no playwright package, or no Debian Chromium)."""
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')",
                    allow_module_level=True)
    return sync_api



def sign_in(client: TestClient, principal: Principal) -> None:
    """Sign in through the login form; the client keeps the session cookie and sends the
    session's CSRF token with every request, as the pages' script does (``csrf_headers``
    gives it for a client that should not send it by default)."""
    response = client.post("/login", data={"username": principal.username,
                                           "password": f.PASSWORD}, follow_redirects=False)
    assert response.status_code == 303, response.text
    client.headers.update(csrf_headers(client))


def csrf_headers(client: TestClient) -> dict[str, str]:
    """The ``X-CSRF-Token`` header of the client's current session (read from the page,
    as the browser's script does)."""
    page = client.get("/login")
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert match, "no CSRF token on the page: not signed in?"
    return {CSRF_HEADER: match.group(1)}


# --- browser pages ------------------------------------------------------------------


def watch_errors(page: Any, errors: list[str]) -> None:
    """Collect into ``errors`` the page's uncaught JavaScript errors and every request the
    Content-Security-Policy refused (Chromium reports those on the console)."""
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: errors.append(f"CSP: {message.text}")
            if "Content Security Policy" in message.text else None)


@contextmanager
def open_page(browser: Any, *, width: int = 1366, height: int = 900) -> Iterator[Any]:
    """A Chinese-locale page at ``width``×``height`` in a context of its own; fails the
    test if the page threw a JavaScript error or the CSP refused anything."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    watch_errors(page, errors)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop page (1366×900) for a browser test."""
    with open_page(browser) as opened:
        yield opened


def sign_in_page(page: Any, base: str, username: str, password: str = f.PASSWORD) -> None:
    """Sign in through the login form in the browser, as a fresh visitor."""
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill("#f-username", username)
    page.fill("#f-password", password)
    page.click("button[type=submit]")
    page.wait_for_selector(".topbar")


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def shot(page: Any, folder: Path, name: str) -> Path:
    """A full-page screenshot from the top into MINSHENG_SCREENSHOT_DIR when set, else
    ``folder`` (the test's tmp dir); asserts a PNG was written."""
    target = Path(os.environ.get("MINSHENG_SCREENSHOT_DIR") or folder)
    target.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays on top of the shot
    path = target / name
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes()[:8] == PNG_MAGIC
    return path


def chart_data(html: str, chart_id: str) -> Any:
    """The JSON data of the chart ``chart_id`` on a page (``_charts.html``'s
    ``<script type="application/json" id="<chart_id>-data">``); fails if it is missing."""
    match = re.search(r'<script type="application/json" id="' + re.escape(chart_id)
                      + r'-data">(.*?)</script>', html, re.S)
    assert match, f"no chart {chart_id!r} on the page"
    assert f'data-chart-data="{chart_id}-data"' in html, f"no container for {chart_id!r}"
    return json.loads(match.group(1))


#: In the page: whether the element ``selector`` holds a canvas with paint on it, i.e.
#: opaque pixels of more than one colour (a sample of every 5th pixel).
_PAINTED_JS = """(selector) => {
  const root = document.querySelector(selector);
  const canvas = root && root.querySelector("canvas");
  if (!canvas || !canvas.width || !canvas.height) return false;
  const context = canvas.getContext("2d");
  if (!context) return false;
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  let opaque = 0;
  for (let i = 0; i < pixels.length; i += 4 * 5) {
    if (pixels[i + 3] === 0) continue;
    opaque += 1;
    colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
    if (opaque >= 20 && colours.size >= 2) return true;
  }
  return false;
}"""


def chart_painted(page: Any, selector: str, timeout: float = 10_000) -> bool:
    """Whether the chart container ``selector`` holds a ``<canvas>`` that is not blank
    (some opaque pixels, more than one colour), waiting up to ``timeout`` ms for it."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(_PAINTED_JS, arg=selector, timeout=timeout)
    except PlaywrightTimeout:
        return False
    return True


# --- live server ---------------------------------------------------------------------


@dataclass
class SeededPerson:
    id: int
    name: str
    resident_id: str


@dataclass
class LiveServer:
    url: str
    username: str
    password: str
    people: list[SeededPerson] = field(default_factory=list)


def e2e_database_url(base_url: str, tmp_dir: Path) -> str:
    """A database of its own: ``<db>_e2e`` next to the PostgreSQL test database, or a
    temporary SQLite file."""
    return scratch_database(base_url, "e2e", tmp_dir)


def drop_e2e_database(url_text: str) -> None:
    if not url_text.startswith("postgresql"):
        return
    url = make_url(url_text)
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


#: The seeded residents of 渝中区 (500103): name, male, year of birth.
SEED_PEOPLE = (
    ("李秀英", False, 1962), ("王建国", True, 1960), ("张伟", True, 1988), ("刘洋", True, 1995),
    ("陈静", False, 1979), ("杨帆", True, 2001), ("赵磊", True, 1983), ("黄丽", False, 1991),
    ("周敏", False, 1970), ("吴强", True, 1956), ("徐婷", False, 1999), ("孙浩", True, 1986),
)


def seed(session: Session) -> tuple[Principal, list[SeededPerson]]:
    clerk = f.staff(session, "clerk", "500103", username="wangfang", display_name="王芳")
    people = []
    for n, (name, male, year) in enumerate(SEED_PEOPLE):
        rid = f.resident_id("500103", birth=date(year, n % 12 + 1, 1), male=male)
        person = f.person(session, resident_id=rid, name=name, phone=f"1380013{n:04d}",
                          hukou_type="urban" if n % 3 else "rural")
        people.append(SeededPerson(person.id, person.name, person.resident_id))
    f.person(session, name="李秀兰", residence_region="500106")  # 沙坪坝区: outside the scope
    household = registry.create_household(
        session, SYSTEM, HouseholdCreate(address_region="500103", address="解放碑街道民族路 88 号"))
    registry.add_household_member(session, SYSTEM, household.id, people[1].id, "head")
    registry.add_household_member(session, SYSTEM, household.id, people[0].id, "spouse")
    f.employer(session, name="重庆山城软件有限公司")
    f.employer(session, name="渝中区解放碑百货有限公司", size_class="medium", industry="F")
    return clerk, people


@contextmanager
def serve(database_url: str, tmp_dir: Path) -> Iterator[LiveServer]:
    """Run the real app with uvicorn on a free 127.0.0.1 port in a background thread, on
    a fresh database of its own with a clerk of 渝中区 (``wangfang``) and a dozen residents."""
    url = e2e_database_url(database_url, tmp_dir)
    engine = build_database(url)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        clerk, people = seed(session)
    with serve_on(url, engine, factory) as base:
        yield LiveServer(base, clerk.username, f.PASSWORD, people)


E2E_SECRET = "e2e-secret-not-for-production-use-0123456789"


def e2e_app(database_url: str, factory: sessionmaker[Session]) -> FastAPI:
    """The real app on a browser test's own database."""
    return create_app(Settings(database_url=database_url, secret_key=E2E_SECRET),
                      session_factory=factory)


def e2e_database(database_url: str, tmp_path_factory: pytest.TempPathFactory, name: str
                 ) -> tuple[str, Engine, sessionmaker[Session]]:
    """A migrated database of a browser test's own (``<db>_e2e_<name>`` on PostgreSQL, a
    file in a fresh tmp folder on SQLite): its URL, engine and session factory."""
    url = scratch_database(database_url, f"e2e_{name}", tmp_path_factory.mktemp(name))
    engine = build_database(url)
    return url, engine, make_session_factory(engine)


@contextmanager
def serve_on(url: str, engine: Engine, factory: sessionmaker[Session]) -> Iterator[str]:
    """Serve the real app on a browser test's own database and yield its base URL; the
    database is dropped when the block ends."""
    try:
        with run_app(e2e_app(url, factory)) as base:
            yield base
    finally:
        engine.dispose()
        drop_e2e_database(url)


@contextmanager
def run_app(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free 127.0.0.1 port in a background thread and
    yield its base URL; the server stops when the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the live server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright, one per test module."""
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="the playwright package is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package 'chromium')")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass(frozen=True)
class DemoSite:
    url: str
    factory: sessionmaker[Session]


@pytest.fixture(scope="session")
def demo_site(database_url: str, tmp_path_factory: pytest.TempPathFactory
              ) -> Iterator[DemoSite]:
    """The demo city (what ``minsheng demo`` loads) served over HTTP, built once per test
    process for the browser tests that read it; a test that adds rows says so."""
    from minsheng.app import demo

    url, engine, factory = e2e_database(database_url, tmp_path_factory, "demo")
    demo.load(factory)
    with serve_on(url, engine, factory) as base:
        yield DemoSite(base, factory)


@pytest.fixture(scope="session")
def live_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """The app served over HTTP for the browser tests (see :func:`serve`)."""
    with serve(database_url, tmp_path_factory.mktemp("e2e")) as server:
        yield server
