"""Coverage (参保率) and the "everyone who should be" checks (应保尽保, 应缴尽缴)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, bindparam, select, text
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import rules
from minsheng.hrss.registry.service import Person
from minsheng.platform import regions
from minsheng.platform.errors import invalid_field
from minsheng.platform.months import month_of
from minsheng.platform.security.principal import Principal, region_filter


def _effective_prefix(actor: Principal, region: str) -> str:
    prefix = regions.scope_prefix(region) if region else ""
    own = actor.region_prefix
    if prefix.startswith(own):
        return prefix
    if own.startswith(prefix):
        return own
    raise invalid_field("region", "不在您的管辖范围内", "outside your scope")


#: A person drawing a pension counts as insured (参保人数 include retirees); the one
#: place this domain reads the pension domain's table, inside a set-based count.
_DRAWING_PENSION = ("EXISTS (SELECT 1 FROM pension_recipient pr WHERE pr.person_id = p.id "
                    "AND pr.status <> 'stopped')")


_PENSION_AT = (
    "(EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme IN "
    "('employee_pension','resident_pension') AND e.start_month <= :period "
    "AND (e.end_month IS NULL OR e.end_month >= :period)) OR " + _DRAWING_PENSION + ")"
)


@dataclass(frozen=True)
class Coverage:
    region: str
    on: date
    should_enrol: int
    enrolled: int
    rate: Decimal | None


def coverage(session: Session, actor: Principal, *, region: str = "",
             on: date | None = None) -> Coverage:
    """Pension coverage (城乡养老保险参保率) of a region (as divided today) on a date:
    living residents aged 16 and over (国发〔2014〕8号 §3) with an employee or resident
    pension enrolment for that month ÷ all such residents. Students are not yet on
    record and are counted."""
    actor.require_any("insurance:coverage", "insurance:read")
    on = on or date.today()
    prefix = _effective_prefix(actor, region)
    params = _coverage_params(prefix, on)
    # Residents are counted where they live as divided today: a residence recorded under
    # an abolished code (500105 江北区) counts in its successor (500157 两江新区).
    should, enrolled = session.execute(text(
        "SELECT count(*), count(*) FILTER (WHERE " + _PENSION_AT + ") FROM person p "
        "WHERE " + regions.within_text("p.residence_region", prefix) +
        " AND p.status = 'alive' AND p.birth_date <= :cutoff"
    ).bindparams(bindparam("cutoff", params.pop("cutoff"), type_=Date())), params).one()
    return Coverage(prefix, on, should, enrolled, rules.coverage_rate(enrolled, should))


def _coverage_params(prefix: str, on: date) -> dict[str, Any]:
    try:
        cutoff = on.replace(year=on.year - rules.MIN_ENROLMENT_AGE)
    except ValueError:  # 29 February
        cutoff = on.replace(year=on.year - rules.MIN_ENROLMENT_AGE, day=28)
    return {"like": prefix + "%", "period": month_of(on), "cutoff": cutoff}


def not_enrolled(session: Session, actor: Principal, *, region: str = "",
                 on: date | None = None, page: int = 1, size: int = 50) -> list[Person]:
    """The work-list behind 全民参保计划: residents who should be but are not enrolled."""
    actor.require_any("insurance:coverage", "insurance:read")
    on = on or date.today()
    prefix = _effective_prefix(actor, region)
    params = _coverage_params(prefix, on)
    ids = session.execute(text(
        "SELECT p.id FROM person p WHERE p.residence_region LIKE :like AND p.status = 'alive' "
        "AND p.birth_date <= :cutoff AND NOT " + _PENSION_AT +
        " ORDER BY p.id LIMIT :size OFFSET :offset"
    ).bindparams(bindparam("cutoff", params.pop("cutoff"), type_=Date())),
        {**params, "size": min(max(size, 1), 500), "offset": (max(page, 1) - 1) * size}
    ).scalars().all()
    return list(session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.id)))


def all_not_enrolled(session: Session, actor: Principal, *, region: str = "",
                     on: date | None = None) -> Iterator[Person]:
    """Every person of the :func:`not_enrolled` work-list (for the Excel export), read
    from the database in batches, never all at once."""
    actor.require_any("insurance:coverage", "insurance:read")
    on = on or date.today()
    prefix = _effective_prefix(actor, region)
    params = _coverage_params(prefix, on)
    stmt = select(Person).from_statement(text(
        "SELECT p.* FROM person p WHERE p.residence_region LIKE :like AND p.status = 'alive' "
        "AND p.birth_date <= :cutoff AND NOT " + _PENSION_AT + " ORDER BY p.id"
    ).bindparams(bindparam("cutoff", params.pop("cutoff"), type_=Date())))
    return iter(session.scalars(stmt.execution_options(yield_per=2_000), params))


@dataclass(frozen=True)
class PovertyChecks:
    """应保尽保 and 应缴尽缴 for poverty-registered people of a region and year."""

    region: str
    year: int
    should_enrol: int
    enrolled: int
    should_pay: int
    paid: int
    not_enrolled_ids: list[int]
    not_paid_ids: list[int]
    #: Per district: (region, should enrol, enrolled, should pay, paid).
    districts: list[tuple[str, int, int, int, int]] = field(default_factory=list)


def poverty_checks(session: Session, actor: Principal, *, region: str = "",
                   year: int) -> PovertyChecks:
    """Poverty-registered (建档立卡) people aged 16+: are all enrolled in a pension, and
    have all resident-pension enrollees paid for the year (by themselves or by the
    government, 代缴)?"""
    actor.require_any("insurance:coverage", "insurance:read")
    prefix = _effective_prefix(actor, region)
    # Districts as divided today: abolished codes count under their successor.
    district = regions.rollup_text("p.residence_region")
    base = (
        "FROM person p WHERE " + regions.within_text("p.residence_region", prefix) +
        " AND p.status = 'alive' "
        "AND p.birth_date <= :cutoff AND EXISTS (SELECT 1 FROM person_designation d "
        "WHERE d.person_id = p.id AND d.designation = 'poverty_registered' "
        "AND d.valid_from <= :year_end AND (d.valid_to IS NULL OR d.valid_to >= :year_start))"
    )
    enrolled_in = (
        "EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.scheme IN "
        "({schemes}) AND e.start_month <= :last AND (e.end_month IS NULL OR "
        "e.end_month >= :first))"
    )
    both = enrolled_in.format(schemes="'employee_pension','resident_pension'")
    in_pension = f"({both} OR {_DRAWING_PENSION})"
    in_resident = enrolled_in.format(schemes="'resident_pension'")
    has_paid = ("EXISTS (SELECT 1 FROM contribution c WHERE c.person_id = p.id "
                "AND c.scheme = 'resident_pension' AND c.period = :first AND c.status = 'paid')")
    binds = [bindparam("cutoff", date(year - rules.MIN_ENROLMENT_AGE, 12, 31), type_=Date()),
             bindparam("year_start", date(year, 1, 1), type_=Date()),
             bindparam("year_end", date(year, 12, 31), type_=Date())]
    params = {"like": prefix + "%", "first": year * 100 + 1, "last": year * 100 + 12}

    def run(sql: str) -> Any:
        return session.execute(text(sql).bindparams(*binds), params)

    districts = [tuple(row) for row in run(
        f"SELECT {district}, count(*), count(*) FILTER (WHERE {in_pension}), "
        f"count(*) FILTER (WHERE {in_resident}), "
        f"count(*) FILTER (WHERE {in_resident} AND {has_paid}) {base} "
        f"GROUP BY {district} ORDER BY {district}")]
    missing_enrolment = run(f"SELECT p.id {base} AND NOT {in_pension} ORDER BY p.id LIMIT 200")
    missing_payment = run(
        f"SELECT p.id {base} AND {in_resident} AND NOT {has_paid} ORDER BY p.id LIMIT 200")
    should, enrolled, should_pay, paid = (sum(int(d[i]) for d in districts)
                                          for i in range(1, 5))
    return PovertyChecks(prefix, year, should, enrolled, should_pay, paid,
                         list(missing_enrolment.scalars()), list(missing_payment.scalars()),
                         districts=[(str(d[0]), int(d[1]), int(d[2]), int(d[3]), int(d[4]))
                                    for d in districts])


def persons_by_ids(session: Session, actor: Principal, person_ids: Sequence[int]) -> list[Person]:
    """The people of a work-list (coverage, poverty checks) inside the actor's scope."""
    actor.require_any("insurance:coverage", "insurance:read")
    if not person_ids:
        return []
    return list(session.scalars(select(Person).where(
        Person.id.in_(list(person_ids)), region_filter(Person.residence_region, actor))
        .order_by(Person.id)))
