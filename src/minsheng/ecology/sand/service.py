"""Surplus sand-and-gravel use cases: register a disposal case with the project polygon
and volumes, publish the notice (working days by the platform calendar), record the
auction and split the revenue; the figures of the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, null, select
from sqlalchemy.orm import Session

from minsheng.ecology.kernel import common
from minsheng.ecology.kernel.footprint import area_fields, feature, geojson_of
from minsheng.ecology.sand import rules
from minsheng.ecology.sand.models import SandNoticeRule, SurplusAggregateCase
from minsheng.ecology.sand.schemas import (
    AuctionCreate,
    NoticeCreate,
    SandCaseCreate,
    SandCaseRead,
)
from minsheng.platform import paging, regions, rulebook
from minsheng.platform.calendar.service import workday_deadline
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.indicators import RecordSelect
from minsheng.platform.months import month_of
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, scoped

Case = SurplusAggregateCase
STATE_LABELS = {"registered": "已登记（待公示）", "in_notice": "公示中", "auctioned": "已出让"}
PPM = Decimal(1_000_000)


def view_case(case: Case) -> SandCaseRead:
    return SandCaseRead(
        id=case.id, case_no=case.case_no, project_name=case.project_name, region=case.region,
        region_name=regions.name_of(case.region), estimated_volume_m3=case.estimated_volume_m3,
        project_use_m3=case.project_use_m3,
        surplus_volume_m3=rules.surplus_volume(case.estimated_volume_m3, case.project_use_m3),
        utilisation_plan=case.utilisation_plan, state=case.state,
        notice_start=case.notice_start, notice_end=case.notice_end,
        trading_platform=case.trading_platform, lot_no=case.lot_no,
        auction_date=case.auction_date, buyer=case.buyer, revenue=case.revenue,
        city_share_percent=common.plain(Decimal(case.city_share_ppm) * 100 / PPM)
        if case.city_share_ppm is not None else None,
        city_amount=case.city_amount, district_amount=case.district_amount,
        version=case.version, geometry=geojson_of(case), **area_fields(case))


def register_case(session: Session, actor: Principal, data: SandCaseCreate) -> Case:
    """Open a disposal case for a construction project (volumes from the expert-reviewed
    estimate; the surplus is what the project does not use)."""
    actor.require("ecology:write")
    region = common.check_region(data.region)
    common.require_region(actor, region)
    rules.surplus_volume(data.estimated_volume_m3, data.project_use_m3)
    case = Case(case_no=common.business_no(session, Case.case_no, "SS", region),
                project_name=data.project_name.strip(), region=region,
                estimated_volume_m3=data.estimated_volume_m3,
                project_use_m3=data.project_use_m3,
                utilisation_plan=data.utilisation_plan.strip())
    case.set_footprint(data.footprint())
    session.add(case)
    session.flush()
    audit.record(session, actor=actor.username, action="surplus_aggregate.register",
                 subject_type="surplus_aggregate_case", subject_id=case.id,
                 payload={"case_no": case.case_no, "estimated_m3": str(data.estimated_volume_m3),
                          "project_use_m3": str(data.project_use_m3)})
    return case


def read_case(session: Session, actor: Principal, case_id: int, *,
              for_update: bool = False) -> Case:
    actor.require("ecology:read")
    stmt = select(Case).where(Case.id == case_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    case = session.scalar(stmt)
    if case is None or not common.in_scope(actor, case.region):
        raise common.not_found("剩余砂石处置案件", "Surplus aggregate case", case_id)
    return case


#: The orders the case list and its export allow (``?sort=``); by default the latest
#: registered first. Cases without a notice, auction or price come last by that column.
CASE_SORTING = paging.Sorting({
    "registered": Case.id, "case_no": Case.case_no, "project": Case.project_name,
    "surplus": Case.estimated_volume_m3 - Case.project_use_m3,
    "notice": [paging.Fixed(Case.notice_start.is_(None)), Case.notice_start],
    "auction": [paging.Fixed(Case.auction_date.is_(None)), Case.auction_date],
    "revenue": [paging.Fixed(Case.revenue.is_(None)), Case.revenue],
    "state": Case.state,
}, default="registered", default_descending=True, tie_breakers=[Case.id.desc()])


def list_cases(session: Session, actor: Principal, sort: paging.Sort | None = None
               ) -> list[Case]:
    actor.require("ecology:read")
    return list(session.scalars(scoped(select(Case), Case.region, actor)
                                .order_by(*CASE_SORTING.order_by(sort or CASE_SORTING.default))))


def notice_workdays(session: Session, region: str, on: date) -> int | None:
    """Working days of the public notice in ``region`` for a notice starting ``on`` (the
    ``SandNoticeRule`` in force that month), ``None`` if none is on record."""
    rule = rulebook.one_in_force(session, SandNoticeRule, region, month_of(on))
    return None if rule is None else rule.workdays


def publish_notice(session: Session, actor: Principal, case_id: int,
                   data: NoticeCreate) -> Case:
    """Publish the utilisation plan and volumes for ``workdays`` working days (default:
    the ``SandNoticeRule`` in force for the case's region in the month the notice starts;
    Linyi practice ◐, 5 days). The period excludes the day of publication, as every
    statutory period does (民事诉讼法 art. 85); its end comes from the platform's holiday
    calendar."""
    actor.require("ecology:write")
    case = read_case(session, actor, case_id, for_update=True)
    common.check_version(case.version, data.version)
    if case.state != "registered":
        raise Conflict(f"案件状态为“{STATE_LABELS[case.state]}”，不能再次公示",
                       f"The case is {case.state}; the notice is already published")
    workdays = data.workdays if data.workdays is not None \
        else notice_workdays(session, case.region, data.start_on)
    if workdays is None:
        raise invalid_field("workdays", "未设置剩余砂石处置公示期，请填写公示工作日数",
                            "no notice period is on record; give the working days")
    case.notice_start = data.start_on
    case.notice_end = workday_deadline(session, data.start_on, workdays).due_date
    case.state = "in_notice"
    flush(session)
    audit.record(session, actor=actor.username, action="surplus_aggregate.notice",
                 subject_type="surplus_aggregate_case", subject_id=case.id,
                 payload={"start": data.start_on.isoformat(),
                          "end": case.notice_end.isoformat(), "workdays": workdays})
    return case


def record_auction(session: Session, actor: Principal, case_id: int,
                   data: AuctionCreate) -> Case:
    """Record the auction after the notice period, with the revenue and its split between
    the city and the district (the district takes the remainder, so both add up)."""
    actor.require("ecology:write")
    case = read_case(session, actor, case_id, for_update=True)
    common.check_version(case.version, data.version)
    if case.state != "in_notice" or case.notice_end is None:
        raise Conflict(f"案件状态为“{STATE_LABELS[case.state]}”，须先公示后出让",
                       f"The case is {case.state}; publish the notice before the auction")
    rules.check_auction_after_notice(data.auction_date > case.notice_end,
                                     case.notice_end.isoformat())
    share_ppm = int(data.city_share_percent * PPM / 100)
    city, district = rules.split_revenue(data.revenue, share_ppm)
    case.auction_date, case.trading_platform = data.auction_date, data.trading_platform.strip()
    case.lot_no, case.buyer, case.revenue = data.lot_no.strip(), data.buyer.strip(), data.revenue
    case.city_share_ppm, case.city_amount, case.district_amount = share_ppm, city, district
    case.state = "auctioned"
    flush(session)
    audit.record(session, actor=actor.username, action="surplus_aggregate.auction",
                 subject_type="surplus_aggregate_case", subject_id=case.id,
                 payload={"revenue": str(data.revenue), "city": str(city),
                          "district": str(district), "buyer": case.buyer})
    return case


@dataclass(frozen=True)
class SandTotals:
    cases: int
    revenue: Decimal
    city_amount: Decimal
    district_amount: Decimal
    surplus_m3: Decimal


def _disposed(prefix: str, period: common.Period) -> tuple[ColumnElement[bool], ...]:
    return (Case.state == "auctioned", regions.within_sql(Case.region, prefix),
            period.contains(Case.auction_date))


def sand_figures(prefix: str, period: common.Period, by_district: bool = False
                 ) -> Select[Any]:
    """The one definition of the sand-and-gravel figures (the summary page and the
    scorecard): rows ``(key, cases, revenue, city's amount, district's amount, surplus
    m³)`` of the cases disposed of — auctioned, the auction dated in the period — in the
    region ``prefix`` as divided today (abolished codes count under their successor)."""
    key = common.district_key(Case.region, by_district)
    return common.grouped(
        select(key, func.count(Case.id), func.coalesce(func.sum(Case.revenue), 0),
               func.coalesce(func.sum(Case.city_amount), 0),
               func.coalesce(func.sum(Case.district_amount), 0),
               func.coalesce(func.sum(Case.estimated_volume_m3 - Case.project_use_m3), 0))
        .where(*_disposed(prefix, period)), key, by_district)


def sand_records(prefix: str, period: common.Period) -> RecordSelect:
    """The cases behind :func:`sand_figures`, one row per case (no personal data)."""
    return (select(Case.case_no.label("record"), Case.project_name.label("name"),
                   cast(null(), String).label("resident_id"), Case.region.label("region"),
                   Case.auction_date.label("day"),
                   ("成交价款（元）" + cast(Case.revenue, String) + "；竞得人 " + Case.buyer)
                   .label("detail"))
            .where(*_disposed(prefix, period)).order_by(Case.auction_date, Case.id))


def sand_totals(session: Session, prefix: str, period: common.Period) -> SandTotals:
    """Cases disposed of in the period and their revenue (:func:`sand_figures`)."""
    _, count, revenue, city, district, surplus = session.execute(
        sand_figures(prefix, period)).one()
    return SandTotals(int(count), common.yuan(revenue), common.yuan(city),
                      common.yuan(district), common.yuan(surplus))


def _sand_feature(case: Case) -> dict[str, Any]:
    surplus = float(case.estimated_volume_m3 - case.project_use_m3)
    return feature(case, "sand", f"/ecology/sand/{case.id}", {
        "name": case.project_name, "detail": f"剩余砂石 {surplus:,.0f} m³"})


def map_features(session: Session, actor: Principal) -> list[dict[str, Any]]:
    return [_sand_feature(case) for case in list_cases(session, actor)]


def sand_features(session: Session, prefix: str, period: common.Period
                  ) -> list[dict[str, Any]]:
    """Where the cases behind :func:`sand_figures` lie (the scorecard's map)."""
    return [_sand_feature(case) for case in session.scalars(
        select(Case).where(*_disposed(prefix, period)).order_by(Case.auction_date, Case.id))]
