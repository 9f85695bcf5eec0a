"""Case pages as their users open them: the hall and 我的办件 list the citizen's case, its
progress page shows each stage, the notice downloads as a PDF, and the public query finds
it by number and ID number only."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.registry.models import Person
from minsheng.hrss.unemployment import service as unemployment
from minsheng.platform.cases import service
from minsheng.platform.cases.models import CaseFile
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.unemployment import ACCOUNT, citizen, insured
from tests.live import sign_in

REGION = "500156"


def _filed(session: Session) -> tuple[Person, CaseFile]:
    person, _ = insured(session, region=REGION, name="柳青青")
    unemployment.register_unemployed(session, SYSTEM, person.id,
                                     registered_date=date(2020, 1, 6),
                                     separation_reason="dismissed")
    claim = unemployment.submit_claim(session, citizen(person), person.id,
                                      bank_account=ACCOUNT, on=date(2020, 1, 6))
    case = service.case_of(session, "unemployment_claim", claim.id)
    assert case is not None
    return person, case


def test_the_citizen_follows_the_case_from_the_hall(client: TestClient, session: Session) -> None:
    person, case = _filed(session)
    sign_in(client, f.staff(session, "citizen", REGION, person_id=person.id))
    hall = client.get("/").text
    assert "我的办件" in hall and case.number in hall and "已受理" in hall
    listing = client.get("/my/cases").text
    assert case.number in listing and "失业保险金申领" in listing
    page = client.get(f"/cases/{case.number}").text
    assert page.count('class="case-step is-done') == 2 and "尚未办理" in page
    assert "武隆区人力资源和社会保障局" in page
    assert client.get(f"/cases/{case.number}/notice.pdf").status_code == 422

    claim_id = int(case.subject_id)
    unemployment.decide_claim(session, SYSTEM, claim_id, approve=True)
    page = client.get(f"/cases/{case.number}").text
    assert page.count('class="case-step is-done') == 4 and "已办结（核准）" in page
    assert "下载失业保险金核准通知书" in page
    pdf = client.get(f"/cases/{case.number}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_someone_elses_case_is_not_found(client: TestClient, session: Session) -> None:
    _, case = _filed(session)
    sign_in(client, f.staff(session, "citizen", REGION, person_id=f.person(session).id))
    assert client.get(f"/cases/{case.number}").status_code == 404
    assert client.get(f"/cases/{case.number}/notice.pdf").status_code == 404
    assert case.number not in client.get("/my/cases").text


def test_the_public_query(client: TestClient, session: Session) -> None:
    person, case = _filed(session)
    form = client.get("/progress")
    assert form.status_code == 200 and "办件进度查询" in form.text
    found = client.post("/progress", data={"number": case.number, "code": person.resident_id})
    assert found.status_code == 200
    assert "柳**" in found.text and "柳青青" not in found.text and "已受理" in found.text
    assert person.resident_id not in found.text
    wrong = client.post("/progress", data={"number": case.number, "code": f.resident_id()})
    assert wrong.status_code == 404 and "未找到与该编号和证件号码相符的办件" in wrong.text
    assert "已受理" not in wrong.text
    bad = client.post("/progress", data={"number": "12345", "code": person.resident_id})
    assert bad.status_code == 422 and "办件编号格式不正确" in bad.text
