"""The person page's 变更记录 and 人员信息摘要 as staff and citizens open them: the history
page lists the changes newest first, masked for the role and refused outside the region;
the summary is an A4 PDF whose Chinese text (pdftotext) names the office, the print date,
the person (ID masked for the role) and their records; both reads are audited."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.cards import service as cards
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.schemas import PersonUpdate
from minsheng.platform.db import LOCAL_TIME, utcnow
from minsheng.platform.ids import mask_resident_id
from minsheng.platform.security.models import AuditEvent
from tests import factories as f
from tests.live import sign_in

REGION = "500103"  # 渝中区


def _person(session: Session) -> tuple[object, object]:
    clerk = f.staff(session, "clerk", REGION, display_name="王芳")
    person = f.person(session, clerk, name="陈思远", phone="13912345678")
    registry.update_person(session, clerk, person.id,
                           PersonUpdate(version=person.version, phone="13987654321"))
    cards.apply_for_card(session, clerk, person.id)
    return clerk, person


def _audited(session: Session, person_id: int, action: str) -> list[str]:
    return list(session.scalars(select(AuditEvent.actor).where(
        AuditEvent.subject_type == "person", AuditEvent.subject_id == str(person_id),
        AuditEvent.action == action)))


def test_the_person_page_leads_to_the_history(client: TestClient, session: Session) -> None:
    clerk, person = _person(session)
    sign_in(client, clerk)
    page = client.get(f"/persons/{person.id}").text
    assert f'href="/persons/{person.id}/history"' in page and "变更记录" in page
    assert f'href="/persons/{person.id}/summary.pdf"' in page and "data-print" in page
    header = page.split('data-testid="print-header"', 1)[1].split("</div>", 1)[0]
    assert "渝中区人力资源和社会保障局" in header and "打印日期：" in header

    history = client.get(f"/persons/{person.id}/history")
    assert history.status_code == 200
    text = history.text.split('data-testid="history-rows"', 1)[1]
    assert text.index("社会保障卡发卡") < text.index("修改人员信息") < text.index("人员登记")
    assert "王芳" in text and clerk.username not in text
    assert "渝中区人力资源和社会保障局" in text
    assert "13912345678 → 13987654321" in text  # a clerk handles identity: in full
    assert _audited(session, person.id, "person.read_history") == [clerk.username]
    assert "查阅变更记录" not in history.text
    assert "查阅变更记录" in client.get(f"/persons/{person.id}/history?reads=true").text


def test_masked_for_a_statistician_and_refused_elsewhere(client: TestClient,
                                                          session: Session) -> None:
    _, person = _person(session)
    sign_in(client, f.staff(session, "statistician", REGION))
    text = client.get(f"/persons/{person.id}/history").text
    assert "139****5678 → 139****4321" in text and "13987654321" not in text
    assert mask_resident_id(person.resident_id) in text and person.resident_id not in text

    sign_in(client, f.staff(session, "clerk", "500104"))
    assert client.get(f"/persons/{person.id}/history").status_code == 404
    assert client.get(f"/persons/{person.id}/summary.pdf").status_code == 404


def test_a_citizen_reads_their_own_history(client: TestClient, session: Session) -> None:
    _, person = _person(session)
    other = f.person(session, name="旁人")
    sign_in(client, f.staff(session, "citizen", "", person_id=person.id))
    assert "修改人员信息" in client.get(f"/persons/{person.id}/history").text
    assert client.get(f"/persons/{other.id}/history").status_code == 404
    own = client.get(f"/persons/{person.id}/summary.pdf")
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    assert client.get(f"/persons/{other.id}/summary.pdf").status_code == 404


def _pdf_text(content: bytes, folder: Path) -> str:
    target = folder / "summary.pdf"
    target.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (poppler-utils) is not installed: the PDF's text "
                           "cannot be read back")
def test_the_summary_pdf_reads_in_chinese(client: TestClient, session: Session,
                                          tmp_path: Path) -> None:
    clerk, person = _person(session)
    f.contribution_rule(session)
    f.enrolment(session, person.id, "resident_pension", start_month="2021-01")
    statistician = f.staff(session, "statistician", REGION)
    sign_in(client, statistician)

    before = utcnow().astimezone(LOCAL_TIME).date()
    response = client.get(f"/persons/{person.id}/summary.pdf")
    after = utcnow().astimezone(LOCAL_TIME).date()

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert any(f"打印日期：{d.year}年{d.month}月{d.day}日" in text for d in (before, after))
    for expected in ("人员信息摘要", "渝中区人力资源和社会保障局", "陈思远",
                     mask_resident_id(person.resident_id), "139****4321",
                     "参保登记", "城乡居民基本养老保险", "2021-01", "社会保障卡",
                     "已发卡（待启用）", "最近的变更和决定", "修改人员信息", "王芳"):
        assert expected in text, f"{expected!r} missing from the summary:\n{text}"
    assert person.resident_id not in text and "13987654321" not in text
    assert clerk.username not in text
    assert _audited(session, person.id, "person.read_summary") == [statistician.username]

    sign_in(client, clerk)  # a clerk handles identity: the full number
    assert person.resident_id in _pdf_text(
        client.get(f"/persons/{person.id}/summary.pdf").content, tmp_path)
