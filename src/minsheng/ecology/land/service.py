"""Land-consolidation use cases: register projects with their polygon, read, list, and
the figures of the period (projects, investment, area, farmland, new cultivated land).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, null, or_, select
from sqlalchemy.orm import Session

from minsheng.ecology.kernel import common
from minsheng.ecology.kernel.footprint import area_fields, feature, geojson_of
from minsheng.ecology.land import rules
from minsheng.ecology.land.models import LandConsolidationProject
from minsheng.ecology.land.schemas import LandProjectCreate, LandProjectRead
from minsheng.platform import paging, regions
from minsheng.platform.errors import FieldError, RuleViolation
from minsheng.platform.indicators import RecordSelect
from minsheng.platform.paging import MAX_PAGE_SIZE
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, scoped

Project = LandConsolidationProject


def view_project(project: Project) -> LandProjectRead:
    return LandProjectRead(
        id=project.id, name=project.name, region=project.region,
        region_name=regions.name_of(project.region), township=project.township,
        villages=project.villages, national_pilot=project.national_pilot,
        investment=project.investment, new_cultivated_mu=float(project.new_cultivated_mu),
        high_standard_farmland_mu=float(project.high_standard_farmland_mu),
        start_date=project.start_date, acceptance_date=project.acceptance_date,
        status="accepted" if project.acceptance_date else "in_progress",
        notes=project.notes, version=project.version, geometry=geojson_of(project),
        **area_fields(project))


def register_project(session: Session, actor: Principal, data: LandProjectCreate) -> Project:
    """Register a land-consolidation project; its consolidated area is its polygon's.
    The region is checked on the project's own date (its start, else its acceptance):
    a project of 2024 keeps a code abolished since."""
    actor.require("ecology:write")
    region = common.check_region(data.region, on=data.start_date or data.acceptance_date)
    common.require_region(actor, region)
    fp = data.footprint()
    rules.check_farmland(fp.area_m2, data.new_cultivated_mu, data.high_standard_farmland_mu)
    if data.start_date and data.acceptance_date and data.acceptance_date < data.start_date:
        raise RuleViolation("竣工验收日期不能早于开工日期",
                            "acceptance_date: acceptance before the start",
                            errors=[FieldError("acceptance_date", "竣工验收日期不能早于开工日期",
                                               "acceptance before the start")])
    project = Project(name=data.name.strip(), region=region, township=data.township.strip(),
                      villages=data.villages.strip(), national_pilot=data.national_pilot,
                      investment=data.investment, new_cultivated_mu=data.new_cultivated_mu,
                      high_standard_farmland_mu=data.high_standard_farmland_mu,
                      start_date=data.start_date, acceptance_date=data.acceptance_date,
                      notes=data.notes.strip())
    project.set_footprint(fp)
    session.add(project)
    session.flush()
    audit.record(session, actor=actor.username, action="land_project.register",
                 subject_type="land_consolidation_project", subject_id=project.id,
                 payload={"region": region, "area_m2": str(project.record_area_m2),
                          "area_method": project.area_method,
                          "investment": str(project.investment)})
    return project


def read_project(session: Session, actor: Principal, project_id: int) -> Project:
    actor.require("ecology:read")
    project = session.get(Project, project_id)
    if project is None or not common.in_scope(actor, project.region):
        raise common.not_found("土地整治项目", "Land-consolidation project", project_id)
    return project


def project_query(actor: Principal, q: str = "") -> Select[Project]:
    stmt = select(Project)
    q = q.strip()
    if q:
        stmt = stmt.where(or_(Project.name.contains(q, autoescape=True),
                              Project.township.contains(q, autoescape=True),
                              Project.villages.contains(q, autoescape=True)))
    return scoped(stmt, Project.region, actor)


#: The order of the project list's pages and of its export: national pilots first, the
#: latest start first.
PROJECT_ORDER = (Project.national_pilot.desc(), Project.start_date.desc(), Project.id)

#: The orders the project list and its export allow (``?sort=``); the default ("pilot",
#: descending) is PROJECT_ORDER. Projects without a start date come last by start date.
PROJECT_SORTING = paging.Sorting({
    "pilot": [Project.national_pilot, Project.start_date], "name": Project.name,
    "area": Project.area_m2, "farmland": Project.high_standard_farmland_mu,
    "new": Project.new_cultivated_mu, "investment": Project.investment,
    "start": [paging.Fixed(Project.start_date.is_(None)), Project.start_date],
}, default="pilot", default_descending=True, tie_breakers=[Project.id])


def search_projects(session: Session, actor: Principal, *, q: str = "", page: int = 1,
                    size: int = 50, sort: paging.Sort | None = None
                    ) -> tuple[list[Project], int]:
    actor.require("ecology:read")
    page, size = max(page, 1), min(max(size, 1), MAX_PAGE_SIZE)
    stmt = project_query(actor, q)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(stmt.order_by(*PROJECT_SORTING.order_by(
                                sort or PROJECT_SORTING.default))
                            .offset((page - 1) * size).limit(size)).all()
    return list(items), total


def all_projects(session: Session, actor: Principal, *, q: str = "",
                 sort: paging.Sort | None = None) -> Iterator[Project]:
    """Every project of :func:`search_projects`'s filter in the pages' order, fetched a
    thousand at a time (for the Excel export)."""
    actor.require("ecology:read")
    stmt = project_query(actor, q).order_by(
        *PROJECT_SORTING.order_by(sort or PROJECT_SORTING.default))
    yield from session.scalars(stmt.execution_options(yield_per=1_000))


@dataclass(frozen=True)
class LandTotals:
    projects: int
    investment: Decimal
    area_m2: Decimal
    new_cultivated_mu: Decimal
    high_standard_farmland_mu: Decimal


def _carried_out(prefix: str, period: common.Period) -> tuple[ColumnElement[bool], ...]:
    return (regions.within_sql(Project.region, prefix),
            period.overlaps(Project.start_date, Project.acceptance_date))


def land_figures(prefix: str, period: common.Period, by_district: bool = False
                 ) -> Select[Any]:
    """The one definition of the land-consolidation figures (the summary page and the
    scorecard): rows ``(key, projects, investment, area m², new cultivated mu,
    high-standard farmland mu)`` of the projects carried out in the period — started by
    its end (or no start recorded) and not accepted before its start (or not accepted) —
    in the region ``prefix`` as divided today (abolished codes count under their
    successor). Each project counts once, with its whole figures."""
    key = common.district_key(Project.region, by_district)
    return common.grouped(
        select(key, func.count(Project.id), func.coalesce(func.sum(Project.investment), 0),
               func.coalesce(func.sum(Project.area_m2), 0),
               func.coalesce(func.sum(Project.new_cultivated_mu), 0),
               func.coalesce(func.sum(Project.high_standard_farmland_mu), 0))
        .where(*_carried_out(prefix, period)), key, by_district)


def land_records(prefix: str, period: common.Period) -> RecordSelect:
    """The projects behind :func:`land_figures`, one row per project (no personal data);
    the day is the acceptance date, or the start while the project is under way."""
    return (select(Project.id.label("record"), Project.name.label("name"),
                   cast(null(), String).label("resident_id"), Project.region.label("region"),
                   func.coalesce(Project.acceptance_date, Project.start_date).label("day"),
                   ("投资（元）" + cast(Project.investment, String)
                    + "；高标准农田（亩）" + cast(Project.high_standard_farmland_mu, String)
                    + "；新增耕地（亩）" + cast(Project.new_cultivated_mu, String))
                   .label("detail"))
            .where(*_carried_out(prefix, period)).order_by(Project.start_date, Project.id))


def land_totals(session: Session, prefix: str, period: common.Period) -> LandTotals:
    """Projects carried out in the period in the region ``prefix``: count, investment,
    area and the farmland figures (:func:`land_figures`)."""
    _, count, investment, area, new, farmland = session.execute(
        land_figures(prefix, period)).one()
    return LandTotals(int(count), common.yuan(investment), common.yuan(area),
                      common.yuan(new), common.yuan(farmland))


def _land_feature(p: Project) -> dict[str, Any]:
    return feature(p, "land", f"/ecology/land/{p.id}", {
        "name": p.name,
        "detail": f"高标准农田 {float(p.high_standard_farmland_mu):,.0f} 亩"})


def map_features(session: Session, actor: Principal) -> list[dict[str, Any]]:
    actor.require("ecology:read")
    return [_land_feature(p) for p in session.scalars(project_query(actor).order_by(Project.id))]


def land_features(session: Session, prefix: str, period: common.Period
                  ) -> list[dict[str, Any]]:
    """Where the projects behind :func:`land_figures` lie (the scorecard's map)."""
    return [_land_feature(p) for p in session.scalars(
        select(Project).where(*_carried_out(prefix, period))
        .order_by(Project.start_date, Project.id))]
