"""Zero-employment households (零就业家庭): detection (动态清零) and the work-list."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import rules
from minsheng.hrss.employment.models import (
    Placement,
    WorkIncapacity,
    ZeroEmploymentCase,
)
from minsheng.hrss.employment.service._common import registered_unemployed_clause
from minsheng.hrss.employment.settings import get_employment_settings
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Household, Person
from minsheng.platform import ids, worklist
from minsheng.platform.bulk import execute_count
from minsheng.platform.db import utcnow
from minsheng.platform.paging import Listing, Sort, Sorting, count_of, paginate
from minsheng.platform.security import audit
from minsheng.platform.security.principal import SYSTEM, Principal, region_filter


@dataclass(frozen=True)
class DetectionResult:
    on: date
    qualifying: int
    opened: int
    closed: int


def working_age_clause(on: date) -> ColumnElement[bool]:
    """SQL on the registry's ``person`` rows (cross-domain set-based count): alive, at
    least 16 and below the statutory retirement age on ``on``, not recorded as unable to
    work."""
    settings = get_employment_settings()
    male_cutoff = rules.retired_birth_cutoff(on, "male")
    female_cutoff = rules.retired_birth_cutoff(on, settings.female_retirement_category)
    return and_(
        Person.status == "alive",
        Person.birth_date <= rules.youngest_working_birth_date(on),
        or_(and_(Person.gender == "M", Person.birth_date > male_cutoff),
            and_(Person.gender == "F", Person.birth_date > female_cutoff)),
        ~exists(select(WorkIncapacity.person_id).where(
            WorkIncapacity.person_id == Person.id, WorkIncapacity.since <= on)))


def zero_employment_households(on: date, region_prefix: str) -> Select[Any, Any, Any]:
    """Households (``household_id``, ``members``) of which every working-age member able
    to work is registered unemployed on ``on`` (就业促进法 art. 56; hrss-rules §9), with at
    least one such member. Set-based over the registry's households and people and the
    unemployment domain's registrations."""
    registered = registered_unemployed_clause(Person.id, on)
    stmt = (select(Person.household_id.label("household_id"),
                   func.count().label("members"),
                   func.min(Household.address_region).label("region"))
            .join(Household, Household.id == Person.household_id)
            .where(Person.household_id.is_not(None), working_age_clause(on))
            .group_by(Person.household_id)
            .having(func.sum(case((registered, 0), else_=1)) == 0))
    if region_prefix:
        stmt = stmt.where(Household.address_region.startswith(region_prefix, autoescape=True))
    return stmt


def detect_zero_employment(session: Session, actor: Principal, on: date | None = None
                           ) -> DetectionResult:
    """Find the zero-employment households in the actor's scope and keep the work-list
    current (动态清零): a qualifying household without an open case gets one with a
    deadline (``zero_household_days`` after detection); an open case whose household no
    longer qualifies (a member at work, or no longer registered) is closed. Idempotent."""
    actor.require("employment:write")
    on = on or date.today()
    prefix = actor.region_prefix
    qualifying = zero_employment_households(on, prefix).subquery()
    count = session.scalar(select(func.count()).select_from(qualifying)) or 0
    deadline = rules.zero_employment_deadline(on, get_employment_settings().zero_household_days)
    now = utcnow()
    has_open = exists(select(ZeroEmploymentCase.id).where(
        ZeroEmploymentCase.household_id == qualifying.c.household_id,
        ZeroEmploymentCase.status == "open"))
    opened = len(session.execute(insert(ZeroEmploymentCase).from_select(
        ["household_id", "region", "detected_date", "deadline", "members", "status",
         "version", "created_at", "updated_at"],
        select(qualifying.c.household_id, qualifying.c.region, literal(on), literal(deadline),
               qualifying.c.members, literal("open"), literal(1), literal(now), literal(now))
        .where(~has_open)).returning(ZeroEmploymentCase.id)).all())
    still = select(qualifying.c.household_id)
    stale = [ZeroEmploymentCase.status == "open",
             ZeroEmploymentCase.household_id.not_in(still)]
    if prefix:
        stale.append(ZeroEmploymentCase.region.startswith(prefix, autoescape=True))
    closed = execute_count(session, update(ZeroEmploymentCase).where(*stale).values(
        status="closed", closed_date=on, closed_reason="no_longer_qualifies",
        version=ZeroEmploymentCase.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    session.expire_all()
    audit.record(session, actor=actor.username, action="employment.zero_employment.detect",
                 subject_type="region", subject_id=prefix or "*",
                 payload={"on": on.isoformat(), "qualifying": count, "opened": opened,
                          "closed": closed})
    return DetectionResult(on, count, opened, closed)


def _close_household_case(session: Session, actor: Principal, person_id: int,
                          placement: Placement) -> int | None:
    person = registry.person_for_read(session, SYSTEM, person_id)
    if person.household_id is None:
        return None
    case_ = session.scalar(select(ZeroEmploymentCase).where(
        ZeroEmploymentCase.household_id == person.household_id,
        ZeroEmploymentCase.status == "open"))
    if case_ is None:
        return None
    case_.status, case_.closed_date = "closed", placement.placed_date
    case_.closed_reason, case_.placement_id = "placement", placement.id
    session.flush()
    audit.record(session, actor=actor.username, action="employment.zero_employment.close",
                 subject_type="zero_employment_case", subject_id=case_.id,
                 payload={"placement_id": placement.id, "person_id": person_id})
    return case_.id


@dataclass(frozen=True)
class HouseholdMember:
    person_id: int
    name: str
    resident_id_masked: str
    relation: str | None


@dataclass
class WorkItem:
    case: ZeroEmploymentCase
    household_no: str
    address: str
    members: list[HouseholdMember] = field(default_factory=list)

    def days_left(self, on: date) -> int:
        return (self.case.deadline - on).days


#: The orders of the work-list (``sort``): by default the nearest placement deadline first.
ZERO_EMPLOYMENT_SORTING = Sorting({
    "deadline": ZeroEmploymentCase.deadline,
    "detected": ZeroEmploymentCase.detected_date,
    "household": Household.household_no,
}, default="deadline", tie_breakers=[ZeroEmploymentCase.deadline.asc(),
                                     ZeroEmploymentCase.id.asc()])


def _worklist_query(actor: Principal, status: str, sort: Sort | None = None
                    ) -> Select[ZeroEmploymentCase, str, str]:
    return (select(ZeroEmploymentCase, Household.household_no, Household.address)
            .join(Household, Household.id == ZeroEmploymentCase.household_id)
            .where(ZeroEmploymentCase.status == status,
                   region_filter(ZeroEmploymentCase.region, actor))
            .order_by(*ZERO_EMPLOYMENT_SORTING.order_by(
                sort or ZERO_EMPLOYMENT_SORTING.default)))


def _with_members(session: Session, rows: Iterable[Any]) -> list[WorkItem]:
    """Work items of ``(case, household_no, address)`` rows with each household's
    members (IDs masked), the members read in one query."""
    items = [WorkItem(c, no, address) for c, no, address in rows]
    by_household = {item.case.household_id: item for item in items}
    if by_household:
        for person in session.scalars(select(Person).where(
                Person.household_id.in_(list(by_household))).order_by(Person.id)):
            assert person.household_id is not None
            by_household[person.household_id].members.append(HouseholdMember(
                person.id, person.name, ids.mask_resident_id(person.resident_id),
                person.household_relation))
    return items


def zero_employment_worklist(session: Session, actor: Principal, *, status: str = "open",
                             limit: int = 500) -> list[WorkItem]:
    """The work-list of zero-employment households in the actor's scope, the nearest
    deadline first, with each household's members (IDs masked)."""
    actor.require("employment:read")
    return _with_members(session, session.execute(
        _worklist_query(actor, status).limit(limit)).all())


def zero_employment_page(session: Session, actor: Principal, *, status: str = "open",
                         page: int = 1, sort: Sort | None = None) -> Listing[WorkItem]:
    """One page of :func:`zero_employment_worklist` in the order ``sort``, with the total."""
    actor.require("employment:read")
    listing = paginate(session, _worklist_query(actor, status, sort), page, scalars=False)
    return replace(listing, rows=_with_members(session, listing.rows))


def zero_employment_count(session: Session, actor: Principal, *, status: str = "open"
                          ) -> int:
    """How many households the work-list holds (``count(*)``)."""
    actor.require("employment:read")
    return count_of(session, _worklist_query(actor, status))


def waiting_work(session: Session, actor: Principal, today: date) -> list[worklist.WorkItem]:
    """The workbench's to-do for staff who place people: zero-employment households of
    the region still open, those past the case's placement deadline overdue, and the
    nearest coming deadline."""
    if not actor.can("employment:write"):
        return []
    listed = _worklist_query(actor, "open").order_by(None).subquery()
    late = listed.c.deadline < today
    count, overdue, nearest = session.execute(select(
        func.count(), func.count().filter(late), func.min(listed.c.deadline).filter(~late),
    ).select_from(listed)).one()
    return [worklist.WorkItem("employment.zero_households", "零就业家庭待安置", int(count),
                              "/employment/zero-employment", int(overdue), nearest)]


def all_zero_employment(session: Session, actor: Principal, *, status: str = "open",
                        sort: Sort | None = None) -> Iterator[WorkItem]:
    """Every household of the work-list in the order ``sort``, read in batches (for the
    Excel export)."""
    actor.require("employment:read")
    result = session.execute(_worklist_query(actor, status, sort)
                             .execution_options(yield_per=1_000))
    for batch in result.partitions():
        yield from _with_members(session, batch)
