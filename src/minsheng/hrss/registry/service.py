"""Registry use cases: register, find, read, change people, households and employers.

Services take a ``Session`` and a ``Principal``, flush (never commit), raise
``DomainError``s, apply region scope through ``principal.scoped`` and write audit events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import rules
from minsheng.hrss.registry.models import CrossRegionAccess

# Published read models: other domains join these in set-based SQL (coverage, payrolls,
# indicators); every change goes through the functions of this module.
from minsheng.hrss.registry.models import Employer as Employer
from minsheng.hrss.registry.models import Household as Household
from minsheng.hrss.registry.models import Person as Person
from minsheng.hrss.registry.schemas import (
    EmployerCreate,
    EmployerRead,
    HouseholdCreate,
    HouseholdRead,
    PersonCreate,
    PersonRead,
    PersonUpdate,
)
from minsheng.platform import events, ids, regions
from minsheng.platform.config import get_settings
from minsheng.platform.db import flush, utcnow
from minsheng.platform.errors import (
    Conflict,
    Forbidden,
    RuleViolation,
    invalid_field,
    not_found,
)
from minsheng.platform.events import PersonDied
from minsheng.platform.paging import MAX_PAGE_SIZE, Sort, Sorting
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, scoped


def _require_region(actor: Principal, region: str) -> None:
    if not actor.sees_region(region):
        raise Forbidden(
            f"地区 {region} 不在您的管辖范围内", f"Region {region} is outside your scope"
        )


# --- people -----------------------------------------------------------------------


def mask_phone(phone: str) -> str:
    """``138****8000``: the middle four digits hidden, as on the 12333 hall."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "*" * len(phone)


def shows_full_id(actor: Principal, person: Person) -> bool:
    """Full resident IDs only for roles that handle identity (settings.full_id_roles)
    and for the person themself; everyone else sees ``5001**********1234``."""
    return actor.role in get_settings().full_id_roles or actor.person_id == person.id


def view_person(person: Person, actor: Principal, *, full: bool | None = None) -> PersonRead:
    show = shows_full_id(actor, person) if full is None else full
    return PersonRead(
        id=person.id,
        resident_id=person.resident_id if show else ids.mask_resident_id(person.resident_id),
        resident_id_masked=not show,
        name=person.name,
        birth_date=person.birth_date,
        gender="M" if person.gender == "M" else "F",
        phone=person.phone if show else mask_phone(person.phone),
        hukou_region=person.hukou_region,
        hukou_region_name=regions.name_of(person.hukou_region),
        residence_region=person.residence_region,
        residence_region_name=regions.name_of(person.residence_region),
        hukou_type=person.hukou_type,
        household_id=person.household_id,
        household_relation=person.household_relation,
        status=person.status,
        version=person.version,
    )


def register_person(session: Session, actor: Principal, data: PersonCreate) -> Person:
    """Register a person (参保人登记). Duplicate resident ID → 409 naming the record."""
    actor.require("registry:write")
    record, errors = rules.check_person(data.model_dump())
    if record is None:
        raise RuleViolation("人员信息有误", "Invalid person data", errors=errors)
    _require_region(actor, record.residence_region)
    existing = session.scalar(select(Person.id).where(Person.resident_id == record.resident_id))
    if existing is not None:
        raise Conflict(
            f"公民身份号码已登记（人员编号 {existing}）",
            f"Resident ID already registered (person {existing})",
            extra={"existing_id": existing, "location": f"/api/v1/persons/{existing}"},
        )
    household_id = None
    if data.household_no:
        household = session.scalar(
            select(Household).where(Household.household_no == data.household_no)
        )
        if household is None:
            raise not_found("户", "Household", data.household_no)
        household_id = household.id
    person = Person(
        resident_id=record.resident_id,
        name=record.name,
        birth_date=record.birth_date,
        gender=record.gender,
        phone=record.phone,
        hukou_region=record.hukou_region,
        residence_region=record.residence_region,
        hukou_type=record.hukou_type,
        household_id=household_id,
        household_relation=data.household_relation if household_id else None,
    )
    session.add(person)
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="person.register",
        subject_type="person",
        subject_id=person.id,
        payload={"resident_id": ids.mask_resident_id(person.resident_id),
                 "residence_region": person.residence_region},
    )
    return person


def _person_in_scope(session: Session, actor: Principal, person_id: int, *,
                     cross_region: bool = False) -> Person:
    """The person if the actor may see them, else 404. With ``cross_region`` (reads
    only), a counter clerk also sees a resident of another district of the city whom
    they looked up today by full resident ID (:func:`lookup_citywide`)."""
    person = session.get(Person, person_id)
    if person is None:
        raise not_found("人员", "Person", person_id)
    if actor.is_staff:
        # Outside the clerk's district the record does not exist for them ...
        if not actor.sees_region(person.residence_region) and not (
                cross_region and _citywide_access_open(session, actor, person)):
            raise not_found("人员", "Person", person_id)
    elif actor.person_id != person.id:
        raise not_found("人员", "Person", person_id)
    return person


def is_cross_region(actor: Principal, person: Person) -> bool:
    """Whether a staff member sees ``person`` only through 全市通办 (outside their scope)."""
    return actor.is_staff and not actor.sees_region(person.residence_region)


def _audit_cross_region_read(session: Session, actor: Principal, person: Person,
                             via: str) -> None:
    audit.record(
        session,
        actor=actor.username,
        action=CROSS_REGION_READ,
        subject_type="person",
        subject_id=person.id,
        payload={"via": via, "clerk_region": actor.region_code,
                 "person_region": person.residence_region,
                 "resident_id": ids.mask_resident_id(person.resident_id),
                 "full_id": shows_full_id(actor, person)},
    )


def read_person(session: Session, actor: Principal, person_id: int) -> Person:
    """A person's full record; staff reads are audited (``person.read``, or
    ``person.read_cross_region`` for a resident of another district opened by a
    全市通办 look-up)."""
    if actor.is_staff:
        actor.require("registry:read")
    person = _person_in_scope(session, actor, person_id, cross_region=True)
    if is_cross_region(actor, person):
        _audit_cross_region_read(session, actor, person, "record")
    elif actor.is_staff:
        audit.record(
            session,
            actor=actor.username,
            action="person.read",
            subject_type="person",
            subject_id=person.id,
            payload={"full_id": shows_full_id(actor, person)},
        )
    return person


# --- 全市通办: one resident of another district, by full resident ID ----------------

#: The permission of counter roles to look a resident of another district up.
CITYWIDE = "registry:citywide"
#: The audit action of every read of a resident outside the reader's district.
CROSS_REGION_READ = "person.read_cross_region"
LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def _end_of_local_day(moment: datetime) -> datetime:
    """Midnight after ``moment`` in Beijing time, as UTC (SQLite keeps no offset)."""
    local = moment.astimezone(LOCAL_TIME)
    return datetime.combine(local.date() + timedelta(days=1), time(0), LOCAL_TIME
                            ).astimezone(UTC)


def _citywide_access_open(session: Session, actor: Principal, person: Person) -> bool:
    if not actor.can(CITYWIDE) or not person.residence_region.startswith(
            rules.city_prefix(actor.region_code)):
        return False
    return session.scalar(
        select(CrossRegionAccess.id).where(
            CrossRegionAccess.user_id == actor.user_id,
            CrossRegionAccess.person_id == person.id,
            CrossRegionAccess.expires_at > utcnow()).limit(1)) is not None


def lookup_citywide(session: Session, actor: Principal, resident_id: str) -> Person | None:
    """全市通办: a counter clerk (``registry:citywide``) finds a resident of another
    district of their city by the exact, valid, full 18-character resident ID.

    Nothing else crosses the district line: a name, a partial or a mistyped ID finds
    nobody here (search and browsing stay in scope, :func:`search_persons`). A hit
    opens that person's record to this clerk for reading until the end of the local
    day (a ``cross_region_access`` row; changes stay with the district of residence)
    and is audited as ``person.read_cross_region``. Returns ``None`` when there is no
    such person in the city, or when the person lives in the clerk's own district
    (the ordinary search finds them)."""
    actor.require("registry:read")
    if not actor.can(CITYWIDE) or not actor.region_code:
        return None
    text = resident_id.strip().upper()
    if len(text) != 18:
        return None
    person = find_by_resident_id(session, text)
    if person is None or not is_cross_region(actor, person):
        return None
    if not person.residence_region.startswith(rules.city_prefix(actor.region_code)):
        return None  # another city: not served by this counter
    now = utcnow()
    session.add(CrossRegionAccess(user_id=actor.user_id, person_id=person.id,
                                  clerk_region=actor.region_code, granted_at=now,
                                  expires_at=_end_of_local_day(now)))
    session.flush()
    _audit_cross_region_read(session, actor, person, "lookup")
    return person


def update_person(session: Session, actor: Principal, person_id: int, data: PersonUpdate) -> Person:
    """Change a person's details. A stale ``version`` (someone saved first) → 409."""
    actor.require("registry:write")
    person = _person_in_scope(session, actor, person_id)
    if person.version != data.version:
        raise Conflict(
            f"记录已被他人修改（当前版本 {person.version}），请刷新后重试",
            f"Record changed by someone else (now version {person.version}); reload and retry",
            extra={"current_version": person.version},
        )
    changes = data.model_dump(exclude_unset=True, exclude={"version"})
    merged: dict[str, Any] = {
        "resident_id": person.resident_id,
        "name": person.name,
        "phone": person.phone,
        "hukou_region": person.hukou_region,
        "residence_region": person.residence_region,
        "hukou_type": person.hukou_type,
    }
    merged.update({k: v for k, v in changes.items() if v is not None})
    record, errors = rules.check_person(merged)
    if record is None:
        raise RuleViolation("人员信息有误", "Invalid person data", errors=errors)
    _require_region(actor, record.residence_region)
    before = {k: getattr(person, k) for k in changes}
    for key in changes:
        setattr(person, key, getattr(record, key))
    flush(session)
    audit.record(
        session,
        actor=actor.username,
        action="person.update",
        subject_type="person",
        subject_id=person.id,
        payload={"before": before, "after": {k: getattr(person, k) for k in changes}},
    )
    return person


def _search_filter(q: str) -> Any:
    q = q.strip().upper()
    if len(q) == 18:
        return Person.resident_id == q
    if q.replace("X", "").isdigit() and len(q) >= 6:
        return Person.resident_id.startswith(q, autoescape=True)
    return or_(Person.name == q, Person.name.startswith(q, autoescape=True))


@dataclass(frozen=True)
class PersonSearch:
    items: list[Person]
    total: int
    page: int
    size: int
    #: The one hit is a resident of another district found by 全市通办.
    cross_region: bool = False


def person_query(actor: Principal, q: str = "") -> Select[Any]:
    stmt = select(Person)
    if q.strip():
        stmt = stmt.where(_search_filter(q))
    return scoped(stmt, Person.residence_region, actor)


#: The orders of the person search (``sort``): registration order by default.
PERSON_SORTING = Sorting({
    "id": Person.id,
    "name": Person.name,
    "birth": Person.birth_date,
    "resident_id": Person.resident_id,
}, default="id", tie_breakers=[Person.id])


def search_persons(
    session: Session, actor: Principal, *, q: str = "", page: int = 1, size: int = 20,
    sort: Sort | None = None,
) -> PersonSearch:
    """Find people by name (prefix) or resident ID (full or prefix) in the actor's scope,
    in the order ``sort`` (one of :data:`PERSON_SORTING`'s)."""
    actor.require("registry:read")
    page, size = max(page, 1), min(max(size, 1), MAX_PAGE_SIZE)
    stmt = person_query(actor, q)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(
        PERSON_SORTING.apply(stmt, sort or PERSON_SORTING.default)
        .offset((page - 1) * size).limit(size)
    ).all()
    return PersonSearch(list(items), total, page, size)


def find_persons(
    session: Session, actor: Principal, *, q: str = "", page: int = 1, size: int = 20,
    sort: Sort | None = None,
) -> PersonSearch:
    """The counter's person search: :func:`search_persons` in the actor's scope; when
    that finds nobody and ``q`` is a full resident ID, the 全市通办 look-up across the
    city (:func:`lookup_citywide`, audited), flagged ``cross_region``."""
    found = search_persons(session, actor, q=q, page=page, size=size, sort=sort)
    if found.total or len(q.strip()) != 18:
        return found
    person = lookup_citywide(session, actor, q)
    if person is None:
        return found
    return PersonSearch([person], 1, 1, found.size, cross_region=True)


# --- households -------------------------------------------------------------------


def household_number(node_id: str, region: str, serial: int) -> str:
    """Business number of a household: node code, region, ``H`` and a serial."""
    return f"{node_id.upper()}{region}H{serial:09d}"


def create_household(session: Session, actor: Principal, data: HouseholdCreate) -> Household:
    actor.require("registry:write")
    region = regions.validate_residence_region(data.address_region.strip(), "address_region")
    _require_region(actor, region)
    # The number carries the row id, known only after the insert: a placeholder first,
    # so that two clerks registering at once can never be handed the same number.
    household = Household(household_no=f"pending-{uuid4().hex[:20]}", address_region=region,
                          address=data.address.strip())
    session.add(household)
    session.flush()
    household.household_no = household_number(get_settings().node_id, region, household.id)
    session.flush()
    audit.record(session, actor=actor.username, action="household.create",
                 subject_type="household", subject_id=household.id,
                 payload={"household_no": household.household_no})
    return household


def _household_in_scope(session: Session, actor: Principal, household_id: int) -> Household:
    household = session.get(Household, household_id)
    if household is None or not actor.sees_region(household.address_region):
        raise not_found("户", "Household", household_id)
    return household


def add_household_member(
    session: Session, actor: Principal, household_id: int, person_id: int, relation: str
) -> Person:
    actor.require("registry:write")
    household = _household_in_scope(session, actor, household_id)
    person = _person_in_scope(session, actor, person_id)
    if relation not in ("head", "spouse", "child", "parent", "other"):
        raise invalid_field("relation", "与户主关系无效", "invalid relation to the head")
    if relation == "head":
        head = session.scalar(select(Person.id).where(
            Person.household_id == household.id, Person.household_relation == "head"))
        if head is not None and head != person.id:
            raise Conflict("该户已有户主", "The household already has a head")
    person.household_id = household.id
    person.household_relation = relation
    session.flush()
    audit.record(session, actor=actor.username, action="household.add_member",
                 subject_type="household", subject_id=household.id,
                 payload={"person_id": person.id, "relation": relation})
    return person


def read_household(session: Session, actor: Principal, household_id: int) -> HouseholdRead:
    actor.require("registry:read")
    household = _household_in_scope(session, actor, household_id)
    members = session.scalars(
        select(Person).where(Person.household_id == household.id).order_by(Person.id)
    ).all()
    return HouseholdRead(
        id=household.id,
        household_no=household.household_no,
        address_region=household.address_region,
        address=household.address,
        members=[view_person(p, actor, full=False) for p in members],
    )


# --- employers --------------------------------------------------------------------


def view_employer(employer: Employer) -> EmployerRead:
    return EmployerRead(
        id=employer.id,
        uscc=employer.uscc,
        name=employer.name,
        region=employer.region,
        region_name=regions.name_of(employer.region),
        industry=employer.industry,
        size_class=employer.size_class,
        work_injury_risk_class=employer.work_injury_risk_class,
        version=employer.version,
    )


def register_employer(session: Session, actor: Principal, data: EmployerCreate) -> Employer:
    """Register an employer (用人单位登记). Duplicate USCC → 409 naming the record."""
    actor.require("registry:write")
    record, errors = rules.check_employer(data.model_dump())
    if record is None:
        raise RuleViolation("单位信息有误", "Invalid employer data", errors=errors)
    _require_region(actor, record.region)
    existing = session.scalar(select(Employer.id).where(Employer.uscc == record.uscc))
    if existing is not None:
        raise Conflict(
            f"统一社会信用代码已登记（单位编号 {existing}）",
            f"USCC already registered (employer {existing})",
            extra={"existing_id": existing, "location": f"/api/v1/employers/{existing}"},
        )
    employer = Employer(
        uscc=record.uscc,
        name=record.name,
        region=record.region,
        industry=record.industry,
        size_class=record.size_class,
        work_injury_risk_class=record.work_injury_risk_class,
    )
    session.add(employer)
    session.flush()
    audit.record(session, actor=actor.username, action="employer.register",
                 subject_type="employer", subject_id=employer.id,
                 payload={"uscc": employer.uscc, "region": employer.region})
    return employer


def read_employer(session: Session, actor: Principal, employer_id: int) -> Employer:
    employer = session.get(Employer, employer_id)
    in_scope = employer is not None and (
        actor.sees_region(employer.region) if actor.is_staff else actor.employer_id == employer.id
    )
    if employer is None or not in_scope:
        raise not_found("单位", "Employer", employer_id)
    if actor.is_staff:
        actor.require("registry:read")
        audit.record(session, actor=actor.username, action="employer.read",
                     subject_type="employer", subject_id=employer.id)
    return employer


def search_employers(
    session: Session, actor: Principal, *, q: str = "", page: int = 1, size: int = 20
) -> tuple[list[Employer], int]:
    actor.require("registry:read")
    page, size = max(page, 1), min(max(size, 1), MAX_PAGE_SIZE)
    stmt = select(Employer)
    q = q.strip()
    if q:
        stmt = stmt.where(or_(Employer.uscc == q.upper(), Employer.name.contains(q,
                                                                            autoescape=True)))
    stmt = scoped(stmt, Employer.region, actor)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(stmt.order_by(Employer.id).offset((page - 1) * size).limit(size))
    return list(items.all()), total


# --- for other domains ----------------------------------------------------------------


def person_for_write(session: Session, actor: Principal, person_id: int) -> Person:
    """A person the actor may act on (staff in scope, or the citizen themself), else 404."""
    return _person_in_scope(session, actor, person_id)


def person_for_read(session: Session, actor: Principal, person_id: int) -> Person:
    """A person whose records (enrolments, cards ...) the actor may read, else 404;
    a resident of another district opened by a 全市通办 look-up is readable by that
    clerk, and each such read is audited (``person.read_cross_region``)."""
    if actor.is_staff:
        actor.require("registry:read")
    person = _person_in_scope(session, actor, person_id, cross_region=True)
    if is_cross_region(actor, person):
        _audit_cross_region_read(session, actor, person, "records")
    return person


def find_by_resident_id(session: Session, resident_id: str) -> Person | None:
    """Look a person up by full resident ID (normalised), regardless of scope: callers
    decide what the actor may see of them."""
    try:
        number = ids.parse_resident_id(resident_id).number
    except RuleViolation:
        return None
    return session.scalar(select(Person).where(Person.resident_id == number))


def record_death(
    session: Session, actor: Principal, person_id: int, death_date: date
) -> Person:
    """Record a person's death (死亡登记): status ``deceased`` and the date, audited. The
    consequences in other domains follow in the same unit of work: the person's social
    security card is closed (注销) and pension payment stops from the month after death
    with any months already paid after it to be recovered: the domains that own them
    subscribe to :class:`~minsheng.platform.events.PersonDied`."""
    actor.require("registry:write")
    person = _person_in_scope(session, actor, person_id)
    if person.status == "deceased":
        raise Conflict(f"该人员已登记死亡（{person.death_date}）",
                       f"The death is already recorded ({person.death_date})")
    if death_date > date.today() or death_date < person.birth_date:
        raise invalid_field("death_date", "死亡日期应在出生日期与今天之间",
                            "the date of death must lie between birth and today")
    person.status, person.death_date = "deceased", death_date
    flush(session)
    audit.record(session, actor=actor.username, action="person.death", subject_type="person",
                 subject_id=person.id, payload={"death_date": death_date.isoformat()})
    events.publish(session, actor, PersonDied(person.id, death_date))
    return person
