"""The scorecard on a hand-built set of records: the figure, its districts, its records
(masked, audited), targets, the snapshot cache, the API, the pages and the workbook.

Urban new employment is the indicator used here (one event per person per year); each
domain's own indicators are tested next to the domain."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.employment import service as employment
from minsheng.hrss.scorecard import rules, service
from minsheng.hrss.scorecard.models import ScorecardSnapshot
from minsheng.hrss.scorecard.schemas import TargetSet
from minsheng.platform.config import get_settings
from minsheng.platform.errors import Conflict, Forbidden, RuleViolation
from minsheng.platform.indicators import (
    Cut,
    Figure,
    Indicator,
    Kind,
    catalogue,
    register,
    unregister,
)
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM, Principal
from minsheng.platform.web.templating import local_time
from tests import factories as f
from tests.live import sign_in

API = "/api/v1/scorecard"
ID = "urban_new_employment"


@pytest.fixture
def placed(session: Session) -> Principal:
    """Placements (each a new job unless the person already had one that year):

    - 500103 渝中: A 2019-05, A again 2019-09 (same year: once), B 2020-03, C 2020-12-31;
    - 500106 沙坪坝: D 2020-01-01, E 2016-06;
    - 500105 江北 (abolished 2025, now 500157 两江新区): F 2018-07;
    - 510104 成都锦江: G 2020-02 (outside Chongqing).
    """
    clerk = f.staff(session, "clerk", "")
    plan = [("A", "500103", date(2019, 5, 1)), ("A", "500103", date(2019, 9, 1)),
            ("B", "500103", date(2020, 3, 1)), ("C", "500103", date(2020, 12, 31)),
            ("D", "500106", date(2020, 1, 1)), ("E", "500106", date(2016, 6, 1)),
            ("F", "500105", date(2018, 7, 1)), ("G", "510104", date(2020, 2, 1))]
    people = {}
    for name, region, day in plan:
        if name not in people:
            people[name] = f.person(session, name=f"人员{name}",
                                    residence_region="500157" if region == "500105" else region)
        employment.record_placement(session, clerk, people[name].id, on=day, region=region)
    return clerk


def _value(card: service.Scorecard, indicator_id: str = ID) -> Decimal | None:
    return next(r.value for r in card.rows if r.indicator.id == indicator_id)


class TestFigures:
    def test_periods(self, session: Session, placed: Principal) -> None:
        admin = f.staff(session, "statistician", "500000")
        # 2016–2020 in Chongqing: A (once), B, C, D, E, F = 6; G is in Sichuan.
        assert _value(service.scorecard(session, admin, region="50", period="2016-2020")) == 6
        # 2020: B, C (31 December is inside), D (1 January is inside) = 3.
        assert _value(service.scorecard(session, admin, region="50", period="2020")) == 3
        # Q1 2020: D (01-01), B (03-01) = 2; December: C = 1.
        assert _value(service.scorecard(session, admin, region="50", period="2020Q1")) == 2
        assert _value(service.scorecard(session, admin, region="50", period="2020-12")) == 1
        # 2019: A placed twice, counted once.
        assert _value(service.scorecard(session, admin, region="50", period="2019")) == 1

    def test_a_district_and_an_abolished_code(self, session: Session, placed: Principal) -> None:
        admin = f.staff(session, "admin", "")
        assert _value(service.scorecard(session, admin, region="500103",
                                        period="2016-2020")) == 3
        # F's 2018 job in 500105 江北区 counts in 500157 两江新区 as divided today.
        assert _value(service.scorecard(session, admin, region="500157",
                                        period="2016-2020")) == 1
        assert _value(service.scorecard(session, admin, region="51", period="2020")) == 1

    def test_breakdown_by_district(self, session: Session, placed: Principal) -> None:
        admin = f.staff(session, "admin", "")
        result = service.breakdown(session, admin, ID, region="50", period="2016-2020")
        values = {d.region: d.value for d in result.districts}
        assert result.total == 6
        assert (values["500103"], values["500106"], values["500157"]) == (3, 2, 1)
        assert values["500102"] == 0  # every district is listed, zero where nothing happened
        assert "500105" not in values  # abolished: rolled up
        assert [d.region for d in result.districts[:3]] == ["500103", "500106", "500157"]
        assert sum(d.value or 0 for d in result.districts) == result.total

    def test_trend(self, session: Session, placed: Principal) -> None:
        admin = f.staff(session, "admin", "")
        card = service.scorecard(session, admin, region="50", period="2016-2020", trend=True)
        row = next(r for r in card.rows if r.indicator.id == ID)
        # 2016 E, 2017 none, 2018 F, 2019 A, 2020 B C D.
        assert row.trend == [(2016, 1), (2017, 0), (2018, 1), (2019, 1), (2020, 3)]
        one_year = service.scorecard(session, admin, region="50", period="2020", trend=True)
        assert [y for y, _ in one_year.rows[0].trend] == [2016, 2017, 2018, 2019, 2020]


class TestScope:
    def test_a_district_statistician_sees_only_their_district(self, session: Session,
                                                              placed: Principal) -> None:
        local = f.staff(session, "statistician", "500106")
        card = service.scorecard(session, local, region="", period="2016-2020")
        assert card.region == "500106" and _value(card) == 2
        # Asking for the city gives their own district; another district is refused.
        assert service.scorecard(session, local, region="50", period="2016-2020").region \
            == "500106"
        with pytest.raises(Forbidden):
            service.scorecard(session, local, region="500103", period="2016-2020")

    def test_ecology_staff_see_no_social_security_figure(self, session: Session) -> None:
        analyst = f.staff(session, "nr_analyst", "500102")
        card = service.scorecard(session, analyst, period="2020")
        assert all(r.indicator.permission == "ecology:read" for r in card.rows)
        with pytest.raises(Forbidden):
            service.breakdown(session, analyst, ID, period="2020")

    def test_citizens_have_no_scorecard(self, session: Session) -> None:
        citizen = Principal(user_id=99, username="c", role="citizen")
        with pytest.raises(Forbidden):
            service.scorecard(session, citizen, period="2020")

    @pytest.mark.parametrize("region", ["5", "999999", "50010", "abc", "500105x"])
    def test_an_unknown_region_is_refused(self, session: Session, region: str) -> None:
        admin = f.staff(session, "admin", "")
        with pytest.raises(RuleViolation) as refused:
            service.scorecard(session, admin, region=region, period="2020")
        assert refused.value.errors[0].field == "region"


class TestRecords:
    def test_masked_for_a_statistician_and_audited(self, session: Session,
                                                   placed: Principal) -> None:
        statistician = f.staff(session, "statistician", "500000")
        before = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "scorecard.records"))
        found = service.records(session, statistician, ID, region="500103",
                                period="2016-2020")
        assert found.total == 3
        assert {r.name for r in found.rows} == {"人员A", "人员B", "人员C"}
        assert all("*" in (r.resident_id or "") for r in found.rows)
        after = session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "scorecard.records"))
        assert after == before + 1

    def test_whole_for_a_clerk_and_paged(self, session: Session, placed: Principal) -> None:
        clerk = f.staff(session, "clerk", "500000")
        first = service.records(session, clerk, ID, region="50", period="2016-2020", size=4)
        second = service.records(session, clerk, ID, region="50", period="2016-2020",
                                 page=2, size=4)
        assert (first.total, len(first.rows), len(second.rows)) == (6, 4, 2)
        assert all("*" not in (r.resident_id or "") for r in first.rows)
        assert not {r.record for r in first.rows} & {r.record for r in second.rows}


class TestTargets:
    def test_a_rate_target_and_its_standing(self, session: Session, placed: Principal) -> None:
        statistician = f.staff(session, "statistician", "500000")
        service.set_target(session, statistician, TargetSet(
            indicator_id=ID, region="50", first_year=2016, last_year=2020, value=Decimal(6)))
        card = service.scorecard(session, statistician, region="50", period="2016-2020")
        row = next(r for r in card.rows if r.indicator.id == ID)
        assert row.target is not None and row.target.value == 6
        assert row.standing is rules.Standing.MET
        # A flow's target is the plan span's total: it does not apply to one year of it.
        year = service.scorecard(session, statistician, region="50", period="2020")
        assert next(r for r in year.rows if r.indicator.id == ID).target is None

    def test_indicators_without_a_target_this_year_are_the_statisticians_to_do(
        self, session: Session
    ) -> None:
        statistician = f.staff(session, "statistician", "500102")
        reader = f.staff(session, "clerk", "500102")
        readable = [i.id for i in service.visible(statistician)]
        before = service.missing_targets(session, statistician, 2026)
        assert [i.id for i in before] == readable
        service.set_target(session, statistician, TargetSet(
            indicator_id=ID, region="500102", first_year=2026, last_year=2026,
            value=Decimal(6)))
        after = [i.id for i in service.missing_targets(session, statistician, 2026)]
        assert after == [i for i in readable if i != ID]
        # A span not reaching 2027 leaves it missing then; a city-wide one covers a district.
        assert ID in [i.id for i in service.missing_targets(session, statistician, 2027)]
        service.set_target(session, f.staff(session, "admin", ""), TargetSet(
            indicator_id=ID, region="50", first_year=2027, last_year=2030, value=Decimal(6)))
        assert ID not in [i.id for i in service.missing_targets(session, statistician, 2027)]
        [item] = service.waiting_work(session, statistician, date(2026, 3, 1))
        assert (item.count, item.overdue) == (len(after), len(after))  # due before 2026
        assert item.href == "/scorecard/targets?year=2026#missing"
        assert service.waiting_work(session, reader, date(2026, 3, 1)) == []
        # Near the year's end, next year's targets are due on 31 December.
        lead = get_settings().scorecard_targets_lead_days
        early = date(2026, 12, 31) - timedelta(days=lead)
        assert [i.key for i in service.waiting_work(session, statistician, early)] == [
            "scorecard.targets.2026"]
        soon = early + timedelta(days=1)
        this_year, next_year = service.waiting_work(session, statistician, soon)
        assert this_year.key == "scorecard.targets.2026"
        assert next_year.key == "scorecard.targets.2027" and next_year.due == date(2026, 12, 31)
        assert next_year.count == len(service.missing_targets(session, statistician, 2027))

    def test_the_most_specific_region_wins(self, session: Session, placed: Principal) -> None:
        admin = f.staff(session, "admin", "")
        for region, value in (("50", 6), ("500103", 4)):
            service.set_target(session, admin, TargetSet(
                indicator_id=ID, region=region, first_year=2016, last_year=2020,
                value=Decimal(value)))
        card = service.scorecard(session, admin, region="500103", period="2016-2020")
        row = card.rows[[r.indicator.id for r in card.rows].index(ID)]
        assert row.target is not None and row.target.value == 4
        assert row.standing is rules.Standing.NOT_MET  # 3 < 4

    def test_a_city_count_target_is_not_a_districts(self, session: Session,
                                                    placed: Principal) -> None:
        admin = f.staff(session, "admin", "")
        service.set_target(session, admin, TargetSet(
            indicator_id=ID, region="50", first_year=2016, last_year=2020, value=Decimal(6)))
        card = service.scorecard(session, admin, region="500103", period="2016-2020")
        assert next(r for r in card.rows if r.indicator.id == ID).target is None

    def test_a_city_rate_target_holds_in_its_districts(self, session: Session,
                                                       placed: Principal) -> None:
        # A test-only rate: new jobs of 2020 ÷ new jobs of 2016–2020, per district.
        def share(s: Session, cut: Cut) -> dict[str, Figure]:
            year = service.breakdown(s, SYSTEM, ID, region=cut.region, period="2020")
            span = service.breakdown(s, SYSTEM, ID, region=cut.region, period="2016-2020")
            return {"": Figure(Decimal(year.total or 0), Decimal(span.total or 0))}

        rate = Indicator(id="test_share", name="测试比率", name_en="test", unit="%",
                         kind=Kind.RATE, domain="测试", permission="employment:read",
                         numerator="n", period_rule="r", compute=share)
        register(rate)
        try:
            admin = f.staff(session, "admin", "")
            service.set_target(session, admin, TargetSet(
                indicator_id="test_share", region="50", first_year=2016, last_year=2020,
                value=Decimal(50)))
            card = service.scorecard(session, admin, region="500103", period="2020",
                                     only=["test_share"])
            # 渝中 2020: B, C of A, B, C = 66.67 % against the city's ≥ 50 %.
            assert card.rows[0].value == Decimal("66.67")
            assert card.rows[0].target is not None and card.rows[0].target.value == 50
            assert card.rows[0].standing is rules.Standing.MET
        finally:
            unregister("test_share")

    def test_a_stale_change_is_refused(self, session: Session) -> None:
        admin = f.staff(session, "admin", "")
        data = TargetSet(indicator_id=ID, region="50", first_year=2021, last_year=2025,
                         value=Decimal(100))
        target = service.set_target(session, admin, data)
        changed = service.set_target(session, admin, data.model_copy(
            update={"value": Decimal(120), "version": target.version}))
        assert changed.value == 120 and changed.version == 2
        with pytest.raises(Conflict):
            service.set_target(session, admin, data.model_copy(
                update={"value": Decimal(130), "version": 1}))

    def test_a_clerk_may_not_set_targets(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        with pytest.raises(Forbidden):
            service.set_target(session, clerk, TargetSet(
                indicator_id=ID, first_year=2021, last_year=2025, value=Decimal(1)))


class TestSnapshots:
    def test_reused_until_a_change_is_audited(self, session: Session, placed: Principal) -> None:
        admin = f.staff(session, "admin", "")
        assert _value(service.scorecard(session, admin, region="50", period="2020")) == 3
        # Reading records (audited as a read) leaves the snapshot valid ...
        service.records(session, admin, ID, region="50", period="2020")
        calls: list[int] = []
        item = service.indicator(admin, ID)
        original = item.compute

        def counting(s: Session, cut: object) -> object:
            calls.append(1)
            return original(s, cut)  # type: ignore[arg-type]

        object.__setattr__(item, "compute", counting)
        try:
            assert _value(service.scorecard(session, admin, region="50", period="2020")) == 3
            assert calls == []
            # ... a new placement (audited) makes it stale: recomputed, 4.
            person = f.person(session, residence_region="500103")
            employment.record_placement(session, placed, person.id, on=date(2020, 6, 1),
                                        region="500103")
            assert _value(service.scorecard(session, admin, region="50", period="2020")) == 4
            assert calls == [1]
        finally:
            object.__setattr__(item, "compute", original)


@pytest.fixture
def counted() -> Iterator[list[str]]:
    """The ids of the indicators computed from the records while the fixture is up."""
    calls: list[str] = []
    originals = {}
    for item in catalogue():
        originals[item.id] = item.compute

        def counting(s: Session, cut: Cut, *, _item: Indicator = item) -> object:
            calls.append(_item.id)
            return originals[_item.id](s, cut)

        object.__setattr__(item, "compute", counting)
    try:
        yield calls
    finally:
        for item in catalogue():
            object.__setattr__(item, "compute", originals[item.id])


class TestSummary:
    def test_a_refresh_answers_the_city_and_each_district(
            self, session: Session, placed: Principal, counted: list[str]) -> None:
        admin = f.staff(session, "admin", "")
        done = service.refresh(session, admin, region="50", periods=["2020"])
        # 2020 and its five trend years 2016–2020 (2020 once), the total and by district.
        assert done.periods == ["2020", "2016", "2017", "2018", "2019"]
        assert done.statements == len(service.visible(admin)) * 5 * 2
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "scorecard.refresh")) == 1
        counted.clear()
        city = service.scorecard(session, admin, region="50", period="2020", trend=True)
        shapingba = service.breakdown(session, admin, ID, region="50", period="2020")
        assert counted == []  # every figure came from the summary
        yuzhong = service.scorecard(session, admin, region="500103", period="2020",
                                    trend=True)
        # A district's counts come from the city's by-district summary; only rates it
        # has no row for are computed (a share of the city has the city's denominator).
        kinds = {i.id: i.kind for i in catalogue()}
        assert counted and {kinds[c] for c in counted} <= {Kind.RATE, Kind.SETTING}
        # B and C placed in 渝中 in 2020 (A twice in 2019: once); D in 沙坪坝; G (成都)
        # not in 50.
        assert (_value(city), _value(yuzhong)) == (3, 2)
        assert {d.region: d.value for d in shapingba.districts}["500106"] == 1
        assert [v for _, v in next(r for r in yuzhong.rows
                                   if r.indicator.id == ID).trend] == [0, 0, 0, 1, 2]

    def test_a_rate_of_a_district_without_records_is_computed(
            self, session: Session, placed: Principal, counted: list[str]) -> None:
        admin = f.staff(session, "admin", "")
        service.refresh(session, admin, region="50", periods=["2020"])
        counted.clear()
        share = "eco_restored_share"
        card = service.scorecard(session, admin, region="500102", period="2020",
                                 only=[ID, share])
        assert _value(card) == 0 and counted == [share]

    def test_served_while_younger_than_the_max_age(
            self, session: Session, placed: Principal, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        admin = f.staff(session, "admin", "")
        first = service.scorecard(session, admin, region="50", period="2020", only=[ID])
        assert _value(first) == 3
        person = f.person(session, residence_region="500103")
        employment.record_placement(session, placed, person.id, on=date(2020, 6, 1),
                                    region="500103")
        monkeypatch.setattr(get_settings(), "scorecard_max_age_minutes", 60)
        stale = service.scorecard(session, admin, region="50", period="2020", only=[ID])
        assert _value(stale) == 3 and stale.as_of is not None
        assert first.as_of is not None and stale.as_of <= first.as_of
        monkeypatch.setattr(get_settings(), "scorecard_max_age_minutes", 0)
        assert _value(service.scorecard(session, admin, region="50", period="2020",
                                        only=[ID])) == 4


class TestApi:
    def test_the_list(self, client: TestClient, session: Session, placed: Principal) -> None:
        headers = f.login(client, f.staff(session, "statistician", "500000"))
        response = client.get(f"{API}?region=50&period=2016-2020", headers=headers)
        assert response.status_code == 200
        row = next(r for r in response.json() if r["id"] == ID)
        assert {k: row[k] for k in ("name", "value", "unit", "target", "region", "period")} \
            == {"name": "城镇新增就业", "value": "6", "unit": "人", "target": None,
                "region": "50", "period": "2016-2020"}

    def test_the_breakdown(self, client: TestClient, session: Session,
                           placed: Principal) -> None:
        headers = f.login(client, f.staff(session, "statistician", "500000"))
        body = client.get(f"{API}/{ID}/breakdown?region=50&period=2016-2020",
                          headers=headers).json()
        assert body["total"] == "6"
        assert {d["region"]: d["value"] for d in body["districts"]}["500106"] == "2"

    @pytest.mark.parametrize("query", ["period=2020-13", "period=1900", "region=5",
                                       "period=2020Q9", "region=abcdef"])
    def test_bad_input_is_a_422_in_two_languages(self, client: TestClient, session: Session,
                                                 query: str) -> None:
        headers = f.login(client, f.staff(session, "statistician", "500000"))
        response = client.get(f"{API}?{query}", headers=headers)
        assert response.status_code == 422, response.text

    def test_an_unknown_indicator_is_404(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "admin", ""))
        assert client.get(f"{API}/no_such/breakdown", headers=headers).status_code == 404

    def test_targets_round_trip(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "statistician", "500000"))
        body = {"indicator_id": ID, "region": "50", "first_year": 2021, "last_year": 2025,
                "value": "3000000"}
        created = client.put(f"{API}/targets", headers=headers, json=body)
        assert created.status_code == 200, created.text
        assert created.json()["version"] == 1
        stale = client.put(f"{API}/targets", headers=headers,
                           json={**body, "value": "1", "version": 7})
        assert stale.status_code == 409
        backwards = client.put(f"{API}/targets", headers=headers,
                               json={**body, "first_year": 2026})
        assert backwards.status_code == 422
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        assert client.put(f"{API}/targets", headers=clerk, json=body).status_code == 403


class TestPages:
    @pytest.mark.parametrize("role", ["statistician", "admin", "clerk", "auditor",
                                      "nr_analyst"])
    def test_every_page_as_staff(self, client: TestClient, session: Session,
                                 placed: Principal, role: str) -> None:
        viewer = f.staff(session, role, "500000")
        sign_in(client, viewer)
        page = client.get("/scorecard?region=50&period=2016-2020")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        assert "民生答卷" in page.text
        assert ("城镇新增就业" in page.text) == (role != "nr_analyst")
        assert client.get("/scorecard/targets").status_code == 200
        detail = client.get(f"/scorecard/{ID}?region=50&period=2016-2020")
        assert detail.status_code == (403 if role == "nr_analyst" else 200)

    def test_the_dashboard_names_the_time_of_its_summary(
            self, client: TestClient, session: Session, placed: Principal,
            monkeypatch: pytest.MonkeyPatch) -> None:
        admin = f.staff(session, "admin", "")
        service.refresh(session, admin, region="50", periods=["2020"])
        computed = session.scalars(select(ScorecardSnapshot.computed_at)).first()
        monkeypatch.setattr(get_settings(), "scorecard_max_age_minutes", 60)
        sign_in(client, f.staff(session, "statistician", "500000"))
        page = client.get("/scorecard?region=50&period=2020")
        assert page.status_code == 200
        assert f"数据截至 {local_time(computed)}" in page.text

    def test_a_bad_period_shows_the_default_with_the_reason(
            self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "statistician", "500000"))
        page = client.get("/scorecard?period=2020-13")
        assert page.status_code == 422 and "统计期间应写作" in page.text

    def test_a_target_from_the_form(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "statistician", "500000"))
        done = client.post("/scorecard/targets", data={
            "indicator_id": ID, "region": "50", "first_year": "2021", "last_year": "2025",
            "direction": ">=", "value": "100", "note": "十四五规划"}, follow_redirects=False)
        assert done.status_code == 303
        listing = client.get("/scorecard/targets")
        assert "十四五规划" in listing.text
        refused = client.post("/scorecard/targets", data={
            "indicator_id": ID, "region": "50", "first_year": "2025", "last_year": "2021",
            "direction": ">=", "value": "100"})
        assert refused.status_code == 422 and "截止年度早于起始年度" in refused.text
        not_a_number = client.post("/scorecard/targets", data={
            "indicator_id": ID, "region": "50", "first_year": "2021", "last_year": "2025",
            "direction": ">=", "value": "x"})
        assert not_a_number.status_code == 422 and 'value="x"' in not_a_number.text

    def test_the_workbook_has_chinese_headers(self, client: TestClient, session: Session,
                                              placed: Principal) -> None:
        sign_in(client, f.staff(session, "statistician", "500000"))
        response = client.get("/scorecard/export.xlsx?region=50&period=2016-2020")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:4] == ("指标", "数值", "单位", "目标")
        assert ("城镇新增就业", 6) in {(r[0], r[1]) for r in rows[1:]}
