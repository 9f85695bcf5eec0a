"""The talent indicators on hand-built records, each expected value counted by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.hrss.talent import indicators
from minsheng.hrss.talent.schemas import (
    EventCreate,
    IntakeCreate,
    IntroductionCreate,
    SkillCertificateCreate,
    StationCreate,
    TitleCreate,
)
from minsheng.hrss.talent.service import introductions, postdoc, records
from minsheng.platform.indicators import Cut, Indicator, parse_period
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

_serial = iter(range(1, 10_000))


def _value(item: Indicator, session: Session, region: str, period: str) -> Decimal | None:
    return item.value(item.compute(session, Cut(region, parse_period(period))).get(""))


def _by_district(item: Indicator, session: Session, period: str) -> dict[str, Decimal | None]:
    found = item.compute(session, Cut("50", parse_period(period), by_district=True))
    return {k: item.value(v) for k, v in found.items()}


def _cert(session: Session, person_id: int, level: int, on: date) -> None:
    records.record_certificate(session, SYSTEM, SkillCertificateCreate(
        person_id=person_id, occupation_code="6-18-01-01", level=level,
        certificate_no=f"IND{next(_serial):08d}", issued_on=on))


def _title(session: Session, person_id: int, level: str, on: date) -> None:
    records.record_title(session, SYSTEM, TitleCreate(
        person_id=person_id, series="engineering", level=level,
        certificate_no=f"TIT{next(_serial):08d}", granted_on=on))


class TestSkilledAndProfessional:
    def test_people_once_where_they_live_at_the_period_end(self, session: Session) -> None:
        a, b = f.person(session), f.person(session)
        c = f.person(session, residence_region="500102")
        gone = f.person(session)
        _cert(session, a.id, 3, date(2018, 1, 1))
        _cert(session, a.id, 2, date(2020, 5, 1))      # a: twice, counts once
        _cert(session, b.id, 5, date(2021, 3, 1))      # b: only from 2021
        _cert(session, c.id, 4, date(2019, 1, 1))
        _cert(session, gone.id, 1, date(2015, 1, 1))
        gone.status, gone.death_date = "deceased", date(2019, 6, 30)
        session.flush()
        item = indicators.SKILLED_TALENT
        # End of 2020: a (渝中) and c (涪陵); b not yet, the deceased no longer.
        assert _value(item, session, "50", "2020") == 2
        assert _value(item, session, "500103", "2020") == 1
        # End of 2018: a, and the one who died in 2019; c's certificate is from 2019.
        assert _value(item, session, "50", "2018") == 2
        assert _by_district(item, session, "2021") == {"500103": 2, "500102": 1}
        _title(session, a.id, "junior", date(2012, 1, 1))
        _title(session, a.id, "intermediate", date(2017, 1, 1))
        _title(session, c.id, "senior", date(2021, 1, 1))
        pro = indicators.PROFESSIONAL_TALENT
        assert _value(pro, session, "50", "2020") == 1
        assert _by_district(pro, session, "2016-2021") == {"500103": 1, "500102": 1}


class TestIntroductionsAndEvents:
    def test_flows_in_the_period_where_the_employer_is(self, session: Session) -> None:
        yuzhong, fuling = f.employer(session), f.employer(session, region="500102")
        people = [f.person(session) for _ in range(4)]
        event = introductions.create_event(session, SYSTEM, EventCreate(
            name="重庆英才大会", region="500103", held_on=date(2020, 11, 20),
            projects_signed=7))
        introductions.create_event(session, SYSTEM, EventCreate(
            name="重庆英才大会", region="500103", held_on=date(2021, 11, 20), projects_signed=5))
        for person, employer, on, at_event in (
                (people[0], yuzhong, date(2016, 5, 1), False),
                (people[1], yuzhong, date(2020, 11, 21), True),
                (people[2], fuling, date(2020, 11, 25), True),
                (people[3], fuling, date(2021, 2, 1), False)):
            introductions.declare(session, SYSTEM, IntroductionCreate(
                person_id=person.id, employer_id=employer.id, category_code="D",
                introduced_on=on, event_id=event.id if at_event else None))
        assert _value(indicators.INTRODUCED_TALENT, session, "50", "2016-2020") == 3
        assert _by_district(indicators.INTRODUCED_TALENT, session, "2016-2021") == {
            "500103": 2, "500102": 2}
        assert _value(indicators.EVENT_TALENT, session, "50", "2020") == 2
        assert _value(indicators.EVENT_TALENT, session, "500102", "2020") == 1
        assert _value(indicators.EVENT_PROJECTS, session, "50", "2020") == 7
        assert _value(indicators.EVENT_PROJECTS, session, "50", "2020-2021") == 12
        assert _value(indicators.EVENT_PROJECTS, session, "500102", "2020") == 0


class TestPostdocIntake:
    def test_entries_in_the_period_where_the_station_is(self, session: Session) -> None:
        station = postdoc.add_station(session, SYSTEM, StationCreate(
            name="某大学博士后科研流动站", kind="research", region="500106",
            established_on=date(2000, 1, 1)))
        people = [f.person(session) for _ in range(3)]
        for person, entered, left in ((people[0], date(2019, 9, 1), date(2021, 9, 1)),
                                      (people[1], date(2020, 3, 1), None),
                                      (people[2], date(2020, 12, 31), None)):
            postdoc.admit(session, SYSTEM, IntakeCreate(
                station_id=station.id, person_id=person.id, entered_on=entered, left_on=left))
        assert _value(indicators.POSTDOC_INTAKE, session, "50", "2020") == 2
        assert _value(indicators.POSTDOC_INTAKE, session, "500106", "2019-2020") == 3
        assert _value(indicators.POSTDOC_INTAKE, session, "500103", "2020") == 0


class TestDrillDown:
    def test_the_records_behind_the_stocks(self, session: Session) -> None:
        a = f.person(session)
        _cert(session, a.id, 2, date(2019, 1, 1))
        _title(session, a.id, "deputy_senior", date(2020, 1, 1))
        cut = Cut("500103", parse_period("2020"))
        for item, detail in ((indicators.SKILLED_TALENT, "6-18-01-01"),
                             (indicators.PROFESSIONAL_TALENT, "副高级")):
            assert item.records is not None
            rows = session.execute(item.records(cut)).mappings().all()
            assert [(r["name"], r["detail"]) for r in rows] == [("张三", detail)]
        elsewhere = indicators.PROFESSIONAL_TALENT.records
        assert elsewhere is not None
        assert session.execute(elsewhere(Cut("500102", parse_period("2020")))).all() == []
