"""Cases (办件) through a real application: an unemployment claim filed, accepted and
decided; the applicant, staff of the region and the public query see its progress; the
decision notice is a PDF with the decision in Chinese."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from minsheng.hrss.registry.models import Person
from minsheng.hrss.unemployment import service as unemployment
from minsheng.hrss.unemployment.models import UnemploymentClaim
from minsheng.platform.cases import notice, service
from minsheng.platform.cases.models import CaseFile
from minsheng.platform.errors import Conflict, NotFound, RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.unemployment import ACCOUNT, citizen, insured

REGION = "500156"  # 武隆区


def _claim(session: Session, region: str = REGION) -> tuple[int, CaseFile]:
    person, _ = insured(session, region=region, name="柳青青")
    unemployment.register_unemployed(session, SYSTEM, person.id,
                                     registered_date=date(2020, 1, 6),
                                     separation_reason="dismissed")
    made = unemployment.submit_claim(session, citizen(person), person.id,
                                     bank_account=ACCOUNT, on=date(2020, 1, 6))
    case = service.case_of(session, "unemployment_claim", made.id)
    assert case is not None
    return made.id, case


def test_a_filed_claim_is_received_and_accepted(session: Session) -> None:
    _, case = _claim(session)
    view = service.case_for(session, SYSTEM, case.number)
    assert [s.stage for s in view.steps] == ["received", "accepted"]
    assert [s.step is not None for s in view.stages] == [True, True, False, False]
    assert case.title == "失业保险金申领" and case.office == "武隆区人力资源和社会保障局"
    assert case.number.startswith("CQBJ") and case.applicant_name == "柳青青"


def test_a_decision_is_recorded_with_its_notice(session: Session) -> None:
    claim_id, case = _claim(session)
    unemployment.decide_claim(session, SYSTEM, claim_id, approve=False, note="离职原因为本人辞职")
    view = service.case_for(session, SYSTEM, case.number)
    assert [s.stage for s in view.steps] == ["received", "accepted", "decided", "done"]
    assert view.case.outcome == "refused" and view.case.outcome_label == "不予核准"
    assert view.case.notice_title == "失业保险金不予核准通知书"
    assert any("离职原因为本人辞职" in p for p in view.notice_paragraphs)
    assert any("六十日内" in p for p in view.notice_paragraphs)
    with pytest.raises(Conflict):  # decided once
        service.advance(session, SYSTEM, subject_type="unemployment_claim",
                        subject_id=claim_id, stage="decided", outcome="approved")


def test_the_applicant_sees_their_cases_and_no_one_else_does(session: Session) -> None:
    claim_id, case = _claim(session)
    owner = citizen(_person_of(session, claim_id))
    assert [c.number for c in service.my_cases(session, owner)] == [case.number]
    stranger = citizen(f.person(session))
    assert service.my_cases(session, stranger) == []
    with pytest.raises(NotFound):
        service.case_for(session, stranger, case.number)
    assert service.case_for(session, owner, case.number).case.id == case.id


def test_staff_see_the_cases_of_their_region_only(session: Session) -> None:
    _, case = _claim(session)
    assert service.case_for(session, f.staff(session, "reviewer", REGION), case.number)
    with pytest.raises(NotFound):
        service.case_for(session, f.staff(session, "reviewer", "500103"), case.number)


def test_the_public_query_needs_the_applicants_id_number(session: Session) -> None:
    claim_id, case = _claim(session)
    resident_id = _person_of(session, claim_id).resident_id
    spaced = " " + case.number[:4].lower() + " " + case.number[4:] + " "
    assert service.public_progress(session, spaced, resident_id.lower()).case.id == case.id
    with pytest.raises(NotFound):
        service.public_progress(session, case.number, f.resident_id())
    with pytest.raises(RuleViolation):
        service.public_progress(session, "CQBJ20261", resident_id)
    with pytest.raises(RuleViolation):
        service.public_progress(session, case.number, "  ")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_notice_pdf_reads_in_chinese(session: Session, tmp_path: Path) -> None:
    claim_id, case = _claim(session)
    with pytest.raises(RuleViolation):  # nothing decided yet
        service.notice_of(session, SYSTEM, case.number)
    unemployment.decide_claim(session, SYSTEM, claim_id, approve=True)
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(notice.render_notice_pdf(service.notice_of(session, SYSTEM, case.number)))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for expected in ("失业保险金核准通知书", case.number, "柳青青", "武隆区人力资源和社会保障局",
                     "第四十五条", "尾号 " + ACCOUNT[-4:]):
        assert expected in text, expected


def _person_of(session: Session, claim_id: int) -> Person:
    claim = session.get(UnemploymentClaim, claim_id)
    assert claim is not None
    person = session.get(Person, claim.person_id)
    assert person is not None
    return person
