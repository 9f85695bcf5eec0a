"""Enrolment, assessment, payments, resident pension, coverage — on the real database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import rules, service
from minsheng.hrss.insurance.models import Contribution, ContributionRule
from minsheng.hrss.insurance.schemas import ResidentPayment
from minsheng.hrss.insurance.service import assessment
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform import bulk, money
from minsheng.platform.errors import Conflict, RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def _assess(session: Session, month: int, prefix: str = "50") -> int:
    """The set-based core of the monthly run, inside the test's transaction."""
    assessment._stage_rules(session, month, prefix)
    inserted = service.assess_batch(session, period=month, prefix=prefix, low=0,
                                    high=2**31 - 1, run_id=None)
    bulk.drop_temp_table(session, "assess_rule")
    return inserted


class TestEnrol:
    def test_employee_and_resident_pension_for_the_same_months_is_409(
        self, session: Session
    ) -> None:
        p = f.person(session)
        f.enrolment(session, p.id, "resident_pension", start_month="2018-01",
                    end_month="2020-06")
        with pytest.raises(Conflict) as err:
            f.enrolment(session, p.id, "employee_pension", start_month="2020-06")
        assert err.value.extra["scheme"] == "resident_pension"
        assert f.enrolment(session, p.id, "employee_pension", start_month="2020-07").id

    def test_same_scheme_twice_is_409_and_other_schemes_coexist(self, session: Session) -> None:
        p, e = f.person(session), f.employer(session, work_injury_risk_class=1)
        f.enrolment(session, p.id, "employee_pension", employer_id=e.id)
        f.enrolment(session, p.id, "unemployment", employer_id=e.id)
        with pytest.raises(Conflict):
            f.enrolment(session, p.id, "employee_pension", start_month="2024-01")

    def test_unemployment_needs_an_employer(self, session: Session) -> None:
        p = f.person(session)
        with pytest.raises(RuleViolation) as err:
            f.enrolment(session, p.id, "unemployment")
        assert err.value.errors[0].field == "employer_id"


class TestAssessment:
    def _setup(self, session: Session) -> tuple[Employer, list[Person]]:
        f.contribution_rule(session)
        employer = f.employer(session, work_injury_risk_class=5)
        people = [f.person(session) for _ in range(3)]
        for person, wage in zip(people, ("3000.00", "12345.67", "50000.00"), strict=True):
            for scheme in ("employee_pension", "unemployment", "work_injury"):
                f.enrolment(session, person.id, scheme, employer_id=employer.id,
                            declared_wage=Decimal(wage))
        return employer, people

    def test_sql_matches_the_pure_rules_and_shows_clamps(self, session: Session) -> None:
        employer, people = self._setup(session)
        assert _assess(session, 202611) == 9
        rows = session.scalars(select(Contribution).where(
            Contribution.employer_id == employer.id, Contribution.period == 202611)).all()
        rates = {"employee_pension": rules.Rates(160_000, 80_000),
                 "unemployment": rules.Rates(5_000, 5_000),
                 "work_injury": rules.Rates(11_000, 0)}  # risk class 5: 1.1 %
        for row in rows:
            person = next(p for p in people if p.id == row.person_id)
            wage = {people[0].id: 300_000, people[1].id: 1_234_567,
                    people[2].id: 5_000_000}[person.id]
            expected = rules.assess(wage, 800_000, 600_000, 3_000_000, rates[row.scheme])
            assert money.to_fen(row.base) == expected.base.fen
            assert row.clamp == expected.base.clamp
            assert money.to_fen(row.employer_amount) == expected.employer_fen
            assert money.to_fen(row.personal_amount) == expected.personal_fen
        clamps = {money.to_fen(r.declared_wage or Decimal(0)): r.clamp for r in rows}
        assert clamps == {300_000: "floor", 1_234_567: None, 5_000_000: "ceiling"}

    def test_running_twice_changes_nothing(self, session: Session) -> None:
        self._setup(session)
        assert _assess(session, 202611) == 9
        snapshot = session.execute(select(Contribution.id, Contribution.base,
                                          Contribution.employer_amount)
                                   .order_by(Contribution.id)).all()
        assert _assess(session, 202611) == 0
        assert session.execute(select(Contribution.id, Contribution.base,
                                      Contribution.employer_amount)
                               .order_by(Contribution.id)).all() == snapshot

    def test_ended_and_future_enrolments_are_not_assessed(self, session: Session) -> None:
        f.contribution_rule(session)
        employer = f.employer(session, work_injury_risk_class=1)
        left, future = f.person(session), f.person(session)
        f.enrolment(session, left.id, employer_id=employer.id, end_month="2026-10")
        f.enrolment(session, future.id, employer_id=employer.id, start_month="2026-12")
        assert _assess(session, 202611) == 0

    def test_flexible_worker_pays_20_percent_alone(self, session: Session) -> None:
        """A 10,000 base is billed 2,000 a month (20 %), not 2,400 (16 % + 8 %)."""
        f.contribution_rule(session)
        p = f.person(session)
        f.enrolment(session, p.id, declared_wage=Decimal("10000.00"))
        assert _assess(session, 202611) == 1
        row = session.scalars(select(Contribution).where(Contribution.person_id == p.id)).one()
        assert (row.base, row.employer_amount, row.personal_amount) == (
            Decimal("10000.00"), Decimal("0.00"), Decimal("2000.00"))

    def test_flexible_worker_account_gets_8_percent_of_the_base(self, session: Session) -> None:
        """Two assessed and paid months on a 10,000 base: the account holds 2 × 800, not
        the 4,000 paid (国发〔2005〕38号 §5). (Before issue 11 point 4 the months counted
        unpaid; now the worker pays them first.)"""
        from minsheng.hrss.insurance.service import records

        f.contribution_rule(session)
        p = f.person(session)
        f.enrolment(session, p.id, start_month="2026-10", declared_wage=Decimal("10000.00"))
        assert _assess(session, 202610) == 1 and _assess(session, 202611) == 1
        paid = service.pay_flexible_contributions(session, SYSTEM, p.id)
        assert paid.months == [202610, 202611] and paid.amount == Decimal("4000.00")
        record = records.contribution_record(session, p.id, 202611)
        assert record.months == 2
        assert record.account_balance == Decimal("1600.00")

    def test_missing_rule_is_an_error_not_a_zero(self, session: Session) -> None:
        employer = f.employer(session, work_injury_risk_class=1)
        f.enrolment(session, f.person(session).id, employer_id=employer.id)
        assessment._stage_rules(session, 202611, "50")
        with pytest.raises(RuleViolation) as err:
            assessment._precheck(session, 202611, "50")
        assert "500103" in err.value.extra["regions"]

    def test_missing_risk_class_is_an_error(self, session: Session) -> None:
        f.contribution_rule(session)
        employer = f.employer(session)  # no work-injury risk class
        f.enrolment(session, f.person(session).id, "work_injury", employer_id=employer.id)
        assessment._stage_rules(session, 202611, "50")
        with pytest.raises(RuleViolation) as err:
            assessment._precheck(session, 202611, "50")
        assert err.value.extra["employer_ids"] == [employer.id]

    def test_rule_lookup_prefers_the_longest_prefix(self, session: Session) -> None:
        city = f.contribution_rule(session, "50")
        district = f.contribution_rule(session, "500103", average_wage=Decimal("9000.00"))
        assert service.rule_for(session, "500103", 202611).id == district.id  # type: ignore[union-attr]
        assert service.rule_for(session, "500102", 202611).id == city.id  # type: ignore[union-attr]
        assert service.rule_for(session, "510104", 202611) is None
        assert session.get(ContributionRule, city.id) is not None


class TestPayments:
    def test_pay_exact_outstanding_then_nothing_is_due(self, session: Session) -> None:
        f.contribution_rule(session)
        employer = f.employer(session, work_injury_risk_class=1)
        f.enrolment(session, f.person(session).id, employer_id=employer.id,
                    declared_wage=Decimal("10000.00"))
        _assess(session, 202610)
        month = service.employer_month(session, SYSTEM, employer.id, "2026-10",
                                       today=date(2026, 12, 5))
        assert month.total == Decimal("2400.00")  # 16 % + 8 % of 10,000
        assert month.status == "arrears"
        assert [a["employer_id"] for a in service.employers_in_arrears(
            session, SYSTEM, today=date(2026, 12, 5))] == [employer.id]
        with pytest.raises(RuleViolation):
            service.pay_employer(session, SYSTEM, employer.id, "2026-10", Decimal("100.00"))
        service.pay_employer(session, SYSTEM, employer.id, "2026-10", Decimal("2400.00"))
        assert service.employer_month(session, SYSTEM, employer.id, "2026-10").status == "paid"
        with pytest.raises(Conflict):
            service.pay_employer(session, SYSTEM, employer.id, "2026-10", Decimal("2400.00"))


class TestResidentPension:
    def _grades(self, session: Session) -> None:
        from minsheng.hrss.insurance.models import GovernmentPaymentRule, ResidentPensionGrade

        for amount, subsidy in (("100", "30"), ("200", "40"), ("500", "60")):
            session.add(ResidentPensionGrade(region_prefix="50", valid_from=202601,
                                             valid_to=202612, amount=Decimal(amount),
                                             subsidy=Decimal(subsidy), source="测试"))
        session.add_all([
            GovernmentPaymentRule(region_prefix="50", valid_from=202601, valid_to=202612,
                                  designation="tekun", share_ppm=1_000_000, source="测试"),
            GovernmentPaymentRule(region_prefix="50", valid_from=202601, valid_to=202612,
                                  designation="poverty_registered", share_ppm=500_000,
                                  source="测试"),
        ])
        session.flush()

    def test_self_payment_at_a_published_grade(self, session: Session) -> None:
        self._grades(session)
        p = f.person(session)
        f.enrolment(session, p.id, "resident_pension", start_month="2026-01")
        with pytest.raises(RuleViolation):
            service.pay_resident_pension(session, SYSTEM, ResidentPayment(
                person_id=p.id, year=2026, grade=Decimal("150")))
        row = service.pay_resident_pension(session, SYSTEM, ResidentPayment(
            person_id=p.id, year=2026, grade=Decimal("200")))
        assert (row.personal_amount, row.subsidy_amount, row.status) == (
            Decimal("200"), Decimal("40"), "paid")
        with pytest.raises(Conflict):
            service.pay_resident_pension(session, SYSTEM, ResidentPayment(
                person_id=p.id, year=2026, grade=Decimal("200")))

    def test_government_pays_for_designated_people_once(self, session: Session) -> None:
        self._grades(session)
        tekun, poor, ordinary = f.person(session), f.person(session), f.person(session)
        for p in (tekun, poor, ordinary):
            f.enrolment(session, p.id, "resident_pension", start_month="2025-01")
        service.designate(session, SYSTEM, tekun.id, "tekun", date(2024, 1, 1))
        service.designate(session, SYSTEM, poor.id, "poverty_registered", date(2024, 1, 1))
        assert service.government_pay_resident(session, SYSTEM, year=2026,
                                               region_prefix="500103") == 2
        assert service.government_pay_resident(session, SYSTEM, year=2026,
                                               region_prefix="500103") == 0
        rows = {c.person_id: c for c in session.scalars(select(Contribution).where(
            Contribution.scheme == "resident_pension", Contribution.period == 202601))}
        assert (rows[tekun.id].government_amount, rows[tekun.id].status) == (Decimal("100"),
                                                                             "paid")
        assert (rows[poor.id].government_amount, rows[poor.id].personal_amount,
                rows[poor.id].status) == (Decimal("50"), Decimal("50"), "due")
        assert ordinary.id not in rows
        checks = service.poverty_checks(session, SYSTEM, region="500103", year=2026)
        assert poor.id in checks.not_paid_ids
        assert checks.should_pay >= 1 and checks.paid < checks.should_pay


class TestCoverage:
    def test_rate_counts_adults_with_a_pension_enrolment(self, session: Session) -> None:
        region = "500154"  # 开州区: a district the other tests leave alone
        adults = [f.person(session, residence_region=region) for _ in range(4)]
        f.person(session, residence_region=region,
                 resident_id=f.resident_id(region, date(2015, 3, 1)))  # a child
        f.enrolment(session, adults[0].id, "resident_pension", start_month="2021-01")
        f.enrolment(session, adults[1].id, "employee_pension", start_month="2021-01")
        result = service.coverage(session, SYSTEM, region=region, on=date(2026, 11, 1))
        assert (result.should_enrol, result.enrolled) == (4, 2)
        assert result.rate == Decimal("0.5000")
        missing = service.not_enrolled(session, SYSTEM, region=region, on=date(2026, 11, 1))
        assert {p.id for p in missing} == {adults[2].id, adults[3].id}

    def test_clerk_cannot_ask_for_another_district(self, session: Session) -> None:
        clerk = f.staff(session, "statistician", "500103")
        with pytest.raises(RuleViolation):
            service.coverage(session, clerk, region="500102")


class TestApi:
    def test_employer_hires_and_lets_go(self, client: TestClient, session: Session) -> None:
        from minsheng.platform.security import service as security

        employer = f.employer(session, work_injury_risk_class=2)
        worker = f.person(session)
        account = security.add_user(session, actor=SYSTEM, username="hr-1", role="employer",
                                    password=f.PASSWORD, employer_id=employer.id)
        headers = f.login(client, security.principal_of(account))
        hired = client.post(f"/api/v1/employers/{employer.id}/employees", headers=headers, json={
            "resident_id": worker.resident_id, "start_month": "2026-03",
            "declared_wage": "6500.00"})
        assert hired.status_code == 201, hired.text
        assert {e["scheme"] for e in hired.json()} == {"employee_pension", "unemployment",
                                                       "work_injury"}
        left = client.post(f"/api/v1/employers/{employer.id}/employees/{worker.id}/leave",
                           headers=headers, json={"end_month": "2026-10"})
        assert left.status_code == 200
        assert {e["end_month"] for e in left.json()} == {"2026-10"}
        other = f.employer(session)
        assert client.post(f"/api/v1/employers/{other.id}/employees", headers=headers, json={
            "resident_id": worker.resident_id, "start_month": "2026-03",
            "declared_wage": "6500.00"}).status_code == 404

    def test_overlap_is_409_over_http(self, client: TestClient, session: Session) -> None:
        p = f.person(session)
        f.enrolment(session, p.id, "resident_pension", start_month="2019-01")
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        response = client.post("/api/v1/enrolments", headers=headers, json={
            "person_id": p.id, "scheme": "employee_pension", "start_month": "2026-01"})
        assert response.status_code == 409
        assert response.json()["detail_en"].startswith("Overlaps")

    def test_citizen_sees_own_contributions(self, client: TestClient, session: Session) -> None:
        from minsheng.platform.security import service as security

        f.contribution_rule(session)
        p = f.person(session)
        f.enrolment(session, p.id, declared_wage=Decimal("9000.00"))
        _assess(session, 202611)
        user = security.add_user(session, actor=SYSTEM, username="me-1", role="citizen",
                                 password=f.PASSWORD, person_id=p.id)
        headers = f.login(client, security.principal_of(user))
        rows = client.get(f"/api/v1/persons/{p.id}/contributions", headers=headers).json()
        # A flexible worker (no employer): 9,000 × 20 %.
        assert [(r["period"], r["personal_amount"]) for r in rows] == [("2026-11", "1800.00")]
        stranger = f.person(session)
        assert client.get(f"/api/v1/persons/{stranger.id}/contributions",
                          headers=headers).status_code == 404




class TestPensionRecord:
    """The employee-pension record an award is computed from (issue 11 points 3 and 4),
    every expected figure by hand."""

    @staticmethod
    def _record(session: Session, person_id: int, until: int) -> service.ContributionRecord:
        return service.contribution_record(session, person_id, until)

    def test_weighted_index_359_months_at_0_6_and_one_at_3(self, session: Session) -> None:
        """Average wage 8,000 from 1990: 359 months declared 4,800 (0.6) and one month
        24,000 (3.0). Weighted: 218.4 / 360 = 0.6067 (the old unweighted mean of the two
        spans gave 1.8)."""
        f.contribution_rule(session)
        p = f.person(session)
        f.enrolment(session, p.id, start_month="1990-01", end_month="2019-11",
                    declared_wage=Decimal("4800.00"))
        f.enrolment(session, p.id, start_month="2019-12", end_month="2019-12",
                    declared_wage=Decimal("24000.00"))
        record = self._record(session, p.id, 202001)
        assert record.months == 360
        assert record.average_index == Decimal("0.6067")
        assert record.history_months == 360

    def test_each_year_uses_its_own_average_wage(self, session: Session) -> None:
        """2024 average 8,000, 2025 average 10,000 (a new parameter year in January);
        declared 9,000 from 2024-07: 2024 months index 1.125, the first month of 2025
        already 0.9. Until 2025-01: (6 × 1.125 + 0.9) / 7 = 7.65 / 7 = 1.092857 → 1.0929
        (the rule at retirement alone would say 0.9)."""
        f.contribution_rule(session, valid_from="2024-01", valid_to="2024-12")
        f.contribution_rule(session, valid_from="2025-01", average_wage=Decimal("10000.00"))
        p = f.person(session)
        f.enrolment(session, p.id, start_month="2024-07", declared_wage=Decimal("9000.00"))
        record = self._record(session, p.id, 202501)
        assert record.months == 7
        assert record.average_index == Decimal("1.0929")
        by_year = {y.year: y for y in record.years}
        assert (by_year[2024].months, by_year[2024].index) == (6, Decimal("1.1250"))
        assert (by_year[2025].months, by_year[2025].index) == (1, Decimal("0.9000"))
        assert by_year[2025].average_wage == Decimal("10000.00")

    def test_a_year_without_a_rule_is_refused_not_guessed(self, session: Session) -> None:
        f.contribution_rule(session, valid_from="2020-01")
        p = f.person(session)
        f.enrolment(session, p.id, start_month="2018-11", declared_wage=Decimal("8000.00"))
        with pytest.raises(RuleViolation) as caught:
            self._record(session, p.id, 202001)
        assert "2018–2019" in caught.value.message
        assert caught.value.extra["years"] == [2018, 2019]

    def test_account_interest_by_the_credited_rates(self, session: Session) -> None:
        """8,000 declared at an 8,000 average: 640 a month, 7,680 a year. With the seeded
        national rates (2022 6.12 %, 2023 3.97 %, 2024 2.62 %) and a year's credits earning
        from the next year: 2022 closes 7,680.00; 2023: 7,680 × 3.97 % = 304.90, closes
        15,664.90; 2024: 15,664.90 × 2.62 % = 410.42, closes 23,755.32; interest 715.32."""
        f.contribution_rule(session)
        p = f.person(session)
        f.enrolment(session, p.id, start_month="2022-01", end_month="2024-12",
                    declared_wage=Decimal("8000.00"))
        record = self._record(session, p.id, 202412)
        assert record.account_balance == Decimal("23755.32")
        assert record.interest == Decimal("715.32")
        assert record.years_without_rate == ()
        assert [y.rate for y in record.years] == [Decimal("0.0612"), Decimal("0.0397"),
                                                  Decimal("0.0262")]

    def test_years_without_a_published_rate_are_named(self, session: Session) -> None:
        """2025 has no rate on record: the 2024 balance 7,680 earns nothing in 2025."""
        f.contribution_rule(session)
        p = f.person(session)
        f.enrolment(session, p.id, start_month="2024-01", end_month="2024-12",
                    declared_wage=Decimal("8000.00"))
        record = self._record(session, p.id, 202506)
        assert record.account_balance == Decimal("7680.00")
        assert record.years_without_rate == (2025,)

    def test_due_months_are_neither_counted_nor_credited_but_are_gaps(
            self, session: Session) -> None:
        """An employee from 2026-09 (declared 10,000): 09 assessed and paid, 10 assessed
        and unpaid, 11 not assessed. Counted: 1 month, 800 credited; gaps: 2026-10 (due,
        2,400 = 16 % + 8 % of 10,000) and 2026-11 (not assessed)."""
        f.contribution_rule(session)
        employer = f.employer(session, work_injury_risk_class=1)
        p = f.person(session)
        f.enrolment(session, p.id, employer_id=employer.id, start_month="2026-09",
                    declared_wage=Decimal("10000.00"))
        _assess(session, 202609)
        _assess(session, 202610)
        total = service.employer_month(session, SYSTEM, employer.id, "2026-09").total
        service.pay_employer(session, SYSTEM, employer.id, "2026-09", total)
        record = self._record(session, p.id, 202611)
        assert record.months == 1
        assert record.account_balance == Decimal("800.00")
        assert record.average_index == Decimal("1.2500")  # 10,000 / 8,000
        assert [(g.period, g.kind, g.amount) for g in record.gaps] == [
            (202610, "due", Decimal("2400.00")), (202611, "not_assessed", None)]
        gaps = service.contribution_gaps(session, SYSTEM, p.id, until=202611)
        assert [g.period for g in gaps] == [202610, 202611]

    def test_history_before_the_first_row_counts(self, session: Session) -> None:
        """Enrolled 2026-01.. with rows only from 2026-09 (paid): January–August are the
        record from before this system and count (8 + 1 months)."""
        f.contribution_rule(session)
        employer = f.employer(session, work_injury_risk_class=1)
        p = f.person(session)
        f.enrolment(session, p.id, employer_id=employer.id, start_month="2026-01",
                    declared_wage=Decimal("8000.00"))
        _assess(session, 202609)
        total = service.employer_month(session, SYSTEM, employer.id, "2026-09").total
        service.pay_employer(session, SYSTEM, employer.id, "2026-09", total)
        record = self._record(session, p.id, 202609)
        assert (record.months, record.history_months) == (9, 8)
        assert record.account_balance == Decimal("5760.00")  # 9 × 640
        assert record.gaps == ()

    def test_a_flexible_worker_makes_up_a_gap(self, session: Session) -> None:
        f.contribution_rule(session)
        p = f.person(session)
        f.enrolment(session, p.id, start_month="2026-10", declared_wage=Decimal("10000.00"))
        _assess(session, 202610)
        assert [g.kind for g in self._record(session, p.id, 202610).gaps] == ["due"]
        service.pay_flexible_contributions(session, SYSTEM, p.id, [202610])
        record = self._record(session, p.id, 202610)
        assert (record.months, record.gaps) == (1, ())
        with pytest.raises(Conflict):
            service.pay_flexible_contributions(session, SYSTEM, p.id)
