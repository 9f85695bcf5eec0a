"""The monthly assessment (缴费核定): one set-based INSERT … SELECT per range of people,
idempotent per month and resumable from a ledger of the ranges done."""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, Date, bindparam, func, select, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance.models import (
    AssessmentRange,
    AssessmentRun,
    ContributionRule,
    Enrolment,
)
from minsheng.hrss.registry.service import Person
from minsheng.platform import bulk, money, regions, rulebook
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.errors import RuleViolation, invalid_field
from minsheng.platform.months import first_day, label, parse_month
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

_RULE_STAGE = (
    "region VARCHAR(6) PRIMARY KEY, rule_id INTEGER, floor_fen BIGINT, ceiling_fen BIGINT, "
    "pe BIGINT, pp BIGINT, ue BIGINT, up BIGINT, fp BIGINT, "
    + ", ".join(f"wi{i} BIGINT" for i in range(1, 9))
)


def _assessment_sql(dialect: str = "sqlite", *, conflict: bool = True,
                    incremental: bool = False, scoped: bool = True) -> str:
    """The whole arithmetic of ``rules.assess`` in one INSERT ... SELECT over a range of
    people: employees at their employer's region, flexible workers (no employer) at
    their residence, paying the flexible pension rate themselves (国发〔2005〕38号 §6).

    The declared wage is rounded to fen once and the clamped base computed once (on
    PostgreSQL ``OFFSET 0`` keeps the subqueries from being inlined into every use);
    yuan are ``fen * 0.01`` there (numeric multiplication, exact) and ``fen / 100.0`` on
    SQLite as before. ``conflict``: skip rows that exist (``ON CONFLICT DO NOTHING``);
    without it a row that exists fails the statement. ``incremental``: only enrolments
    with ``id > :since``. ``scoped``: only regions under ``:like``."""
    postgresql = dialect == "postgresql"
    fence = " OFFSET 0" if postgresql else ""
    yuan = "{} * 0.01" if postgresql else "{} / 100.0"
    region = "COALESCE(emp.region, p.residence_region)"
    injury = "CASE emp.work_injury_risk_class " + " ".join(
        f"WHEN {i} THEN r.wi{i}" for i in range(1, 9)) + " END"
    er = (f"CASE WHEN emp.id IS NULL THEN 0 WHEN e.scheme = 'employee_pension' THEN r.pe "
          f"WHEN e.scheme = 'unemployment' THEN r.ue ELSE {injury} END")
    pr = ("CASE WHEN emp.id IS NULL THEN r.fp WHEN e.scheme = 'employee_pension' "
          "THEN r.pp WHEN e.scheme = 'unemployment' THEN r.up ELSE 0 END")
    base = ("CASE WHEN x.wage_fen IS NULL OR x.wage_fen < x.floor_fen THEN x.floor_fen "
            "WHEN x.wage_fen > x.ceiling_fen THEN x.ceiling_fen ELSE x.wage_fen END")
    clamp = ("CASE WHEN y.wage_fen IS NULL OR y.wage_fen < y.floor_fen THEN 'floor' "
             "WHEN y.wage_fen > y.ceiling_fen THEN 'ceiling' END")
    return (
        "INSERT INTO contribution (person_id, period, scheme, employer_id, region, declared_wage, "
        "base, clamp, employer_amount, personal_amount, government_amount, subsidy_amount, "
        "status, rule_id, run_id) "
        "SELECT y.person_id, :period, y.scheme, y.employer_id, y.region, y.declared_wage, "
        f"{yuan.format('y.base_fen')}, {clamp}, "
        f"{yuan.format('((y.base_fen * y.er + 500000) / 1000000)')}, "
        f"{yuan.format('((y.base_fen * y.pr + 500000) / 1000000)')}, 0, 0, 'due', "
        f"y.rule_id, :run_id FROM (SELECT x.*, {base} AS base_fen FROM ("
        f"SELECT e.person_id, e.scheme, e.employer_id, {region} AS region, e.declared_wage, "
        "CAST(ROUND(e.declared_wage * 100) AS BIGINT) AS wage_fen, r.rule_id, r.floor_fen, "
        f"r.ceiling_fen, {er} AS er, {pr} AS pr "
        "FROM enrolment e JOIN person p ON p.id = e.person_id "
        "LEFT JOIN employer emp ON emp.id = e.employer_id "
        f"JOIN assess_rule r ON r.region = {region} "
        "WHERE e.person_id >= :low AND e.person_id < :high "
        "AND p.id >= :low AND p.id < :high "
        + ("AND e.id > :since " if incremental else "")
        + "AND e.scheme IN ('employee_pension','unemployment','work_injury') "
        + (f"AND {region} LIKE :like " if scoped else "")
        + "AND e.start_month <= :period AND (e.end_month IS NULL OR e.end_month >= :period) "
        f"AND (p.death_date IS NULL OR p.death_date >= :month_start){fence}) x{fence}) y"
        + (" WHERE true ON CONFLICT (person_id, period, scheme) DO NOTHING" if conflict else "")
    )


def _stage_rules(session: Session, period: int, prefix: str, *,
                 keep: bool = False) -> list[str]:
    """Resolve the rule of every division code under ``prefix`` into a scratch table
    ``assess_rule``, which the assessment joins as a table. ``keep``: the table outlives
    the transaction (the monthly run stages it once for all its ranges, on one
    connection); else it is dropped at commit on PostgreSQL."""
    codes = [c for c in regions.all_codes() if c.startswith(prefix)
             and regions.is_county_level(c)]
    in_force = rulebook.resolver(session, ContributionRule, period)
    rows = []
    for code in codes:
        found = in_force(code)
        if not found:
            continue
        rule = found[0]
        average = money.to_fen(rule.average_wage)
        rows.append((code, rule.id, money.share_fen(average, rule.floor_ppm),
                     money.share_fen(average, rule.ceiling_ppm), rule.pension_employer_ppm,
                     rule.pension_personal_ppm, rule.unemployment_employer_ppm,
                     rule.unemployment_personal_ppm, rule.flexible_pension_ppm,
                     *json.loads(rule.work_injury_ppm)))
    if keep:
        bulk.drop_temp_table(session, "assess_rule")
        session.execute(text(f"CREATE TEMPORARY TABLE assess_rule ({_RULE_STAGE})"))
    else:
        bulk.create_temp_table(session, "assess_rule", _RULE_STAGE)
    bulk.load_rows(session, "assess_rule",
                   ("region", "rule_id", "floor_fen", "ceiling_fen", "pe", "pp", "ue", "up", "fp",
                    *(f"wi{i}" for i in range(1, 9))), rows)
    # Statistics of the scratch table: without them the planner guesses a few rows out
    # of the rule join and plans the range's hundreds of thousands for that.
    bulk.analyze(session, "assess_rule")
    return [r[0] for r in rows]


def _active_in(period: int, since: int | None = None) -> str:
    newer = "" if since is None else f" AND e.id > {int(since)}"
    return (f"e.start_month <= {period} AND (e.end_month IS NULL OR e.end_month >= {period})"
            + newer)


def _precheck(session: Session, period: int, prefix: str, since: int | None = None) -> None:
    """Refuse the whole run when a county under ``prefix`` with enrolments to assess has
    no rule, or an employer lacks a work-injury risk class: never a silent zero.
    ``since``: only the enrolments with a greater id are to be assessed."""
    like = prefix + "%"

    def _active(period: int) -> str:
        return _active_in(period, since)

    missing_rule = session.execute(text(
        "SELECT DISTINCT emp.region FROM enrolment e JOIN employer emp ON emp.id = e.employer_id "
        f"LEFT JOIN assess_rule r ON r.region = emp.region WHERE emp.region LIKE :like "
        f"AND r.region IS NULL AND e.scheme <> 'resident_pension' AND {_active(period)} "
        "UNION SELECT DISTINCT p.residence_region FROM enrolment e JOIN person p "
        "ON p.id = e.person_id LEFT JOIN assess_rule r ON r.region = p.residence_region "
        "WHERE p.residence_region LIKE :like AND r.region IS NULL AND e.employer_id IS NULL "
        f"AND e.scheme = 'employee_pension' AND {_active(period)}"), {"like": like}
    ).scalars().all()
    if missing_rule:
        names = "、".join(f"{c}（{regions.name_of(c) or '?'}）" for c in sorted(missing_rule))
        raise RuleViolation(
            f"{label(period)} 缺少以下地区的缴费参数：{names}；未作任何核定",
            f"No contribution rule for {label(period)} in {', '.join(sorted(missing_rule))}; "
            "nothing was assessed", extra={"regions": sorted(missing_rule)})
    no_class = session.execute(text(
        "SELECT DISTINCT emp.id, emp.name FROM enrolment e JOIN employer emp "
        "ON emp.id = e.employer_id WHERE emp.region LIKE :like AND e.scheme = 'work_injury' "
        f"AND emp.work_injury_risk_class IS NULL AND {_active(period)}"), {"like": like}).all()
    if no_class:
        listed = "、".join(f"{name}（{i}）" for i, name in no_class[:10])
        raise RuleViolation(
            f"以下单位未核定工伤保险行业风险类别，无法确定费率：{listed}；未作任何核定",
            "Employers without a work-injury risk class (rate unknown); nothing was assessed",
            extra={"employer_ids": [i for i, _ in no_class]})


def _assess_range(session: Session, *, period: int, prefix: str, low: int, high: int,
                  run_id: int | None, conflict: bool, since: int | None) -> int:
    """One statement: the people with ``low <= person_id < high`` (and enrolments with
    ``id > since`` when given); returns rows inserted."""
    sql = _assessment_sql(bulk.dialect_name(session), conflict=conflict,
                          incremental=since is not None, scoped=bool(prefix))
    params: dict[str, object] = {"period": period, "low": low, "high": high, "run_id": run_id}
    if prefix:
        params["like"] = prefix + "%"
    if since is not None:
        params["since"] = since
    statement = text(sql).bindparams(bindparam("month_start", first_day(period), type_=Date()))
    return bulk.execute_count(session, statement.bindparams(**params))


def assess_batch(session: Session, *, period: int, prefix: str, low: int, high: int,
                 run_id: int | None) -> int:
    """Assess people with ``low <= person_id < high`` in the caller's transaction (the
    ``assess_rule`` scratch table of ``_stage_rules`` must exist), skipping rows that
    exist; returns rows inserted. Writes no ledger row (``assess_month`` does)."""
    return _assess_range(session, period=period, prefix=prefix, low=low, high=high,
                         run_id=run_id, conflict=True, since=None)


#: People per range of the monthly run: ranges of ``person_id`` (the partition key)
#: aligned to multiples of this, each one statement, one ledger row and one transaction.
#: 200,000 people are about 600,000 rows: the commit, the ledger row, the lock and the
#: planning are milliseconds against the seconds of writing the rows.
ASSESS_BATCH = 200_000


Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class _Done:
    """A ledger row: a range assessed under ``prefix`` up to enrolment ``enrolment_high``."""

    prefix: str
    low: int
    high: int
    enrolment_high: int


@dataclass(frozen=True)
class _Range:
    """What a range of people still needs."""

    low: int
    high: int
    #: Only enrolments with a greater id (the range was assessed up to it); None: all.
    since: int | None
    #: No row of the month can be there yet (no ledger row meets the range): a plain
    #: INSERT, whose unique index checks each row once, instead of ON CONFLICT's probe
    #: before each insert. Rows there after all (written before the ledger, or by
    #: ``assess_batch``) fail it, and the range is assessed again with ON CONFLICT.
    fresh: bool


def _bounds(low: int | None, high: int | None) -> list[tuple[int, int]]:
    """Ranges of ``ASSESS_BATCH`` people aligned to its multiples, so that the ranges of
    every run of a month are the same whatever people were added since."""
    if low is None or high is None:
        return []
    first = low // ASSESS_BATCH * ASSESS_BATCH
    return [(start, start + ASSESS_BATCH) for start in range(first, high + 1, ASSESS_BATCH)]


def _ledger(session: Session, period: int, bounds: tuple[int, int] | None = None) -> list[_Done]:
    """The ledger rows of ``period`` (of one range when ``bounds`` is given): one probe of
    the ledger's unique index."""
    query = select(AssessmentRange.region_prefix, AssessmentRange.low, AssessmentRange.high,
                   AssessmentRange.enrolment_high).where(AssessmentRange.period == period)
    if bounds is not None:
        query = query.where(AssessmentRange.low == bounds[0], AssessmentRange.high == bounds[1])
    return [_Done(*row) for row in session.execute(query).all()]


def _plan(done: list[_Done], prefix: str, low: int, high: int, newest: int,
          recheck: bool) -> _Range | None:
    """What the range ``low``…``high`` needs under ``prefix`` when the newest enrolment
    is ``newest``; None when nothing: a ledger row of the same range under ``prefix``
    or a prefix of it (``""`` covers ``"50"``) is complete up to ``newest``."""
    if recheck:
        return _Range(low, high, None, fresh=False)
    covering = [d.enrolment_high for d in done
                if (d.low, d.high) == (low, high) and prefix.startswith(d.prefix)]
    if covering:
        since = max(covering)
        return None if since >= newest else _Range(low, high, since, fresh=False)
    touched = any(d.low < high and low < d.high
                  and (prefix.startswith(d.prefix) or d.prefix.startswith(prefix))
                  for d in done)
    return _Range(low, high, None, fresh=not touched)


def _watermark(session: Session) -> int:
    """The newest enrolment id below which every enrolment is committed, so that a
    range assessed after this recorded it as complete up to here. On PostgreSQL a SHARE
    lock waits for the transactions writing enrolments (an id taken before ours may be
    committed after it) and holds new ones off until this transaction ends; on SQLite
    ``BEGIN IMMEDIATE`` already excludes every other writer."""
    if bulk.dialect_name(session) == "postgresql":
        session.execute(text("LOCK TABLE enrolment IN SHARE MODE"))
    return session.execute(select(func.max(Enrolment.id))).scalar() or 0


def _is_unique_violation(error: IntegrityError) -> bool:
    original = error.orig
    return (getattr(original, "sqlstate", None) == "23505"
            or "UNIQUE constraint failed" in str(original))


def _record(session: Session, *, period: int, prefix: str, low: int, high: int,
            enrolment_high: int, run_id: int, inserted: int) -> None:
    """Write (or bring forward) the ledger row of a range, in the range's transaction."""
    row = session.scalars(select(AssessmentRange).where(
        AssessmentRange.period == period, AssessmentRange.region_prefix == prefix,
        AssessmentRange.low == low, AssessmentRange.high == high)).one_or_none()
    if row is None:
        session.add(AssessmentRange(period=period, region_prefix=prefix, low=low, high=high,
                                    enrolment_high=enrolment_high, run_id=run_id,
                                    inserted_rows=inserted, finished_at=utcnow()))
    else:
        row.enrolment_high, row.run_id = enrolment_high, run_id
        row.inserted_rows += inserted
        row.finished_at = utcnow()
    session.flush()


def _run_range(session: Session, *, period: int, prefix: str, low: int, high: int,
               watermark: int, run_id: int, recheck: bool) -> int:
    """One range in the caller's transaction: lock it against another run of the month,
    decide again what it needs (that run may have done it meanwhile), assess, record."""
    if bulk.dialect_name(session) == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                        {"key": f"contribution.assess:{period}:{low}"})
        # The range's joins hash its people in memory rather than in batches on disk.
        session.execute(text(f"SET LOCAL work_mem = '{_WORK_MEM}'"))
    need = _plan(_ledger(session, period, (low, high)), prefix, low, high, watermark, recheck)
    if need is None:
        return 0
    assess = functools.partial(_assess_range, session, period=period, prefix=prefix,
                               low=low, high=high, run_id=run_id, since=need.since)
    try:
        with session.begin_nested():
            inserted = assess(conflict=not need.fresh)
    except IntegrityError as error:
        if need.fresh and _is_unique_violation(error):
            inserted = assess(conflict=True)
        else:
            raise
    _record(session, period=period, prefix=prefix, low=low, high=high,
            enrolment_high=watermark, run_id=run_id, inserted=inserted)
    return inserted


#: ``work_mem`` of a range's transaction on PostgreSQL.
_WORK_MEM = "64MB"


@contextlib.contextmanager
def _one_connection(factory: sessionmaker[Session]) -> Iterator[Connection]:
    """A connection of the factory's engine held for a whole run (or the connection the
    factory is bound to)."""
    with factory() as probe:
        bind = probe.get_bind()
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as connection:
        yield connection


def _finish(session: Session, actor: Principal, run: AssessmentRun, *, inserted: int,
            ranges: int, skipped: int) -> None:
    run.finished_at, run.inserted_rows = utcnow(), inserted
    audit.record(session, actor=actor.username, action="contribution.assess",
                 subject_type="assessment_run", subject_id=run.id,
                 payload={"period": run.period, "region": run.region_prefix,
                          "inserted": inserted, "batches": ranges, "skipped": skipped})


def assess_month(
    factory: sessionmaker[Session],
    actor: Principal,
    *,
    month: str,
    region_prefix: str = "",
    progress: Progress | None = None,
    recheck: bool = False,
) -> AssessmentRun:
    """Monthly contribution assessment (缴费核定) for every employer and flexible worker
    under ``region_prefix``: one set-based INSERT ... SELECT per range of people, each
    range its own transaction with its ledger row (``AssessmentRange``).

    Idempotent and resumable: a range with a ledger row is skipped, so an interrupted
    run is finished by running it again, and a second run of a finished month decides
    "nothing to do" from the ledger and the newest enrolment id, without reading a
    contribution; enrolments registered since (a late 增员) are assessed alone.
    ``recheck``: assess every range again, skipping the rows that exist (after a
    correction the ledger cannot see, such as a death date withdrawn)."""
    actor.require("insurance:assess")
    period = parse_month(month)
    prefix = regions.scope_prefix(region_prefix) if region_prefix else actor.region_prefix
    if not actor.sees_region(prefix.ljust(6, "0")) and prefix:
        raise invalid_field("region", "不在您的管辖范围内", "outside your scope")
    with unit_of_work(factory) as session:
        newest = session.execute(select(func.max(Enrolment.id))).scalar() or 0
        bounds = _bounds(*session.execute(select(func.min(Person.id), func.max(Person.id))).one())
        done = _ledger(session, period)
        todo = [need for low, high in bounds
                if (need := _plan(done, prefix, low, high, newest, recheck)) is not None]
        if not todo:
            run = AssessmentRun(period=period, region_prefix=prefix, actor=actor.username)
            session.add(run)
            session.flush()
            _finish(session, actor, run, inserted=0, ranges=0, skipped=len(bounds))
    if not todo:
        if progress:
            progress(f"{len(bounds)}/{len(bounds)}", len(bounds), len(bounds))
        return run
    # One connection for the whole run: the rules are staged once, for every range.
    with _one_connection(factory) as connection, factory(bind=connection) as session:
        try:
            with session.begin():
                watermark = _watermark(session)
            with session.begin():
                _stage_rules(session, period, prefix, keep=True)
                since = [need.since for need in todo]
                _precheck(session, period, prefix,
                          None if None in since else min(s for s in since if s is not None))
                run = AssessmentRun(period=period, region_prefix=prefix, actor=actor.username)
                session.add(run)
                session.flush()
            total = 0
            pending = {(need.low, need.high) for need in todo}
            for index, (low, high) in enumerate(bounds, start=1):
                if (low, high) in pending:
                    with session.begin():
                        total += _run_range(session, period=period, prefix=prefix, low=low,
                                            high=high, watermark=watermark, run_id=run.id,
                                            recheck=recheck)
                if progress:
                    progress(f"{index}/{len(bounds)}", index, len(bounds))
            with session.begin():
                session.add(run)
                _finish(session, actor, run, inserted=total, ranges=len(todo),
                        skipped=len(bounds) - len(todo))
                bulk.drop_temp_table(session, "assess_rule")
        finally:
            if session.in_transaction():
                session.rollback()
            with contextlib.suppress(SQLAlchemyError), session.begin():
                bulk.drop_temp_table(session, "assess_rule")
    return run
