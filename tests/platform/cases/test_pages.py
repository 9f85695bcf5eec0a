"""Case pages as their users open them: the hall and 我的办件 list the citizen's case, its
progress page shows each stage, the notice downloads as a PDF, and the public query finds
it by number and ID number only."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.models import Person
from minsheng.hrss.unemployment import service as unemployment
from minsheng.platform.cases import service
from minsheng.platform.cases.models import CaseAttachment, CaseFile
from minsheng.platform.security.models import AuditEvent
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


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    drawing.drawString(72, 720, "separation certificate")
    drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def test_the_claimant_attaches_documents_the_clerk_reads(
    client: TestClient, session: Session
) -> None:
    person, case = _filed(session)
    sign_in(client, f.staff(session, "citizen", REGION, person_id=person.id))
    content = _pdf()
    sent = client.post(f"/cases/{case.number}/attachments", follow_redirects=False,
                       files={"file": ("C:\\扫描件\\解除劳动合同证明.pdf", content,
                                       "application/pdf")})
    assert sent.status_code == 303 and sent.headers["location"].endswith("#documents")
    page = client.get(sent.headers["location"]).text
    assert "解除劳动合同证明.pdf" in page and "材料已上传" in page
    assert hashlib.sha256(content).hexdigest()[:16] in page

    disguised = client.post(f"/cases/{case.number}/attachments",
                            files={"file": ("照片.jpg", b"not an image", "image/jpeg")})
    assert disguised.status_code == 422 and "PDF 文件或 JPEG 图片" in disguised.text
    assert session.scalar(select(func.count()).select_from(CaseAttachment)) == 1

    clerk = f.staff(session, "clerk", REGION)
    sign_in(client, clerk)
    listing = client.get("/unemployment").text
    assert f'href="/cases/{case.number}#documents"' in listing and "申请材料 1 份" in listing
    document = session.scalars(select(CaseAttachment)).one()
    got = client.get(f"/cases/{case.number}/attachments/{document.id}")
    assert got.status_code == 200 and got.content == content
    assert got.headers["content-type"] == "application/pdf"
    read = session.scalars(select(AuditEvent).where(AuditEvent.action == "case.read",
                                                    AuditEvent.actor == clerk.username)).all()
    assert read, "a staff read of the case is audited"
    # A staff member cannot add a citizen's documents.
    assert client.post(f"/cases/{case.number}/attachments",
                       files={"file": ("a.pdf", content, "application/pdf")}).status_code == 403

    unemployment.decide_claim(session, SYSTEM, int(case.subject_id), approve=True)
    sign_in(client, f.staff(session, "citizen", REGION, person_id=person.id,
                            username=f"again-{person.id}"))
    page = client.get(f"/cases/{case.number}").text
    assert 'data-testid="attach-form"' not in page
    late = client.post(f"/cases/{case.number}/attachments",
                       files={"file": ("b.pdf", content, "application/pdf")})
    assert late.status_code == 409 and "不能再补充材料" in late.text


def test_a_document_of_someone_elses_case_is_not_found(
    client: TestClient, session: Session
) -> None:
    person, case = _filed(session)
    document = service.attach(session, citizen(person), case.number, "证明.pdf", _pdf())
    sign_in(client, f.staff(session, "citizen", REGION, person_id=f.person(session).id))
    assert client.get(f"/cases/{case.number}/attachments/{document.id}").status_code == 404
    sign_in(client, f.staff(session, "clerk", "500103"))  # another district
    assert client.get(f"/cases/{case.number}/attachments/{document.id}").status_code == 404
