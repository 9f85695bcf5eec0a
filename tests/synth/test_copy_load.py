"""The city-scale COPY load (``minsheng synth --copy``) on a tiny city: an interrupted
load resumed to the end holds exactly the generator's rows, every key, index and foreign
key is back, and the scorecard counts what a hand-written SQL count finds."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import zip_longest
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from minsheng.hrss.scorecard import service
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, upgrade
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth.copy_load import STATE_TABLE, LoadRefused, load_city_copy, saved_definitions
from minsheng.synth.employers import generate_employers
from minsheng.synth.insurance import enrolments_for
from minsheng.synth.people import generate_people
from tests.conftest import scratch_database

SCALE = 0.0001  # 35,000,000 × 0.0001 = 3,500 people
SEED = 5
CHUNK = 1_000  # 4 chunks of people (3 × 1,000 + 500); employer chunks of 100


class Interrupted(Exception):
    pass


@pytest.fixture(scope="module")
def loaded(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if not database_url.startswith("postgresql"):
        pytest.skip("the COPY load is PostgreSQL only (set MINSHENG_TEST_DATABASE_URL)")
    url = scratch_database(database_url, "synth_copy", Path(tmp_path_factory.mktemp("copy")))
    upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    seen: list[int] = []

    def stop_after_two_chunks(kind: str, n: int) -> None:
        seen.append(n)
        if kind == "people" and len(seen) == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        load_city_copy(factory, scale=SCALE, seed=SEED, chunk_size=CHUNK,
                       advance=stop_after_two_chunks)
    report = load_city_copy(factory, scale=SCALE, seed=SEED, chunk_size=CHUNK)
    assert report.resumed_from_chunk == 2
    yield engine
    engine.dispose()


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_rows_are_the_generators(loaded: Engine) -> None:
    # Declared sizes: 3,500 people, one employer per ten people.
    assert _count(loaded, "SELECT count(*) FROM person") == 3_500
    assert _count(loaded, "SELECT count(DISTINCT resident_id) FROM person") == 3_500
    assert _count(loaded, "SELECT count(*) FROM employer") == 350
    # Households and enrolments as the generator yields them, chunk by chunk.
    households = enrolments = designations = 0
    for pair, employers in zip_longest(generate_people(SCALE, SEED, CHUNK),
                                       generate_employers(SCALE, SEED, CHUNK // 10)):
        households += len(pair[0])
        if employers is not None:
            found, designated = enrolments_for(pair[1], employers, SEED)
            enrolments += len(found)
            designations += len(designated.resident_id)
    assert _count(loaded, "SELECT count(*) FROM household") == households
    assert _count(loaded, "SELECT count(*) FROM enrolment") == enrolments
    assert _count(loaded, "SELECT count(*) FROM person_designation") == designations


def test_contributions_follow_enrolments(loaded: Engine) -> None:
    # One employee-pension contribution per month of 2025 an enrolment is open in (months of
    # one year subtract as integers: 202512 − 202501 + 1 = 12), one resident-pension
    # contribution per resident enrolment begun by December 2025.
    expected = _count(loaded, """
        SELECT COALESCE(sum(GREATEST(0, LEAST(COALESCE(end_month, 202512), 202512)
                                        - GREATEST(start_month, 202501) + 1)), 0)
        FROM enrolment WHERE scheme = 'employee_pension'""") + _count(loaded, """
        SELECT count(*) FROM enrolment WHERE scheme = 'resident_pension'
          AND start_month <= 202512""")
    assert expected > 0
    assert _count(loaded, "SELECT count(*) FROM contribution") == expected
    # Pension payments: every month of 2025 from the start month, unless stopped.
    payments = _count(loaded, """
        SELECT COALESCE(sum(202512 - GREATEST(start_month, 202501) + 1), 0)
        FROM pension_recipient WHERE status <> 'stopped' AND start_month <= 202512""")
    assert _count(loaded, "SELECT count(*) FROM pension_payment") == payments
    # Every urban new employment has its placement (the foreign key is back and valid).
    assert _count(loaded, "SELECT count(*) FROM urban_new_employment u LEFT JOIN placement p "
                          "ON p.id = u.placement_id WHERE p.id IS NULL") == 0


def test_keys_indexes_and_sequences_are_back(loaded: Engine, engine: Engine) -> None:
    factory = make_session_factory(loaded)
    with unit_of_work(factory) as after, make_session_factory(engine)() as migrated:
        assert sorted(d["name"] for d in saved_definitions(after)) == sorted(
            d["name"] for d in saved_definitions(migrated))
    assert _count(loaded, f"SELECT count(*) FROM pg_class WHERE relname = '{STATE_TABLE}'") == 0
    # New rows get keys after the loaded ones: 3,500 people → the next id is 3,501.
    assert _count(loaded, "SELECT nextval('person_id_seq')") == 3_501


def test_a_loaded_database_is_refused(loaded: Engine) -> None:
    with pytest.raises(LoadRefused, match="not empty"):
        load_city_copy(make_session_factory(loaded), scale=SCALE, seed=SEED, chunk_size=CHUNK)


@pytest.mark.parametrize("region", ["50", "500103"], ids=["city", "district"])
def test_scorecard_counts_what_sql_counts(loaded: Engine, region: str) -> None:
    # Hand-written: events dated in 2025 (1 January and 31 December inclusive) whose place
    # of work is in the region.
    expected = _count(loaded, f"""
        SELECT count(*) FROM urban_new_employment WHERE region LIKE '{region}%'
          AND event_date BETWEEN DATE '2025-01-01' AND DATE '2025-12-31'""")
    if region == "50":
        assert expected > 0
    with Session(loaded) as session:
        card = service.scorecard(session, SYSTEM, region=region, period="2025", fresh=True,
                                 only=["urban_new_employment"])
        session.rollback()
    (row,) = card.rows
    assert row.value == expected
