"""Schemathesis over the whole OpenAPI document: no input gives a 5xx."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import Request
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.generation import GenerationMode
from sqlalchemy.orm import Session, sessionmaker

from minsheng.app.web import create_app
from minsheng.platform.config import Settings
from minsheng.platform.db import make_session_factory
from minsheng.platform.web.deps import get_session, get_session_factory
from tests import factories as f

MAX_EXAMPLES = 15
SECRET = "fuzz-secret-not-for-production-use-0123456789"


class _Bound:
    session: Session | None = None
    factory: sessionmaker[Session] | None = None


_bound = _Bound()


def _session() -> Iterator[Session]:
    assert _bound.session is not None
    request_work = _bound.session.begin_nested()
    try:
        yield _bound.session
    except BaseException:
        request_work.rollback()
        raise
    else:
        request_work.commit()


def _factory(request: Request) -> sessionmaker[Session]:
    assert _bound.factory is not None
    return _bound.factory


app = create_app(Settings(database_url="sqlite://", secret_key=SECRET),
                 session_factory=sessionmaker())
app.dependency_overrides[get_session] = _session
app.dependency_overrides[get_session_factory] = _factory

schema = schemathesis.openapi.from_asgi("/openapi.json", app)
schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True,
                                modes=list(GenerationMode))


@pytest.fixture
def auth(session: Session) -> Iterator[dict[str, str]]:
    _bound.session = session
    _bound.factory = make_session_factory(session.get_bind())
    admin = f.staff(session, "admin", "50")
    with TestClient(app) as client:
        headers = f.login(client, admin)
    yield headers
    _bound.session = None
    _bound.factory = None


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case: Any, auth: dict[str, str]) -> None:
    case.call_and_validate(headers=auth, checks=[schemathesis.checks.not_a_server_error])
