"""A worker's dispute and complaint are cases (办件) they can follow: received with the
acceptance due date, accepted, and closed with how they ended; a complaint not accepted
comes with a written notice giving the reason and where to turn."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from minsheng.hrss.labour import service as labour
from minsheng.hrss.labour.schemas import ComplaintCreate, DisputeCreate
from minsheng.platform.cases import service as cases
from minsheng.platform.security.principal import Principal
from tests import factories as f

REGION = "500106"  # 沙坪坝区


def _worker(session: Session) -> tuple[Principal, int, int]:
    person = f.person(session, residence_region=REGION, name="龙小川")
    employer = f.employer(session, region=REGION)
    account = f.staff(session, "citizen", REGION, person_id=person.id)
    return account, person.id, employer.id


def test_a_dispute_is_followed_to_its_award(session: Session) -> None:
    worker, person_id, employer_id = _worker(session)
    officer = f.staff(session, "case_officer", REGION)
    dispute = labour.disputes.apply(session, worker, DisputeCreate(
        applicant_person_id=person_id, employer_id=employer_id, claim_type="wages",
        received_on=date(2026, 3, 2)))
    case = cases.case_of(session, "labour_dispute", dispute.id)
    assert case is not None and case.stage == "received"
    assert case.title == "劳动人事争议仲裁申请" and case.office == "沙坪坝区劳动人事争议仲裁委员会"
    assert case.due_date == dispute.acceptance_due
    assert [c.number for c in cases.my_cases(session, worker)] == [case.number]

    labour.disputes.accept(session, officer, dispute.id, date(2026, 3, 4))
    assert case.stage == "accepted"
    labour.disputes.close(session, officer, dispute.id, "awarded", date(2026, 4, 1))
    view = cases.case_for(session, worker, case.number)
    assert [s.stage for s in view.steps] == ["received", "accepted", "decided", "done"]
    assert view.case.outcome == "approved" and view.case.outcome_label == "裁决结案"
    assert view.case.notice_title is None  # the award itself is the arbitration's document


def test_a_complaint_not_accepted_gets_a_notice(session: Session) -> None:
    worker, person_id, employer_id = _worker(session)
    officer = f.staff(session, "case_officer", REGION)
    complaint = labour.complaints.file_complaint(session, worker, ComplaintCreate(
        complainant_person_id=person_id, employer_id=employer_id,
        received_on=date(2026, 3, 2)))
    labour.complaints.close(session, officer, complaint.id, "not_accepted", date(2026, 3, 5),
                            note="不属于劳动保障监察职责范围")
    case = cases.case_of(session, "labour_complaint", complaint.id)
    assert case is not None
    view = cases.case_for(session, worker, case.number)
    # Refused before acceptance: the case never reaches 已受理.
    assert [s.stage for s in view.steps] == ["received", "decided", "done"]
    assert [(s.step is not None, s.skipped) for s in view.stages] == [
        (True, False), (False, True), (True, False), (True, False)]
    assert view.case.outcome == "refused" and view.case.outcome_label == "不予受理"
    assert view.case.notice_title == "劳动保障监察投诉不予受理通知书"
    text = "".join(view.notice_paragraphs)
    assert "2026年3月2日" in text and "不属于劳动保障监察职责范围" in text and "六十日内" in text
