"""HR service agency use cases: the licence registry (register, renew, revoke), annual
reports filed by the agency or by staff, the late-report work-list and the counts and
revenue by region and year. Rules: ``hragency.rules``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.hragency import rules
from minsheng.hrss.hragency.models import AgencyLicence, AgencyReport, AgencyReportDeadline
from minsheng.hrss.hragency.schemas import LicenceCreate, ReportCreate
from minsheng.hrss.registry.service import Employer
from minsheng.platform import paging, regions
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, NotFound, invalid_field
from minsheng.platform.rulebook import one_in_force
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter, scoped

__all__ = ["AgencyLicence", "AgencyReport"]


def _audit(session: Session, actor: Principal, action: str, subject_type: str,
           subject_id: object, **payload: Any) -> None:
    audit.record(session, actor=actor.username, action=f"hragency.{action}",
                 subject_type=subject_type, subject_id=subject_id, payload=payload)


def _not_found() -> NotFound:
    return NotFound("未找到该人力资源服务许可证", "No such HR service licence")


def register(session: Session, actor: Principal, data: LicenceCreate) -> AgencyLicence:
    """颁发（登记）人力资源服务许可证 for an employer of the actor's region."""
    actor.require("talent:write")
    employer = session.get(Employer, data.employer_id)
    if employer is None or (actor.is_staff and not actor.sees_region(employer.region)):
        raise invalid_field("employer_id", "用人单位不存在或不在您的管辖范围内",
                            "no such employer in your region")
    if data.valid_until < data.issued_on:
        raise invalid_field("valid_until", "有效期至不能早于发证日期",
                            "the validity ends before the issue date")
    if session.scalar(select(AgencyLicence.id).where(
            AgencyLicence.licence_no == data.licence_no)):
        raise Conflict(f"许可证编号 {data.licence_no} 已登记",
                       f"Licence {data.licence_no} exists")
    if session.scalar(select(AgencyLicence.id).where(
            AgencyLicence.employer_id == employer.id, AgencyLicence.state == "valid",
            AgencyLicence.valid_until >= data.issued_on)):
        raise Conflict("该单位已持有有效的人力资源服务许可证，请办理延续",
                       "The agency already holds a valid licence; renew it")
    licence = AgencyLicence(
        licence_no=data.licence_no, employer_id=employer.id, region=employer.region,
        scope=",".join(sorted(set(data.scope))), issued_on=data.issued_on,
        valid_until=data.valid_until, state=rules.LicenceState.VALID)
    session.add(licence)
    flush(session)
    _audit(session, actor, "licence_register", "hr_agency_licence", licence.id,
           licence_no=licence.licence_no, employer_id=employer.id,
           valid_until=data.valid_until.isoformat())
    return licence


def licence_for(session: Session, actor: Principal, licence_id: int, *,
                for_update: bool = False) -> AgencyLicence:
    """A licence the actor may see: staff of its region, or the agency itself."""
    actor.require_any("talent:read", "talent:employer")
    stmt = select(AgencyLicence).where(AgencyLicence.id == licence_id)
    licence = session.scalar(stmt.with_for_update() if for_update else stmt)
    visible = licence is not None and (
        actor.sees_region(licence.region) if actor.is_staff
        else actor.employer_id == licence.employer_id)
    if licence is None or not visible:
        raise _not_found()
    return licence


def read(session: Session, actor: Principal, licence_id: int) -> AgencyLicence:
    licence = licence_for(session, actor, licence_id)
    if actor.is_staff:
        _audit(session, actor, "licence_read", "hr_agency_licence", licence.id)
    return licence


def _check_version(licence: AgencyLicence, version: int | None) -> None:
    if version is not None and version != licence.version:
        raise Conflict("许可证已被他人更新，请刷新后重试",
                       "The licence was changed by someone else")


def renew(session: Session, actor: Principal, licence_id: int, valid_until: date,
          version: int | None = None) -> AgencyLicence:
    """延续: a licence not revoked gets a later end of validity."""
    actor.require("talent:write")
    licence = licence_for(session, actor, licence_id, for_update=True)
    _check_version(licence, version)
    if licence.state == rules.LicenceState.REVOKED:
        raise Conflict("许可证已吊销，不能延续", "A revoked licence cannot be renewed")
    if valid_until <= licence.valid_until:
        raise invalid_field("valid_until", f"延续后的有效期须晚于原有效期（{licence.valid_until}）",
                            f"the new validity must end after {licence.valid_until}")
    before = licence.valid_until
    licence.valid_until = valid_until
    flush(session)
    _audit(session, actor, "licence_renew", "hr_agency_licence", licence.id,
           before=before.isoformat(), valid_until=valid_until.isoformat())
    return licence


def revoke(session: Session, actor: Principal, licence_id: int, on: date, reason: str,
           version: int | None = None) -> AgencyLicence:
    """吊销 (or 撤销) a licence from a day, with the reason."""
    actor.require("talent:write")
    licence = licence_for(session, actor, licence_id, for_update=True)
    _check_version(licence, version)
    if licence.state == rules.LicenceState.REVOKED:
        raise Conflict("许可证已吊销", "The licence is already revoked")
    if on < licence.issued_on:
        raise invalid_field("on", f"吊销日期不能早于发证日期（{licence.issued_on}）",
                            "the revocation is before the issue")
    if not reason.strip():
        raise invalid_field("reason", "请填写吊销原因", "give the reason")
    licence.state, licence.revoked_on = rules.LicenceState.REVOKED, on
    licence.revoke_reason = reason.strip()
    flush(session)
    _audit(session, actor, "licence_revoke", "hr_agency_licence", licence.id,
           on=on.isoformat(), reason=licence.revoke_reason)
    return licence


# --- annual reports ---------------------------------------------------------------------


def deadline_of(session: Session, region: str, year: int) -> date | None:
    """The report deadline on ``year`` in force for ``region`` (read as of January of
    the following year), or None where no deadline is set (a region of another
    province keeps its own)."""
    setting = one_in_force(session, AgencyReportDeadline, region or "50",
                           (year + 1) * 100 + 1)
    if setting is None:
        return None
    return rules.report_deadline(year, setting.deadline_month, setting.deadline_day)


def file_report(session: Session, actor: Principal, licence_id: int,
                data: ReportCreate) -> AgencyReport:
    """年度报告: filed by the agency (its own licence) or by staff; the year must be one
    the licence was in force in, and over (a report covers a whole year)."""
    actor.require_any("talent:write", "talent:employer")
    licence = licence_for(session, actor, licence_id, for_update=True)
    filed_on = data.filed_on or date.today()
    if data.year >= filed_on.year:
        raise invalid_field("year", "只能报送已结束年度的年度报告", "the year is not over")
    if not rules.in_force_during(licence.issued_on, licence.valid_until, licence.revoked_on,
                                 date(data.year, 1, 1), date(data.year, 12, 31)):
        raise invalid_field("year", "该年度许可证不在有效期内，无需报送",
                            "the licence was not in force that year")
    if session.scalar(select(AgencyReport.id).where(AgencyReport.licence_id == licence.id,
                                                    AgencyReport.year == data.year)):
        raise Conflict(f"{data.year} 年度报告已报送", f"The {data.year} report was filed")
    report = AgencyReport(
        licence_id=licence.id, year=data.year, revenue_fen=data.revenue_fen,
        placements=data.placements, training_sessions=data.training_sessions,
        training_people=data.training_people, filed_on=filed_on, filed_by=actor.username)
    session.add(report)
    flush(session)
    _audit(session, actor, "report_file", "hr_agency_report", report.id,
           licence_no=licence.licence_no, year=data.year, revenue_fen=data.revenue_fen)
    return report


def reports_of(session: Session, actor: Principal, licence_id: int) -> list[AgencyReport]:
    licence = licence_for(session, actor, licence_id)
    return list(session.scalars(select(AgencyReport).where(
        AgencyReport.licence_id == licence.id).order_by(AgencyReport.year.desc())))


def my_licences(session: Session, actor: Principal) -> list[AgencyLicence]:
    """The signed-in agency's licences, the latest first."""
    actor.require("talent:employer")
    if actor.employer_id is None:
        return []
    return list(session.scalars(select(AgencyLicence).where(
        AgencyLicence.employer_id == actor.employer_id)
        .order_by(AgencyLicence.issued_on.desc(), AgencyLicence.id.desc())))


# --- the registry and the late list -----------------------------------------------------


#: The orders the licence registry allows; the default is by district, then licence number.
REGISTRY_SORTING = paging.Sorting({
    "region": AgencyLicence.region,
    "licence_no": AgencyLicence.licence_no,
    "name": Employer.name,
    "issued": AgencyLicence.issued_on,
    "valid_until": AgencyLicence.valid_until,
}, default="region", tie_breakers=[AgencyLicence.licence_no, AgencyLicence.id])


def registry_query(actor: Principal, *, state: str = "",
                   sort: paging.Sort | None = None) -> Select[*tuple[Any, ...]]:
    actor.require("talent:read")
    stmt = (select(AgencyLicence, Employer.name, Employer.uscc)
            .join(Employer, Employer.id == AgencyLicence.employer_id))
    if state == "valid":
        stmt = stmt.where(AgencyLicence.state == "valid",
                          AgencyLicence.valid_until >= date.today())
    elif state == "expired":
        stmt = stmt.where(AgencyLicence.state == "valid",
                          AgencyLicence.valid_until < date.today())
    elif state == "revoked":
        stmt = stmt.where(AgencyLicence.state == "revoked")
    return stmt.where(region_filter(AgencyLicence.region, actor)).order_by(
        *REGISTRY_SORTING.order_by(sort or REGISTRY_SORTING.default))


def registry_page(session: Session, actor: Principal, *, state: str = "", page: int = 1,
                  size: int = paging.LIST_PAGE_SIZE, sort: paging.Sort | None = None
                  ) -> paging.Listing[Any]:
    return paging.paginate(session, registry_query(actor, state=state, sort=sort), page, size,
                           scalars=False)


def all_registry(session: Session, actor: Principal, *, state: str = "",
                 sort: paging.Sort | None = None) -> Iterator[Any]:
    yield from session.execute(registry_query(actor, state=state, sort=sort)
                               .execution_options(yield_per=1000))


def in_force_during_sql(first: date, last: date) -> ColumnElement[bool]:
    """SQL twin of ``rules.in_force_during``."""
    lic = AgencyLicence
    return and_(lic.issued_on <= last, lic.valid_until >= first,
                or_(lic.revoked_on.is_(None), lic.revoked_on >= first))


def in_force_on_sql(day: date) -> ColumnElement[bool]:
    """SQL twin of ``rules.in_force_on``."""
    lic = AgencyLicence
    return and_(lic.issued_on <= day, lic.valid_until >= day,
                or_(lic.revoked_on.is_(None), lic.revoked_on > day))


def late_query(actor: Principal, year: int) -> Select[*tuple[Any, ...]]:
    """Licences in force during ``year`` of the actor's region without a report on it."""
    actor.require("talent:read")
    filed = select(AgencyReport.id).where(AgencyReport.licence_id == AgencyLicence.id,
                                          AgencyReport.year == year).exists()
    stmt = (select(AgencyLicence, Employer.name, Employer.uscc)
            .join(Employer, Employer.id == AgencyLicence.employer_id)
            .where(in_force_during_sql(date(year, 1, 1), date(year, 12, 31)), ~filed)
            .order_by(AgencyLicence.region, AgencyLicence.licence_no))
    return scoped(stmt, AgencyLicence.region, actor)


@dataclass(frozen=True)
class LateList:
    year: int
    #: None where the region has no deadline set: the list shows who has not reported.
    deadline: date | None
    #: False before the deadline has passed: the list shows who has yet to report.
    passed: bool
    listing: paging.Listing[Any]


def late_page(session: Session, actor: Principal, year: int, *, page: int = 1,
              size: int = paging.LIST_PAGE_SIZE, today: date | None = None) -> LateList:
    deadline = deadline_of(session, actor.region_code, year)
    passed = deadline is not None and rules.is_late(deadline, None, today or date.today())
    return LateList(year, deadline, passed,
                    paging.paginate(session, late_query(actor, year), page, size,
                                    scalars=False))


def all_late(session: Session, actor: Principal, year: int) -> Iterator[Any]:
    yield from session.execute(late_query(actor, year).execution_options(yield_per=1000))


def late_reports(session: Session, actor: Principal, year: int) -> int:
    """Reports on ``year`` filed after its deadline, in the actor's region."""
    deadline = deadline_of(session, actor.region_code, year)
    if deadline is None:
        return 0
    return paging.count_of(session, select(AgencyReport.id)
                           .join(AgencyLicence, AgencyLicence.id == AgencyReport.licence_id)
                           .where(AgencyReport.year == year, AgencyReport.filed_on > deadline,
                                  region_filter(AgencyLicence.region, actor)))


# --- counts and revenue -----------------------------------------------------------------


def counts_select(within: ColumnElement[bool], key: ColumnElement[Any],
                  year: int) -> Select[*tuple[Any, ...]]:
    """Per ``key``: ``(key, licences in force at the year's end, of them reported on the
    year, revenue in fen reported on the year, placements)``; one statement. The revenue
    is every report on the year, whatever the licence's state at the year's end."""
    end = date(year, 12, 31)
    lic, rep = AgencyLicence, AgencyReport
    held = in_force_on_sql(end)
    return (select(key, func.count(func.distinct(lic.id)).filter(held),
                   func.count(func.distinct(rep.id)).filter(held),
                   func.coalesce(func.sum(rep.revenue_fen), 0),
                   func.coalesce(func.sum(rep.placements), 0))
            .select_from(lic)
            .outerjoin(rep, and_(rep.licence_id == lic.id, rep.year == year))
            .where(within, or_(held, rep.id.is_not(None)))
            .group_by(key))


@dataclass(frozen=True)
class Counts:
    region: str
    year: int
    agencies: int
    reported: int
    revenue_fen: int
    placements: int


def counts(session: Session, actor: Principal, region: str, year: int) -> list[Counts]:
    """Licensed agencies and reported revenue by district (as divided today) for
    ``region`` (a prefix within the actor's scope; empty: the actor's scope)."""
    actor.require("talent:read")
    prefix = region or actor.region_prefix
    if actor.region_prefix and not prefix.startswith(actor.region_prefix):
        raise invalid_field("region", "只能查询本辖区的统计", "a region within your scope")
    rows = session.execute(counts_select(
        regions.within_sql(AgencyLicence.region, prefix) if prefix else literal(True),
        regions.rollup_sql(AgencyLicence.region), year)).all()
    return [Counts(r[0] or "", year, int(r[1] or 0), int(r[2] or 0), int(r[3] or 0),
                   int(r[4] or 0)) for r in sorted(rows, key=lambda r: r[0] or "")]
