"""Write the synthetic city through the bulk path (COPY / executemany + set-based merge).

Each chunk is its own transaction and is merged with ``ON CONFLICT DO NOTHING``, so a run
that was interrupted can simply be started again: finished chunks change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform import bulk
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.security import audit
from minsheng.synth.generator import (
    EmployerChunk,
    HouseholdChunk,
    PersonChunk,
    expected_counts,
    generate_employers,
    generate_people,
)

#: ``advance(kind, n)`` reports progress; ``start(kind, total)`` announces a phase.
Advance = Callable[[str, int], None]

_HOUSEHOLD_STAGE = "household_no VARCHAR(32), address_region VARCHAR(6)"
_PERSON_STAGE = (
    "resident_id VARCHAR(18), name VARCHAR(64), birth_date DATE, gender VARCHAR(1), "
    "phone VARCHAR(20), hukou_region VARCHAR(6), residence_region VARCHAR(6), "
    "hukou_type VARCHAR(8), household_no VARCHAR(32), household_relation VARCHAR(8)"
)
_EMPLOYER_STAGE = (
    "uscc VARCHAR(18), name VARCHAR(128), region VARCHAR(6), industry VARCHAR(1), "
    "size_class VARCHAR(8), work_injury_risk_class INTEGER"
)


def _now_param() -> Any:
    return bindparam("now", utcnow(), type_=DateTime(timezone=True))


def _stage(
    session: Session, name: str, ddl: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    bulk.create_temp_table(session, name, ddl)
    bulk.load_rows(session, name, columns, rows)


def write_people(session: Session, households: HouseholdChunk, people: PersonChunk) -> int:
    """Merge one chunk of households and their members; returns people inserted."""
    _stage(
        session,
        "synth_household",
        _HOUSEHOLD_STAGE,
        ("household_no", "address_region"),
        zip(households.household_no.tolist(), households.address_region.tolist(), strict=True),
    )
    session.execute(
        text(
            "INSERT INTO household (household_no, address_region, address, version, created_at, "
            "updated_at) SELECT household_no, address_region, '', 1, :now, :now "
            "FROM synth_household WHERE true ON CONFLICT (household_no) DO NOTHING"
        ).bindparams(_now_param())
    )
    number_of = dict(
        zip(households.household_key.tolist(), households.household_no.tolist(), strict=True)
    )
    rows = zip(
        people.resident_id.tolist(),
        people.name.tolist(),
        people.birth_date.astype("datetime64[D]").astype(object).tolist(),
        people.gender.tolist(),
        people.phone.tolist(),
        people.hukou_region.tolist(),
        people.residence_region.tolist(),
        people.hukou_type.tolist(),
        (number_of[k] for k in people.household_key.tolist()),
        people.relation.tolist(),
        strict=False,
    )
    _stage(
        session,
        "synth_person",
        _PERSON_STAGE,
        (
            "resident_id",
            "name",
            "birth_date",
            "gender",
            "phone",
            "hukou_region",
            "residence_region",
            "hukou_type",
            "household_no",
            "household_relation",
        ),
        rows,
    )
    inserted = bulk.execute_count(
        session,
        text(
            "INSERT INTO person (resident_id, name, birth_date, gender, phone, hukou_region, "
            "residence_region, hukou_type, household_id, household_relation, status, version, "
            "created_at, updated_at) "
            "SELECT s.resident_id, s.name, s.birth_date, s.gender, s.phone, s.hukou_region, "
            "s.residence_region, s.hukou_type, h.id, s.household_relation, 'alive', 1, :now, :now "
            "FROM synth_person s JOIN household h ON h.household_no = s.household_no "
            "WHERE true ON CONFLICT (resident_id) DO NOTHING"
        ).bindparams(_now_param())
    )
    bulk.drop_temp_table(session, "synth_person")
    bulk.drop_temp_table(session, "synth_household")
    return inserted


def write_employers(session: Session, employers: EmployerChunk) -> int:
    rows = zip(
        employers.uscc.tolist(),
        employers.name.tolist(),
        employers.region.tolist(),
        employers.industry.tolist(),
        employers.size_class.tolist(),
        employers.work_injury_risk_class.tolist(),
        strict=True,
    )
    _stage(
        session,
        "synth_employer",
        _EMPLOYER_STAGE,
        ("uscc", "name", "region", "industry", "size_class", "work_injury_risk_class"),
        rows,
    )
    inserted = bulk.execute_count(
        session,
        text(
            "INSERT INTO employer (uscc, name, region, industry, size_class, "
            "work_injury_risk_class, version, created_at, updated_at) "
            "SELECT uscc, name, region, industry, size_class, work_injury_risk_class, 1, "
            ":now, :now FROM synth_employer WHERE true ON CONFLICT (uscc) DO NOTHING"
        ).bindparams(_now_param())
    )
    bulk.drop_temp_table(session, "synth_employer")
    return inserted


def load_synthetic_city(
    factory: sessionmaker[Session],
    *,
    scale: float,
    seed: int,
    chunk_size: int = 100_000,
    start: Callable[[str, int], None] | None = None,
    advance: Advance | None = None,
    actor: str = "system",
) -> dict[str, int]:
    """Generate and store a synthetic city; each chunk commits on its own."""
    expected = expected_counts(scale)
    inserted = {"people": 0, "employers": 0}
    if start:
        start("people", expected["people"])
    for households, people in generate_people(scale, seed, chunk_size):
        with unit_of_work(factory) as session:
            inserted["people"] += write_people(session, households, people)
        if advance:
            advance("people", len(people.resident_id))
    if start:
        start("employers", expected["employers"])
    for employers in generate_employers(scale, seed, chunk_size):
        with unit_of_work(factory) as session:
            inserted["employers"] += write_employers(session, employers)
        if advance:
            advance("employers", len(employers.uscc))
    with unit_of_work(factory) as session:
        audit.record(
            session,
            actor=actor,
            action="synth.load",
            subject_type="synthetic_city",
            subject_id=seed,
            payload={"scale": scale, **inserted},
        )
    return inserted
