"""The migrations are the schema: they match the models and can be reverted."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from minsheng.app.models import Base
from minsheng.platform.db import downgrade, make_engine, upgrade
from tests.conftest import scratch_database


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(database_url: str, tmp_path: Path) -> None:
    url = scratch_database(database_url, "migrations", tmp_path)
    upgrade(url)
    downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    assert {"person", "employer", "audit_event"} <= set(inspect(engine).get_table_names())
    engine.dispose()
