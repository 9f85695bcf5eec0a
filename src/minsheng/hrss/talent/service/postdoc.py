"""Postdoctoral stations (博士后科研流动站、工作站) and their intake (进站), and
skills-competition results (全国技能大赛 …)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.talent import rules
from minsheng.hrss.talent.models import CompetitionResult, PostdocIntake, PostdocStation
from minsheng.hrss.talent.schemas import CompetitionResultCreate, IntakeCreate, StationCreate
from minsheng.hrss.talent.service._common import person_of, refuse
from minsheng.platform import regions
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, scoped


def add_station(session: Session, actor: Principal, data: StationCreate) -> PostdocStation:
    """登记博士后科研流动站或工作站 in the actor's region."""
    actor.require("talent:write")
    if regions.name_of(data.region) is None:
        raise invalid_field("region", "未知的行政区划代码", "unknown division code")
    if not actor.sees_region(data.region):
        raise invalid_field("region", "不在您的管辖范围内", "outside your scope")
    if session.scalar(select(PostdocStation.id).where(PostdocStation.name == data.name)):
        raise Conflict("同名的博士后站已登记", "A station of this name is registered")
    station = PostdocStation(name=data.name, kind=data.kind, region=data.region,
                             established_on=data.established_on)
    session.add(station)
    flush(session)
    audit.record(session, actor=actor.username, action="talent.station_add",
                 subject_type="postdoc_station", subject_id=station.id,
                 payload={"name": data.name, "kind": data.kind, "region": data.region})
    return station


def stations(session: Session, actor: Principal) -> list[PostdocStation]:
    actor.require("talent:read")
    return list(session.scalars(scoped(select(PostdocStation), PostdocStation.region, actor)
                                .order_by(PostdocStation.region, PostdocStation.name)))


def admit(session: Session, actor: Principal, data: IntakeCreate) -> PostdocIntake:
    """博士后进站 at a station of the actor's region; one open stay per person."""
    actor.require("talent:write")
    station = session.get(PostdocStation, data.station_id)
    if station is None or not actor.sees_region(station.region):
        raise invalid_field("station_id", "博士后站不存在或不在您的管辖范围内",
                            "no such station in your region")
    person = person_of(session, data.person_id)
    refuse(rules.postdoc_problems(data.entered_on, data.left_on, date.today()))
    if data.entered_on < station.established_on:
        raise invalid_field("entered_on", "进站日期不能早于设站日期",
                            "entered before the station was established")
    if session.scalar(select(PostdocIntake.id).where(
            PostdocIntake.person_id == person.id, PostdocIntake.left_on.is_(None))):
        raise Conflict("该人员尚在站，不能重复进站", "The person is already at a station")
    intake = PostdocIntake(station_id=station.id, person_id=person.id, region=station.region,
                           entered_on=data.entered_on, left_on=data.left_on)
    session.add(intake)
    flush(session)
    audit.record(session, actor=actor.username, action="talent.postdoc_admit",
                 subject_type="postdoc_intake", subject_id=intake.id,
                 payload={"station_id": station.id, "person_id": person.id,
                          "entered_on": data.entered_on.isoformat()})
    return intake


def record_result(session: Session, actor: Principal,
                  data: CompetitionResultCreate) -> CompetitionResult:
    """登记技能大赛成绩 of a competitor living in the actor's region."""
    actor.require("talent:write")
    person = person_of(session, data.person_id)
    if not actor.sees_region(person.residence_region):
        raise invalid_field("person_id", "人员不存在或不在您的管辖范围内",
                            "no such person in your region")
    refuse(rules.record_date_problems("held_on", data.held_on, date.today(),
                                      person.birth_date))
    if session.scalar(select(CompetitionResult.id).where(
            CompetitionResult.competition == data.competition,
            CompetitionResult.held_on == data.held_on, CompetitionResult.trade == data.trade,
            CompetitionResult.person_id == person.id)):
        raise Conflict("该选手在该赛项的成绩已登记", "This result is already recorded")
    result = CompetitionResult(competition=data.competition, held_on=data.held_on,
                               trade=data.trade, person_id=person.id,
                               region=person.residence_region, award=data.award)
    session.add(result)
    flush(session)
    audit.record(session, actor=actor.username, action="talent.competition_record",
                 subject_type="skills_competition_result", subject_id=result.id,
                 payload={"competition": data.competition, "person_id": person.id,
                          "award": data.award})
    return result
