"""The city-scale load (``minsheng synth --copy``): ``COPY`` straight from the
generator's arrays into the real tables, PostgreSQL only.

Indexes, primary and unique keys and foreign keys of the tables written (and foreign
keys pointing at them) are dropped before the first chunk and rebuilt after the last,
then the tables are vacuumed and analysed: building an index once over sorted input is
several times cheaper than maintaining it row by row, and a foreign key is checked by one
join instead of a lookup per row. Checks (``CHECK``, ``NOT NULL``) stay in force throughout.

Each chunk (people, their households, employers, enrolments and every record of
:mod:`.records`) is one transaction that also records the chunk as done in
``synth_copy_state``, together with the definitions dropped; an interrupted load is
resumed by running the same command again (same scale, seed and chunk size), which
skips the chunks done and rebuilds what was dropped. A database that already holds
people, and is not a load in progress, is refused: this path writes explicit keys and
never merges.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import zip_longest
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.security import audit
from minsheng.synth.common import DEFAULT_AS_OF, expected_counts
from minsheng.synth.employers import generate_employers
from minsheng.synth.insurance import enrolments_for
from minsheng.synth.people import generate_people
from minsheng.synth.records import Rows, chunk_records, employer_rows

#: Tables written, in foreign-key order.
TABLES = (
    "household", "person", "employer", "enrolment", "person_designation", "contribution",
    "pension_award", "pension_recipient", "pension_payment", "social_security_card",
    "e_card", "placement", "urban_new_employment", "unemployment_registration",
    "unemployment_claim", "unemployment_payment",
)
#: Tables whose keys are written explicitly: their sequences are moved past the keys.
_EXPLICIT_KEYS = ("household", "person", "employer", "pension_award", "social_security_card",
                  "e_card", "placement", "unemployment_registration", "unemployment_claim")
STATE_TABLE = "synth_copy_state"

#: ``start(phase, total)`` announces a phase, ``advance(phase, n)`` reports progress.
Callback = Callable[[str, int], None]


class LoadRefused(Exception):
    """The database is not empty (or holds another load in progress)."""


@dataclass
class LoadReport:
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    seconds: dict[str, float] = field(default_factory=dict)
    resumed_from_chunk: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _exec(session: Session, sql: str, **params: Any) -> Any:
    return session.execute(text(sql), params)


def _table_list() -> str:
    return ", ".join(f"'{t}'" for t in TABLES)


def saved_definitions(session: Session) -> list[dict[str, str]]:
    """What is dropped for the load, in the order it is rebuilt: primary and unique keys,
    other indexes, then foreign keys (of the tables written, and pointing at them)."""
    keys = _exec(session, f"""
        SELECT 'constraint', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c WHERE c.contype IN ('p', 'u')
          AND c.conrelid::regclass::text IN ({_table_list()})
        ORDER BY c.conrelid::regclass::text, c.contype, c.conname""").all()
    indexes = _exec(session, f"""
        SELECT 'index', i.tablename, i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = 'public' AND i.tablename IN ({_table_list()})
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                          WHERE c.conindid = (quote_ident(i.indexname))::regclass)
        ORDER BY i.tablename, i.indexname""").all()
    foreign = _exec(session, f"""
        SELECT 'constraint', c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c WHERE c.contype = 'f'
          AND (c.conrelid::regclass::text IN ({_table_list()})
               OR c.confrelid::regclass::text IN ({_table_list()}))
        ORDER BY c.conrelid::regclass::text, c.conname""").all()
    return [{"kind": k, "table": t, "name": n, "definition": d}
            for k, t, n, d in [*keys, *indexes, *foreign]]


def _drop(session: Session, definitions: list[dict[str, str]]) -> None:
    for item in reversed(definitions):  # foreign keys first, keys last
        if item["kind"] == "constraint":
            _exec(session, f'ALTER TABLE {item["table"]} DROP CONSTRAINT IF EXISTS '
                           f'"{item["name"]}"')
        else:
            _exec(session, f'DROP INDEX IF EXISTS "{item["name"]}"')


def _exists(session: Session, item: dict[str, str]) -> bool:
    if item["kind"] == "constraint":
        return bool(_exec(session, "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE "
                                   "conname = :n AND conrelid = CAST(:t AS regclass))",
                          n=item["name"], t=item["table"]).scalar_one())
    return bool(_exec(session, "SELECT to_regclass(:n) IS NOT NULL",
                      n=f'"{item["name"]}"').scalar_one())


def _rebuild(session: Session, item: dict[str, str]) -> None:
    if _exists(session, item):
        return
    if item["kind"] == "constraint":
        _exec(session, f'ALTER TABLE {item["table"]} ADD CONSTRAINT "{item["name"]}" '
                       f'{item["definition"]}')
    else:
        _exec(session, item["definition"])


def _state(session: Session) -> dict[str, str] | None:
    if not _exec(session, f"SELECT to_regclass('{STATE_TABLE}') IS NOT NULL").scalar_one():
        return None
    return dict(_exec(session, f"SELECT key, value FROM {STATE_TABLE}").all())


def _tune(session: Session) -> None:
    """Session settings for bulk writing: no wait for the WAL flush at each chunk's
    commit (a crash loses at most the last chunks, which a resumed load writes again),
    and memory for sorting index keys."""
    _exec(session, "SET LOCAL synchronous_commit = off")
    _exec(session, "SET LOCAL maintenance_work_mem = '512MB'")


def _copy(session: Session, rows: Rows, now: str) -> None:
    connection = session.connection().connection.driver_connection
    assert connection is not None
    columns = ", ".join(rows.columns)
    with connection.cursor() as cursor, cursor.copy(
            f"COPY {rows.table} ({columns}) FROM STDIN") as copy:
        for row in rows.iter_rows(now):
            copy.write_row(row)


def _begin(session: Session, scale: float, seed: int, chunk_size: int) -> int:
    """Check the database, drop what the load rebuilds; the first chunk to write."""
    if session.get_bind().dialect.name != "postgresql":
        raise LoadRefused("快速加载仅支持 PostgreSQL / the COPY load needs PostgreSQL")
    params = json.dumps({"scale": scale, "seed": seed, "chunk_size": chunk_size})
    state = _state(session)
    if state is not None:
        if state.get("params") != params:
            raise LoadRefused(
                f"数据库中有另一次未完成的加载（{state.get('params')}），请用相同参数继续或换一个"
                f"空数据库 / another load is in progress here ({state.get('params')}): run it "
                "again with the same scale, seed and chunk size, or use an empty database")
        return int(state.get("next_chunk", "0"))
    occupied = [t for t in TABLES if _exec(session, f"SELECT EXISTS (SELECT 1 FROM {t})"
                                           ).scalar_one()]
    if occupied:
        listed = ", ".join(occupied[:3]) + ("…" if len(occupied) > 3 else "")
        raise LoadRefused(
            f"数据库不是空的（{listed} 已有数据）；快速加载只写入空数据库，"
            f"请新建数据库或去掉 --copy / the database is not empty ({listed} "
            "hold rows): the COPY load writes explicit keys into an empty database only; "
            "use a fresh database, or the merging load without --copy")
    definitions = saved_definitions(session)
    _exec(session, f"CREATE TABLE {STATE_TABLE} (key VARCHAR(32) PRIMARY KEY, value TEXT)")
    _exec(session, f"INSERT INTO {STATE_TABLE} VALUES ('params', :p), ('definitions', :d), "
                   "('next_chunk', '0')", p=params, d=json.dumps(definitions))
    _drop(session, definitions)
    return 0


def load_city_copy(
    factory: sessionmaker[Session],
    *,
    scale: float,
    seed: int,
    chunk_size: int = 100_000,
    as_of: date = DEFAULT_AS_OF,
    start: Callback | None = None,
    advance: Callback | None = None,
    actor: str = "system",
) -> LoadReport:
    """Generate and ``COPY`` a synthetic city into an empty PostgreSQL database (or
    resume an interrupted load); rebuild keys, indexes and foreign keys; vacuum and analyse."""
    chunk_size = max(chunk_size - chunk_size % 10, 10)
    employer_chunk = chunk_size // 10
    report = LoadReport()
    began = time.perf_counter()
    with unit_of_work(factory) as session:
        first_chunk = _begin(session, scale, seed, chunk_size)
    report.resumed_from_chunk = first_chunk
    people_total = expected_counts(scale)["people"]
    if start:
        start("people", people_total)
    if advance and first_chunk:
        advance("people", min(first_chunk * chunk_size, people_total))
    now = utcnow().isoformat()
    people_chunks = generate_people(scale, seed, chunk_size, start_chunk=first_chunk,
                                    as_of=as_of)
    employer_chunks = generate_employers(scale, seed, employer_chunk, start_chunk=first_chunk,
                                         as_of=as_of)
    for pair, employers in zip_longest(people_chunks, employer_chunks):
        if pair is None:  # employers beyond the people's chunks (rounding)
            households = people = None
        else:
            households, people = pair
        with unit_of_work(factory) as session:
            _tune(session)
            if people is None or households is None:
                assert employers is not None
                index = employers.chunk_index
                tables = [employer_rows(employers, employer_chunk)]
            else:
                index = people.chunk_index
                enrolments, designations = (enrolments_for(people, employers, seed, as_of=as_of)
                                            if employers is not None else (None, None))
                tables = chunk_records(households, people, employers, enrolments, designations,
                                       seed=seed, chunk_size=chunk_size,
                                       employer_chunk_size=employer_chunk, as_of=as_of)
            for rows in tables:
                _copy(session, rows, now)
                report.rows[rows.table] += rows.count
            _exec(session, f"UPDATE {STATE_TABLE} SET value = :v WHERE key = 'next_chunk'",
                  v=str(index + 1))
        if advance and people is not None:
            advance("people", len(people))
    report.seconds["copy"] = time.perf_counter() - began
    finish(factory, start=start, advance=advance, report=report)
    with unit_of_work(factory) as session:
        audit.record(session, actor=actor, action="synth.load", subject_type="synthetic_city",
                     subject_id=seed, payload={"scale": scale, "mode": "copy",
                                               **{k: v for k, v in report.rows.items() if v}})
    report.seconds["total"] = time.perf_counter() - began
    return report


def finish(factory: sessionmaker[Session], *, start: Callback | None = None,
           advance: Callback | None = None, report: LoadReport | None = None) -> None:
    """Rebuild what the load dropped (each item once, committed on its own, so an
    interrupted rebuild continues where it stopped), move the sequences past the keys
    written, vacuum and analyse the tables and forget the load's state."""
    began = time.perf_counter()
    with unit_of_work(factory) as session:
        state = _state(session)
    if state is None:
        return
    definitions: list[dict[str, str]] = json.loads(state["definitions"])
    if start:
        start("indexes", len(definitions))
    for item in definitions:
        with unit_of_work(factory) as session:
            _tune(session)
            _rebuild(session, item)
        if advance:
            advance("indexes", 1)
    indexed = time.perf_counter()
    with unit_of_work(factory) as session:
        for table in _EXPLICIT_KEYS:
            _exec(session, f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
    engine = factory.kw["bind"]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in TABLES:
            # VACUUM too: it sets the visibility map (index-only scans) and the hint bits
            # that the first reader would otherwise write on every page.
            conn.execute(text(f"VACUUM (ANALYZE) {table}"))
    with unit_of_work(factory) as session:
        _exec(session, f"DROP TABLE {STATE_TABLE}")
    if report is not None:
        report.seconds["indexes"] = indexed - began
        report.seconds["analyze"] = time.perf_counter() - indexed
