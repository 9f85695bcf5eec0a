"""Demo data for talent records: skill certificates and professional titles over the demo
people (set-based ``INSERT … SELECT``: a certificate for about half of the adults, a
second, higher one for a tenth, a title for a third), scarce-talent introductions
2016–2020 and this year spread over the employers of each district, the 2019 and 2020
重庆英才大会 with introductions tied to them, postdoctoral stations with their intake, and
the 2020 national skills competition's results. Runs once: a database with certificates is
left as it is."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.talent.models import SkillCertificate, TalentEvent
from minsheng.hrss.talent.schemas import EventCreate, StationCreate
from minsheng.hrss.talent.service import introductions, postdoc
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.security.principal import SYSTEM

#: Adults only: every demo date below is after their 18th birthday.
BORN_BEFORE = date(1994, 1, 1)
_DATES = {f"d{n}": date(2012 + 2 * n, 3 + n, 10 + n) for n in range(6)}   # 2012 … 2022
_LEVEL = ("CASE WHEN p.id % 20 = 0 THEN 1 WHEN p.id % 20 < 3 THEN 2 WHEN p.id % 20 < 8 "
          "THEN 3 WHEN p.id % 20 < 14 THEN 4 ELSE 5 END")
_DAY = ("CASE p.id % 6 WHEN 0 THEN :d0 WHEN 1 THEN :d1 WHEN 2 THEN :d2 WHEN 3 THEN :d3 "
        "WHEN 4 THEN :d4 ELSE :d5 END")
_ADULTS = "p.status = 'alive' AND p.birth_date < :born_before"


def seed_demo_talent(factory: sessionmaker[Session]) -> int:
    """Load the talent demo; returns the certificates made (0 when already there)."""
    with unit_of_work(factory) as session:
        if session.scalar(select(func.count()).select_from(SkillCertificate)):
            return 0
        made = _certificates(session)
        _titles(session)
        _introductions(session)
        _postdoc(session)
        _competition(session)
        return made


def _params() -> dict[str, object]:
    return {**_DATES, "born_before": BORN_BEFORE, "now": utcnow()}


def _certificates(session: Session) -> int:
    occupation = ("CASE p.id % 4 WHEN 0 THEN '6-18-01-01' WHEN 1 THEN '6-29-01-03' "
                  "WHEN 2 THEN '4-10-01-01' ELSE '6-31-01-03' END")
    columns = ("certificate_no, person_id, region, occupation_code, level, issuing_body, "
               "issued_on, recorded_by, version, created_at, updated_at")
    first = session.execute(text(
        f"INSERT INTO skill_certificate ({columns}) "
        f"SELECT 'SDEMO' || CAST(p.id AS VARCHAR(12)), p.id, p.residence_region, "
        f"{occupation}, {_LEVEL}, '重庆市职业技能鉴定指导中心', {_DAY}, '演示数据', 1, :now, :now "
        f"FROM person p WHERE p.id % 2 = 0 AND {_ADULTS}"), _params())
    # A tenth earned a second, higher certificate later (技师 after 高级工 …).
    session.execute(text(
        f"INSERT INTO skill_certificate ({columns}) "
        f"SELECT 'SDEMO2-' || CAST(p.id AS VARCHAR(12)), p.id, p.residence_region, "
        f"{occupation}, 2, '重庆市职业技能鉴定指导中心', :d5, '演示数据', 1, :now, :now "
        f"FROM person p WHERE p.id % 10 = 0 AND {_ADULTS}"), _params())
    return int(getattr(first, "rowcount", 0) or 0)


def _titles(session: Session) -> None:
    series = ("CASE p.id % 5 WHEN 0 THEN 'engineering' WHEN 1 THEN 'health' "
              "WHEN 2 THEN 'education' WHEN 3 THEN 'economics' ELSE 'accounting' END")
    level = ("CASE WHEN p.id % 30 = 0 THEN 'senior' WHEN p.id % 30 < 5 THEN 'deputy_senior' "
             "WHEN p.id % 30 < 15 THEN 'intermediate' ELSE 'junior' END")
    session.execute(text(
        "INSERT INTO professional_title (certificate_no, person_id, region, series, level, "
        "issuing_body, granted_on, recorded_by, version, created_at, updated_at) "
        f"SELECT 'TDEMO' || CAST(p.id AS VARCHAR(12)), p.id, p.residence_region, {series}, "
        f"{level}, '重庆市人力资源和社会保障局', {_DAY}, '演示数据', 1, :now, :now "
        f"FROM person p WHERE p.id % 3 = 0 AND {_ADULTS}"), _params())


def _introductions(session: Session) -> None:
    """Introductions to the employers of the person's district (the n-th employer of the
    district by the person's id), one a year 2016–2020 and this year; those of late 2020
    partly through the 2020 重庆英才大会."""
    for held, projects in ((date(2019, 8, 23), 241), (date(2020, 11, 19), 267)):
        introductions.create_event(session, SYSTEM, EventCreate(
            name="重庆英才大会", region="500112", held_on=held, projects_signed=projects))
    event_2020 = session.scalar(select(TalentEvent.id).where(
        TalentEvent.held_on == date(2020, 11, 19)))
    today = date.today()
    days = {"y0": date(2016, 4, 12), "y1": date(2017, 5, 9), "y2": date(2018, 6, 20),
            "y3": date(2019, 9, 2), "y4": date(2020, 11, 20),
            "y5": date(today.year, 1, 15) if today >= date(today.year, 1, 15)
            else date(today.year - 1, 12, 1)}
    session.execute(text(
        "WITH ranked AS (SELECT e.id, e.region, ROW_NUMBER() OVER "
        "(PARTITION BY e.region ORDER BY e.id) AS rn, COUNT(*) OVER (PARTITION BY e.region) "
        "AS n FROM employer e) "
        "INSERT INTO talent_introduction (person_id, employer_id, region, category_code, "
        "introduced_on, event_id, project_name, declared_by, version, created_at, updated_at) "
        "SELECT p.id, r.id, r.region, "
        "CASE p.id % 5 WHEN 0 THEN 'A' WHEN 1 THEN 'B' WHEN 2 THEN 'C' WHEN 3 THEN 'D' "
        "ELSE 'E' END, "
        "CASE p.id % 6 WHEN 0 THEN :y0 WHEN 1 THEN :y1 WHEN 2 THEN :y2 WHEN 3 THEN :y3 "
        "WHEN 4 THEN :y4 ELSE :y5 END, "
        "CASE WHEN p.id % 6 = 4 AND p.id % 4 <> 0 THEN :event ELSE NULL END, "
        "CASE WHEN p.id % 6 = 4 AND p.id % 4 <> 0 THEN '英才大会签约项目' ELSE '' END, "
        "'演示数据', 1, :now, :now "
        "FROM person p JOIN ranked r ON r.region = p.residence_region "
        "AND r.rn = (p.id / 7) % r.n + 1 "
        "WHERE p.id % 7 = 0 AND p.status = 'alive' AND p.birth_date < :born_before"),
        {**days, "event": event_2020, "born_before": BORN_BEFORE, "now": utcnow()})


def _postdoc(session: Session) -> None:
    found = []
    for name, kind, region in (("重庆大学博士后科研流动站", "research", "500106"),
                               ("西南大学博士后科研流动站", "research", "500109"),
                               ("某汽车集团博士后科研工作站", "enterprise", "500112")):
        found.append(postdoc.add_station(session, SYSTEM, StationCreate(
            name=name, kind=kind, region=region, established_on=date(2005, 1, 1))).id)
    years = {f"e{n}": date(2016 + n, 9, 1) for n in range(5)}
    for n, station in enumerate(found):
        # The intake doubles over the plan: more people enter in the later years.
        session.execute(text(
            "INSERT INTO postdoc_intake (station_id, person_id, region, entered_on, left_on, "
            "version, created_at, updated_at) "
            "SELECT :station, p.id, s.region, "
            "CASE WHEN p.id % 10 < 1 THEN :e0 WHEN p.id % 10 < 2 THEN :e1 "
            "WHEN p.id % 10 < 4 THEN :e2 WHEN p.id % 10 < 6 THEN :e3 ELSE :e4 END, "
            "NULL, 1, :now, :now FROM person p JOIN postdoc_station s ON s.id = :station "
            "WHERE p.id % 31 = :n AND p.status = 'alive' AND p.birth_date < :born_before"),
            {**years, "station": station, "n": n, "born_before": BORN_BEFORE, "now": utcnow()})


def _competition(session: Session) -> None:
    """中华人民共和国第一届职业技能大赛 (2020): 4 gold, 4 silver, 4 bronze, 41 优胜奖 among
    97 competitors."""
    session.execute(text(
        "WITH chosen AS (SELECT p.id, p.residence_region, ROW_NUMBER() OVER (ORDER BY p.id) "
        "AS rn FROM person p WHERE p.id % 11 = 5 AND p.status = 'alive' "
        "AND p.birth_date < :born_before) "
        "INSERT INTO skills_competition_result (competition, held_on, trade, person_id, "
        "region, award, version, created_at, updated_at) "
        "SELECT '中华人民共和国第一届职业技能大赛', :held, "
        "CASE rn % 4 WHEN 0 THEN '焊接' WHEN 1 THEN '数控车' WHEN 2 THEN '美发' "
        "ELSE '汽车技术' END, "
        "id, residence_region, CASE WHEN rn <= 4 THEN 'gold' WHEN rn <= 8 THEN 'silver' "
        "WHEN rn <= 12 THEN 'bronze' WHEN rn <= 53 THEN 'excellence' ELSE 'participant' END, "
        "1, :now, :now FROM chosen WHERE rn <= 97"),
        {"held": date(2020, 12, 10), "born_before": BORN_BEFORE, "now": utcnow()})
