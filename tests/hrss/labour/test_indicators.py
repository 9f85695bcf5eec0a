"""The labour indicators on hand-built records, each expected value counted by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.hrss.labour import indicators
from minsheng.hrss.labour.schemas import (
    ComplaintCreate,
    ContractCreate,
    DisputeCreate,
    TripartiteBodyCreate,
)
from minsheng.hrss.labour.service import complaints, contracts, disputes
from minsheng.platform.indicators import Cut, Indicator, parse_period
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def _value(item: Indicator, session: Session, region: str, period: str) -> Decimal | None:
    return item.value(item.compute(session, Cut(region, parse_period(period))).get(""))


def _by_district(item: Indicator, session: Session, period: str) -> dict[str, Decimal | None]:
    found = item.compute(session, Cut("50", parse_period(period), by_district=True))
    return {k: item.value(v) for k, v in found.items()}


class TestSigningRate:
    def _contract(self, session: Session, person: int, employer: int, kind: str,
                  end: date | None = None) -> None:
        contracts.file_contract(session, SYSTEM, ContractCreate(
            person_id=person, employer_id=employer, kind=kind, start_on=date(2025, 1, 1),
            end_on=end))

    def test_in_force_at_the_period_end(self, session: Session) -> None:
        yuzhong, fuling = f.employer(session, region="500103"), f.employer(session,
                                                                          region="500102")
        people = [f.person(session) for _ in range(5)]
        for p, e in zip(people, [yuzhong] * 4 + [fuling], strict=True):
            f.enrolment(session, p.id, "employee_pension", employer_id=e.id,
                        start_month="2025-01")
        self._contract(session, people[0].id, yuzhong.id, "open_ended")
        self._contract(session, people[1].id, yuzhong.id, "fixed_term", date(2027, 12, 31))
        self._contract(session, people[2].id, yuzhong.id, "fixed_term", date(2026, 6, 30))
        self._contract(session, people[4].id, fuling.id, "open_ended")
        item = indicators.CONTRACT_SIGNING_RATE
        # 31 Dec 2026: 渝中 2 of 4 (the third contract ended 30 June, the fourth employee
        # has none), 涪陵 1 of 1; the city 3 of 5 = 60 %.
        assert _value(item, session, "50", "2026") == Decimal("60.00")
        assert _by_district(item, session, "2026") == {"500103": Decimal("50.00"),
                                                       "500102": Decimal("100.00")}
        # 30 June 2026 (the end of 2026Q2): the third contract still binds — 渝中 3 of 4.
        assert _value(item, session, "500103", "2026Q2") == Decimal("75.00")
        records = session.execute(item.records(Cut("500103", parse_period("2026")))).all()
        assert sorted(r.detail for r in records) == ["已备案劳动合同"] * 2 + ["未备案劳动合同"] * 2


class TestDisputeRates:
    def _case(self, session: Session, received: date, *, accept: date | None = None,
              close: tuple[str, date] | None = None, mediate: date | None = None) -> None:
        person, employer = f.person(session), f.employer(session, region="500103")
        d = disputes.apply(session, SYSTEM, DisputeCreate(
            applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
            received_on=received))
        if accept:
            disputes.accept(session, SYSTEM, d.id, accept)
        if mediate:
            disputes.start_mediation(session, SYSTEM, d.id, mediate)
        if close:
            disputes.close(session, SYSTEM, d.id, close[0], close[1])

    def test_closure_and_mediation(self, session: Session) -> None:
        self._case(session, date(2026, 1, 8), accept=date(2026, 1, 10),
                   close=("awarded", date(2026, 2, 1)))                       # A
        self._case(session, date(2026, 2, 27), accept=date(2026, 3, 1),
                   mediate=date(2026, 3, 5), close=("mediated", date(2026, 3, 20)))  # B
        self._case(session, date(2026, 12, 18), accept=date(2026, 12, 20))   # C, open
        self._case(session, date(2025, 12, 28), accept=date(2025, 12, 30),
                   close=("withdrawn", date(2026, 1, 5)))                    # D, 2025's
        self._case(session, date(2026, 1, 20), close=("not_accepted", date(2026, 1, 22)))
        # Accepted in 2026: A, B, C; closed by the end: A, B → 2 / 3 = 66.67 %.
        assert _value(indicators.DISPUTE_CLOSURE_RATE, session, "50", "2026") == \
            Decimal("66.67")
        # Closed in 2026 after acceptance: A, B, D; mediated: B → 1 / 3 = 33.33 %.
        assert _value(indicators.MEDIATION_SUCCESS_RATE, session, "50", "2026") == \
            Decimal("33.33")
        # 2026Q1: accepted A, B, both closed by 31 March → 100 %.
        assert _value(indicators.DISPUTE_CLOSURE_RATE, session, "500103", "2026Q1") == \
            Decimal("100.00")
        # Elsewhere nothing: no rate.
        assert _value(indicators.DISPUTE_CLOSURE_RATE, session, "500102", "2026") is None


class TestComplaintClosure:
    def test_closed_of_accepted(self, session: Session) -> None:
        person, employer = f.person(session), f.employer(session, region="500102")

        def complaint(received: date) -> int:
            return complaints.file_complaint(session, SYSTEM, ComplaintCreate(
                complainant_person_id=person.id, employer_id=employer.id,
                received_on=received, wage_arrears_amount=Decimal("1000"),
                workers_affected=2)).id

        first, second, third = (complaint(date(2026, 2, 2)), complaint(date(2026, 5, 6)),
                                complaint(date(2026, 6, 1)))
        complaints.accept(session, SYSTEM, first, date(2026, 2, 3))
        complaints.close(session, SYSTEM, first, "rectified", date(2026, 3, 3),
                         Decimal("1000"))
        complaints.accept(session, SYSTEM, second, date(2026, 5, 7))
        complaints.close(session, SYSTEM, third, "not_accepted", date(2026, 6, 2),
                         note="不属于本机关管辖")
        # Accepted: first, second; closed: first → 50 %; the refused third is neither.
        assert _value(indicators.COMPLAINT_CLOSURE_RATE, session, "50", "2026") == \
            Decimal("50.00")
        assert _by_district(indicators.COMPLAINT_CLOSURE_RATE, session, "2026") == {
            "500102": Decimal("50.00")}


class TestTripartiteBodies:
    def test_in_being_at_the_period_end(self, session: Session) -> None:
        for name, region, established in (("渝中区协调委员会", "500103", date(2018, 5, 1)),
                                           ("涪陵区协调委员会", "500102", date(2019, 3, 1)),
                                           ("涪陵区崇义街道协调委员会", "500102",
                                            date(2026, 12, 31))):
            contracts.register_body(session, SYSTEM, TripartiteBodyCreate(
                name=name, level="district", region=region, established_on=established))
        dissolved = contracts.bodies(session, SYSTEM)[0]  # ordered by region: 涪陵 first
        dissolved.dissolved_on = date(2025, 12, 31)
        session.flush()
        item = indicators.TRIPARTITE_BODIES
        # End of 2026: 渝中 1; 涪陵: the first dissolved, the third established that day.
        assert _value(item, session, "50", "2026") == 2
        assert _by_district(item, session, "2026") == {"500103": 1, "500102": 1}
        # End of 2024: the first two.
        assert _value(item, session, "50", "2024") == 2
        assert _value(item, session, "500102", "2018") == 0
