"""Write the synthetic city through the bulk path (COPY / executemany + set-based merge).

Each chunk is its own transaction and is merged with ``ON CONFLICT DO NOTHING``, so a run
that was interrupted can simply be started again: finished chunks change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import zip_longest
from typing import Any

from sqlalchemy import Date, DateTime, bindparam, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform import bulk
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.security import audit
from minsheng.synth.common import expected_counts
from minsheng.synth.employers import EmployerChunk, generate_employers
from minsheng.synth.insurance import DesignationChunk, EnrolmentChunk, enrolments_for
from minsheng.synth.people import HouseholdChunk, PersonChunk, generate_people

#: ``advance(kind, n)`` reports progress; ``start(kind, total)`` announces a phase.
Advance = Callable[[str, int], None]

#: A staging table: (column, SQL type) in the order of its rows' values.
_Stage = tuple[tuple[str, str], ...]

_HOUSEHOLD_STAGE: _Stage = (("household_no", "VARCHAR(32)"), ("address_region", "VARCHAR(6)"))
_PERSON_STAGE: _Stage = (
    ("resident_id", "VARCHAR(18)"),
    ("name", "VARCHAR(64)"),
    ("birth_date", "DATE"),
    ("gender", "VARCHAR(1)"),
    ("phone", "VARCHAR(20)"),
    ("hukou_region", "VARCHAR(6)"),
    ("residence_region", "VARCHAR(6)"),
    ("hukou_type", "VARCHAR(8)"),
    ("household_no", "VARCHAR(32)"),
    ("household_relation", "VARCHAR(8)"),
)
_EMPLOYER_STAGE: _Stage = (
    ("uscc", "VARCHAR(18)"),
    ("name", "VARCHAR(128)"),
    ("region", "VARCHAR(6)"),
    ("industry", "VARCHAR(1)"),
    ("size_class", "VARCHAR(8)"),
    ("work_injury_risk_class", "INTEGER"),
)
_ENROLMENT_STAGE: _Stage = (
    ("resident_id", "VARCHAR(18)"),
    ("scheme", "VARCHAR(20)"),
    ("uscc", "VARCHAR(18)"),
    ("start_month", "INTEGER"),
    ("end_month", "INTEGER"),
    ("declared_wage", "NUMERIC(14, 2)"),
)
_DESIGNATION_STAGE: _Stage = (("resident_id", "VARCHAR(18)"), ("designation", "VARCHAR(24)"))


def _stage(session: Session, name: str, stage: _Stage, rows: Iterable[Sequence[Any]]) -> None:
    bulk.create_temp_table(session, name, ", ".join(f"{c} {sql}" for c, sql in stage))
    bulk.load_rows(session, name, tuple(c for c, _ in stage), rows)


def _rows(chunk: object, stage: _Stage) -> Iterator[tuple[Any, ...]]:
    """The chunk's arrays named like the stage's columns, row by row as Python values."""
    return zip(*(getattr(chunk, column).tolist() for column, _ in stage), strict=True)


def _merge(session: Session, sql: str) -> int:
    """Run an ``INSERT … SELECT`` from a staging table (``:now`` bound); rows inserted."""
    now = bindparam("now", utcnow(), type_=DateTime(timezone=True))
    return bulk.execute_count(session, text(sql).bindparams(now))


def write_people(session: Session, households: HouseholdChunk, people: PersonChunk) -> int:
    """Merge one chunk of households and their members; returns people inserted."""
    _stage(session, "synth_household", _HOUSEHOLD_STAGE, _rows(households, _HOUSEHOLD_STAGE))
    _merge(
        session,
        "INSERT INTO household (household_no, address_region, address, version, created_at, "
        "updated_at) SELECT household_no, address_region, '', 1, :now, :now "
        "FROM synth_household WHERE true ON CONFLICT (household_no) DO NOTHING",
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
    _stage(session, "synth_person", _PERSON_STAGE, rows)
    inserted = _merge(
        session,
        "INSERT INTO person (resident_id, name, birth_date, gender, phone, hukou_region, "
        "residence_region, hukou_type, household_id, household_relation, status, version, "
        "created_at, updated_at) "
        "SELECT s.resident_id, s.name, s.birth_date, s.gender, s.phone, s.hukou_region, "
        "s.residence_region, s.hukou_type, h.id, s.household_relation, 'alive', 1, :now, :now "
        "FROM synth_person s JOIN household h ON h.household_no = s.household_no "
        "WHERE true ON CONFLICT (resident_id) DO NOTHING",
    )
    bulk.drop_temp_table(session, "synth_person")
    bulk.drop_temp_table(session, "synth_household")
    return inserted


def write_employers(session: Session, employers: EmployerChunk) -> int:
    _stage(session, "synth_employer", _EMPLOYER_STAGE, _rows(employers, _EMPLOYER_STAGE))
    inserted = _merge(
        session,
        "INSERT INTO employer (uscc, name, region, industry, size_class, "
        "work_injury_risk_class, version, created_at, updated_at) "
        "SELECT uscc, name, region, industry, size_class, work_injury_risk_class, 1, "
        ":now, :now FROM synth_employer WHERE true ON CONFLICT (uscc) DO NOTHING",
    )
    bulk.drop_temp_table(session, "synth_employer")
    return inserted


def write_enrolments(
    session: Session, enrolments: EnrolmentChunk, designations: DesignationChunk
) -> int:
    """Enrol the chunk's people (skipping anyone already enrolled in that scheme)."""
    rows = _rows(enrolments, _ENROLMENT_STAGE)
    _stage(
        session,
        "synth_enrolment",
        _ENROLMENT_STAGE,
        ((r, s, u, a, b or None, w or None) for r, s, u, a, b, w in rows),
    )
    inserted = _merge(
        session,
        "INSERT INTO enrolment (person_id, scheme, employer_id, start_month, end_month, "
        "declared_wage, end_reason, version, created_at, updated_at) "
        "SELECT p.id, s.scheme, emp.id, s.start_month, s.end_month, s.declared_wage, "
        "CASE WHEN s.end_month IS NOT NULL THEN 'retired' END, 1, :now, :now "
        "FROM synth_enrolment s JOIN person p ON p.resident_id = s.resident_id "
        "LEFT JOIN employer emp ON emp.uscc = s.uscc "
        "WHERE (s.uscc = '' OR emp.id IS NOT NULL) AND NOT EXISTS (SELECT 1 FROM enrolment e "
        "WHERE e.person_id = p.id AND e.scheme = s.scheme)",
    )
    _stage(
        session, "synth_designation", _DESIGNATION_STAGE, _rows(designations, _DESIGNATION_STAGE)
    )
    session.execute(
        text(
            "INSERT INTO person_designation (person_id, designation, valid_from, valid_to) "
            "SELECT p.id, s.designation, :since, NULL FROM synth_designation s "
            "JOIN person p ON p.resident_id = s.resident_id WHERE NOT EXISTS (SELECT 1 FROM "
            "person_designation d WHERE d.person_id = p.id AND d.designation = s.designation)"
        ).bindparams(bindparam("since", date(2016, 1, 1), type_=Date()))
    )
    bulk.drop_temp_table(session, "synth_enrolment")
    bulk.drop_temp_table(session, "synth_designation")
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
    """Generate and store a synthetic city; each chunk (people, their households, about
    a tenth as many employers, and enrolments) commits on its own."""
    chunk_size = max(chunk_size - chunk_size % 10, 10)
    expected = expected_counts(scale)
    inserted = {"people": 0, "employers": 0, "enrolments": 0}
    if start:
        start("people", expected["people"])
    people_chunks = generate_people(scale, seed, chunk_size)
    employer_chunks = generate_employers(scale, seed, chunk_size // 10)
    for pair, employers in zip_longest(people_chunks, employer_chunks):
        with unit_of_work(factory) as session:
            if employers is not None:
                inserted["employers"] += write_employers(session, employers)
            if pair is not None:
                households, people = pair
                inserted["people"] += write_people(session, households, people)
                if employers is not None:
                    enrolments, designations = enrolments_for(people, employers, seed)
                    inserted["enrolments"] += write_enrolments(session, enrolments,
                                                               designations)
        if advance and pair is not None:
            advance("people", len(pair[1]))
    with unit_of_work(factory) as session:
        audit.record(session, actor=actor, action="synth.load", subject_type="synthetic_city",
                     subject_id=seed, payload={"scale": scale, **inserted})
    return inserted
