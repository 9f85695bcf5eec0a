"""The monthly assessment (缴费核定): one set-based INSERT … SELECT per range of people,
idempotent per month and resumable."""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Date, bindparam, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance.models import AssessmentRun, ContributionRule
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


_BASE_FEN = (
    "CASE WHEN e.declared_wage IS NULL "
    "OR CAST(ROUND(e.declared_wage * 100) AS BIGINT) < r.floor_fen THEN r.floor_fen "
    "WHEN CAST(ROUND(e.declared_wage * 100) AS BIGINT) > r.ceiling_fen THEN r.ceiling_fen "
    "ELSE CAST(ROUND(e.declared_wage * 100) AS BIGINT) END"
)


_CLAMP = (
    "CASE WHEN e.declared_wage IS NULL "
    "OR CAST(ROUND(e.declared_wage * 100) AS BIGINT) < r.floor_fen THEN 'floor' "
    "WHEN CAST(ROUND(e.declared_wage * 100) AS BIGINT) > r.ceiling_fen THEN 'ceiling' END"
)


_WORK_INJURY = "CASE emp.work_injury_risk_class " + " ".join(
    f"WHEN {i} THEN r.wi{i}" for i in range(1, 9)) + " END"


def _assessment_sql() -> str:
    """The whole arithmetic of ``rules.assess`` in one INSERT ... SELECT over a range of
    people: employees at their employer's region, flexible workers (no employer) at
    their residence, paying the flexible pension rate themselves (国发〔2005〕38号 §6)."""
    region = "COALESCE(emp.region, p.residence_region)"
    er = (f"CASE WHEN emp.id IS NULL THEN 0 WHEN e.scheme = 'employee_pension' THEN r.pe "
          f"WHEN e.scheme = 'unemployment' THEN r.ue ELSE {_WORK_INJURY} END")
    pr = ("CASE WHEN emp.id IS NULL THEN r.fp WHEN e.scheme = 'employee_pension' "
          "THEN r.pp WHEN e.scheme = 'unemployment' THEN r.up ELSE 0 END")
    return (
        "INSERT INTO contribution (person_id, period, scheme, employer_id, region, declared_wage, "
        "base, clamp, employer_amount, personal_amount, government_amount, subsidy_amount, "
        "status, rule_id, run_id) "
        "SELECT x.person_id, :period, x.scheme, x.employer_id, x.region, x.declared_wage, "
        "x.base_fen / 100.0, x.clamp, ((x.base_fen * x.er + 500000) / 1000000) / 100.0, "
        "((x.base_fen * x.pr + 500000) / 1000000) / 100.0, 0, 0, 'due', x.rule_id, :run_id "
        f"FROM (SELECT e.person_id, e.scheme, e.employer_id, {region} AS region, "
        f"e.declared_wage, r.rule_id, {_BASE_FEN} AS base_fen, {_CLAMP} AS clamp, "
        f"{er} AS er, {pr} AS pr "
        "FROM enrolment e JOIN person p ON p.id = e.person_id "
        "LEFT JOIN employer emp ON emp.id = e.employer_id "
        f"JOIN assess_rule r ON r.region = {region} "
        "WHERE e.person_id >= :low AND e.person_id < :high "
        "AND e.scheme IN ('employee_pension','unemployment','work_injury') "
        f"AND {region} LIKE :like "
        "AND e.start_month <= :period AND (e.end_month IS NULL OR e.end_month >= :period) "
        "AND (p.death_date IS NULL OR p.death_date >= :month_start)) x "
        "WHERE true ON CONFLICT (person_id, period, scheme) DO NOTHING"
    )


def _stage_rules(session: Session, period: int, prefix: str) -> list[str]:
    """Resolve the rule of every division code under ``prefix`` into a scratch table."""
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
    bulk.create_temp_table(session, "assess_rule", _RULE_STAGE)
    bulk.load_rows(session, "assess_rule",
                   ("region", "rule_id", "floor_fen", "ceiling_fen", "pe", "pp", "ue", "up", "fp",
                    *(f"wi{i}" for i in range(1, 9))), rows)
    return [r[0] for r in rows]


def _active(period: int) -> str:
    return f"e.start_month <= {period} AND (e.end_month IS NULL OR e.end_month >= {period})"


def _precheck(session: Session, period: int, prefix: str) -> None:
    """Refuse the whole run when a county under ``prefix`` with enrolments to assess has
    no rule, or an employer lacks a work-injury risk class: never a silent zero."""
    like = prefix + "%"
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


def assess_batch(session: Session, *, period: int, prefix: str, low: int, high: int,
                 run_id: int | None) -> int:
    """Assess people with ``low <= person_id < high`` in the caller's transaction (the
    ``assess_rule`` scratch table of ``_stage_rules`` must exist); returns rows inserted."""
    statement = text(_assessment_sql()).bindparams(
        bindparam("month_start", first_day(period), type_=Date()))
    return bulk.execute_count(session, statement.bindparams(
        period=period, like=prefix + "%", low=low, high=high, run_id=run_id))


#: People per transaction of the monthly run (ranges of ``person_id``, the partition key).
ASSESS_BATCH = 200_000


Progress = Callable[[str, int, int], None]


def assess_month(
    factory: sessionmaker[Session],
    actor: Principal,
    *,
    month: str,
    region_prefix: str = "",
    progress: Progress | None = None,
) -> AssessmentRun:
    """Monthly contribution assessment (缴费核定) for every employer and flexible worker
    under ``region_prefix``: one set-based INSERT ... SELECT per range of people, each
    range its own transaction. Idempotent: a second run inserts nothing; an interrupted
    run is finished by running it again."""
    actor.require("insurance:assess")
    period = parse_month(month)
    prefix = regions.scope_prefix(region_prefix) if region_prefix else actor.region_prefix
    if not actor.sees_region(prefix.ljust(6, "0")) and prefix:
        raise invalid_field("region", "不在您的管辖范围内", "outside your scope")
    with unit_of_work(factory) as session:
        _stage_rules(session, period, prefix)
        _precheck(session, period, prefix)
        low, high = session.execute(select(func.min(Person.id), func.max(Person.id))).one()
        run = AssessmentRun(period=period, region_prefix=prefix, actor=actor.username)
        session.add(run)
        session.flush()
        run_id = run.id
    total = 0
    bounds = list(range(low or 0, (high or 0) + 1, ASSESS_BATCH)) if high else []
    for index, start in enumerate(bounds, start=1):
        with unit_of_work(factory) as session:
            _stage_rules(session, period, prefix)
            total += assess_batch(session, period=period, prefix=prefix, low=start,
                                  high=start + ASSESS_BATCH, run_id=run_id)
        if progress:
            progress(f"{index}/{len(bounds)}", index, len(bounds))
    with unit_of_work(factory) as session:
        run = session.get_one(AssessmentRun, run_id)
        run.finished_at, run.inserted_rows = utcnow(), total
        audit.record(session, actor=actor.username, action="contribution.assess",
                     subject_type="assessment_run", subject_id=run_id,
                     payload={"period": period, "region": prefix, "inserted": total,
                              "batches": len(bounds)})
    return run
