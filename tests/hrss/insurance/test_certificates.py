"""Proof-of-enrolment certificates (参保证明): issue, scope, verify, forge, tamper, render.

Enrolments and contributions are built directly as ORM rows: the facts printed on a
certificate are whatever the tables hold, whichever service wrote them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.certificates import api as certificate_api
from minsheng.hrss.insurance.certificates.service import (
    issue_certificate,
    normalise_code,
    render_certificate_pdf,
    verify_certificate,
)
from minsheng.hrss.insurance.models import Certificate, Contribution, Enrolment
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform.cases import service as cases
from minsheng.platform.config import get_settings
from minsheng.platform.ids import mask_resident_id
from minsheng.platform.pdf import CJK_CID_FALLBACK, CjkFont, cjk_font
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import Principal
from tests import factories as f

VERIFY = "/api/v1/certificates/verify/"
POPPLER = all(shutil.which(tool) for tool in ("pdftoppm", "pdftotext", "pdffonts", "pdfinfo"))
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftoppm, pdftotext, pdffonts, pdfinfo) is not installed"
)


@pytest.fixture
def api(client: TestClient) -> Iterator[TestClient]:
    """The test client with the certificate router, whether or not app.py includes it."""
    app: Any = client.app
    if not any(getattr(r, "path", "") == VERIFY + "{code}" for r in app.routes):
        app.include_router(certificate_api.router)
    yield client


def pdf_url(person_id: int) -> str:
    return f"/api/v1/persons/{person_id}/certificate.pdf"


def contribution(session: Session, person: Person, scheme: str, period: int, *,
                 paid: bool, employer: Employer | None = None) -> None:
    session.add(Contribution(
        person_id=person.id, period=period, scheme=scheme,
        employer_id=employer.id if employer else None, region=person.residence_region,
        base=Decimal("5000.00"), employer_amount=Decimal("800.00"),
        personal_amount=Decimal("400.00"), status="paid" if paid else "due",
    ))


@pytest.fixture
def insured(session: Session) -> Person:
    """王小明 of 渝中区 (500103): employee pension and unemployment at one employer from
    2025-01, an earlier resident-pension spell 2023-01…2024-12; contributions 2025-01…
    2025-12 for employee pension (10 paid, 2 due) and 2025-01…2025-06 for unemployment
    (all paid)."""
    person = f.person(session, name="王小明")
    employer = f.employer(session, name="重庆山城数据科技有限公司")
    session.add_all([
        Enrolment(person_id=person.id, scheme="employee_pension", employer_id=employer.id,
                  start_month=202501),
        Enrolment(person_id=person.id, scheme="unemployment", employer_id=employer.id,
                  start_month=202501),
        Enrolment(person_id=person.id, scheme="resident_pension", employer_id=None,
                  start_month=202301, end_month=202412),
    ])
    for month in range(1, 13):
        contribution(session, person, "employee_pension", 202500 + month, paid=month <= 10,
                     employer=employer)
    for month in range(1, 7):
        contribution(session, person, "unemployment", 202500 + month, paid=True,
                     employer=employer)
    session.flush()
    return person


def citizen_of(session: Session, person: Person) -> Principal:
    return f.staff(session, "citizen", person.residence_region, person_id=person.id)


class TestIssueCertificate:
    def test_clerk_downloads_a_pdf_that_verifies(
        self, api: TestClient, session: Session, insured: Person
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        response = api.get(pdf_url(insured.id), headers=f.login(api, clerk))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")

        certificate = session.scalars(
            select(Certificate).where(Certificate.person_id == insured.id)
        ).one()
        assert certificate.code in response.headers["content-disposition"]
        verified = api.get(VERIFY + certificate.code)  # no sign-in
        assert verified.status_code == 200, verified.text
        body = verified.json()
        assert body["valid"] is True
        assert body["name"] == "王**"
        assert body["resident_id"] == mask_resident_id(insured.resident_id)
        assert body["issued_at"]
        assert "resident_id" not in body["summary"] and "name" not in body["summary"]

    def test_summary_counts_enrolments_and_contribution_months(
        self, session: Session, insured: Person
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        certificate, _ = issue_certificate(session, clerk, insured.id,
                                           verify_base_url="http://hall.example")
        summary = verify_certificate(session, certificate.code).summary
        assert summary is not None
        assert summary["enrolments"] == [
            {"scheme": "employee_pension", "employer": "重庆山城数据科技有限公司",
             "start_month": "2025-01", "end_month": None},
            {"scheme": "resident_pension", "employer": None,
             "start_month": "2023-01", "end_month": "2024-12"},
            {"scheme": "unemployment", "employer": "重庆山城数据科技有限公司",
             "start_month": "2025-01", "end_month": None},
        ]
        assert summary["contributions"] == [
            {"scheme": "employee_pension", "months": 12, "paid_months": 10,
             "first_month": "2025-01", "last_month": "2025-12"},
            {"scheme": "unemployment", "months": 6, "paid_months": 6,
             "first_month": "2025-01", "last_month": "2025-06"},
        ]

    def test_code_is_a_node_business_number_and_the_issue_is_audited(
        self, session: Session, insured: Person
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        codes = {issue_certificate(session, clerk, insured.id,
                                   verify_base_url="http://hall.example")[0].code
                 for _ in range(5)}
        assert len(codes) == 5
        prefix = get_settings().node_id.upper()
        for code in codes:
            assert re.fullmatch(rf"{prefix}[2-9A-HJ-NP-Z]{{16}}", code), code
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "certificate.issue", AuditEvent.subject_id == str(insured.id)
        )).all()
        assert len(events) == 5
        assert insured.resident_id not in events[0].payload  # masked in the audit log
        assert mask_resident_id(insured.resident_id) in events[0].payload

    def test_clerk_of_another_district_gets_404_and_nothing_is_issued(
        self, api: TestClient, session: Session, insured: Person
    ) -> None:
        other = f.staff(session, "clerk", "500104")  # 大渡口区
        response = api.get(pdf_url(insured.id), headers=f.login(api, other))
        assert response.status_code == 404
        assert session.scalar(select(func.count()).select_from(Certificate)) == 0

    def test_citizen_downloads_own_but_not_anothers(
        self, api: TestClient, session: Session, insured: Person
    ) -> None:
        neighbour = f.person(session, name="李四")
        headers = f.login(api, citizen_of(session, insured))
        own = api.get(pdf_url(insured.id), headers=headers)
        assert own.status_code == 200
        assert own.content.startswith(b"%PDF-")
        assert api.get(pdf_url(neighbour.id), headers=headers).status_code == 404

    def test_employer_account_and_anonymous_callers_are_refused(
        self, api: TestClient, session: Session, insured: Person
    ) -> None:
        assert api.get(pdf_url(insured.id)).status_code == 401
        employer = f.staff(session, "employer", "500103")
        response = api.get(pdf_url(insured.id), headers=f.login(api, employer))
        assert response.status_code == 404

    def test_unknown_person_is_404(self, api: TestClient, session: Session) -> None:
        admin = f.staff(session, "admin", "")
        assert api.get(pdf_url(987_654), headers=f.login(api, admin)).status_code == 404


class TestVerifyCertificate:
    def test_forged_well_formed_code_is_404_valid_false(self, api: TestClient) -> None:
        forged = get_settings().node_id.upper() + "ABCDEFGHJKMNPQRS"
        assert normalise_code(forged) == forged  # well-formed, just never issued
        response = api.get(VERIFY + forged)
        assert response.status_code == 404
        body = response.json()
        assert body["valid"] is False
        assert body["code"] == forged
        assert body["name"] is None and body["summary"] is None
        assert re.search(r"[\u4e00-\u9fff]", body["reason"])
        assert re.search(r"[A-Za-z]{4,}", body["reason"])

    @pytest.mark.parametrize("code", ["CQ123", "CQ0000000000000000", "XX" + "A" * 16,
                                      "CQ" + "A" * 17])
    def test_malformed_code_is_404_valid_false(self, api: TestClient, code: str) -> None:
        response = api.get(VERIFY + code)
        assert response.status_code == 404
        assert response.json()["valid"] is False
        assert response.json()["reason"]

    def test_tampered_summary_is_not_valid(
        self, api: TestClient, session: Session, insured: Person
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        certificate, _ = issue_certificate(session, clerk, insured.id,
                                           verify_base_url="http://hall.example")
        assert api.get(VERIFY + certificate.code).status_code == 200
        certificate.summary = certificate.summary.replace('"paid_months":10',
                                                          '"paid_months":12')
        session.flush()
        response = api.get(VERIFY + certificate.code)
        assert response.status_code == 404
        assert response.json()["valid"] is False
        assert "篡改" in response.json()["reason"]

    def test_certificate_moved_to_another_person_is_not_valid(
        self, session: Session, insured: Person
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        certificate, _ = issue_certificate(session, clerk, insured.id,
                                           verify_base_url="http://hall.example")
        certificate.person_id = f.person(session, name="李四").id
        session.flush()
        assert verify_certificate(session, certificate.code).valid is False

    def test_code_typed_with_spaces_and_lower_case_is_found(
        self, session: Session, insured: Person
    ) -> None:
        certificate, _ = issue_certificate(session, citizen_of(session, insured), insured.id,
                                           verify_base_url="http://hall.example")
        typed = " ".join(certificate.code[i:i + 4] for i in range(0, 18, 4)).lower()
        assert verify_certificate(session, typed).valid is True

    def test_an_issued_certificate_is_a_case_done_at_once(
        self, session: Session, insured: Person
    ) -> None:
        holder = citizen_of(session, insured)
        certificate, _ = issue_certificate(session, holder, insured.id,
                                           verify_base_url="http://hall.example")
        [case] = cases.my_cases(session, holder)
        assert case.title == "社会保险个人参保证明开具" and case.stage == "done"
        view = cases.case_for(session, holder, case.number)
        assert [s.stage for s in view.steps] == ["received", "accepted", "decided", "done"]
        assert certificate.code in view.steps[-1].note


# --- the PDF itself -----------------------------------------------------------------


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def dark_fraction(image: Image.Image) -> float:
    grey = image.convert("L")
    histogram = grey.histogram()
    return sum(histogram[:128]) / (grey.width * grey.height)


def render_page(pdf: Path, tmp_path: Path, resolution: int = 60) -> Image.Image:
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", str(resolution), "-png", "-f", "1", "-l", "1",
                    str(pdf), str(prefix)], check=True, capture_output=True)
    (png,) = tmp_path.glob("page*.png")
    return Image.open(png)


def title_inked_like_glyphs(image: Image.Image) -> bool:
    """The band of the title 重庆市社会保险个人参保证明 (28–45 mm from the top of A4)
    carries ink, but not the solid boxes (tofu) a font without CJK glyphs leaves:
    glyph strokes darken about 9 % of it, a row of tofu boxes about 17 %."""
    top, bottom = int(image.height * 28 / 297), int(image.height * 45 / 297)
    fraction = dark_fraction(image.crop((0, top, image.width, bottom)))
    return 0.02 < fraction < 0.13


@needs_poppler
class TestCertificatePdfRendersChinese:
    def test_embedded_font_renders_and_extracts(
        self, api: TestClient, session: Session, insured: Person, tmp_path: Path
    ) -> None:
        response = api.get(pdf_url(insured.id),
                           headers=f.login(api, f.staff(session, "clerk", "500103")))
        assert response.status_code == 200
        pdf = tmp_path / "certificate.pdf"
        pdf.write_bytes(response.content)
        code = session.scalars(select(Certificate.code)).one()

        page = render_page(pdf, tmp_path)
        assert dark_fraction(page) > 0.01, "page 1 is blank"
        assert title_inked_like_glyphs(page), "the Chinese title did not render"

        text = pdftotext(pdf)
        assert "参保证明" in text
        assert "王小明" in text
        assert "重庆山城数据科技有限公司" in text
        assert code in text
        assert f"testserver/certificates/verify/{code}" in text  # the human page
        assert mask_resident_id(insured.resident_id) in text  # printed by staff: masked
        assert insured.resident_id not in text

        fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                               text=True).stdout
        font = cjk_font()
        if font.embedded:
            line = next(ln for ln in fonts.splitlines() if "TrueType" in ln)
            assert line.split()[-5] == "yes", fonts  # emb
        else:
            assert CJK_CID_FALLBACK in fonts

    @pytest.mark.skipif(shutil.which("zbarimg") is None,
                        reason="zbar-tools (zbarimg) is not installed to decode the QR code")
    def test_qr_code_leads_to_a_valid_verification(
        self, api: TestClient, session: Session, insured: Person, tmp_path: Path
    ) -> None:
        response = api.get(pdf_url(insured.id),
                           headers=f.login(api, f.staff(session, "clerk", "500103")))
        pdf = tmp_path / "certificate.pdf"
        pdf.write_bytes(response.content)
        render_page(pdf, tmp_path, resolution=100)
        (png,) = tmp_path.glob("page*.png")
        decoded = subprocess.run(["zbarimg", "-q", "--raw", str(png)], check=True,
                                 capture_output=True, text=True).stdout.strip()
        code = session.scalars(select(Certificate.code)).one()
        assert decoded == f"http://testserver/certificates/verify/{code}"
        followed = api.get(decoded)  # a phone's browser: the verification page
        assert followed.status_code == 200
        assert followed.headers["content-type"].startswith("text/html")
        assert "核验通过" in followed.text

    def test_holder_sees_their_full_resident_id(
        self, api: TestClient, session: Session, insured: Person, tmp_path: Path
    ) -> None:
        response = api.get(pdf_url(insured.id), headers=f.login(api, citizen_of(session, insured)))
        pdf = tmp_path / "own.pdf"
        pdf.write_bytes(response.content)
        assert insured.resident_id in pdftotext(pdf)

    def test_cid_fallback_renders_without_an_installed_truetype_font(
        self, session: Session, insured: Person, tmp_path: Path
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        certificate, _ = issue_certificate(session, clerk, insured.id,
                                           verify_base_url="http://hall.example")
        font = cjk_font(candidates=(("/nonexistent/font.ttc", 0),))
        assert font.name == CJK_CID_FALLBACK and not font.embedded
        pdf = tmp_path / "cid.pdf"
        pdf.write_bytes(render_certificate_pdf(
            json.loads(certificate.summary), shown_resident_id="5001**********1234",
            verify_link="http://hall.example/v", font=font))
        fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                               text=True).stdout
        assert CJK_CID_FALLBACK in fonts
        page = render_page(pdf, tmp_path)
        assert dark_fraction(page) > 0.01, "page 1 is blank"
        assert title_inked_like_glyphs(page), "the CID title did not render"
        assert "参保证明" in pdftotext(pdf)

    def test_the_render_check_catches_a_font_without_cjk_glyphs(
        self, session: Session, insured: Person, tmp_path: Path
    ) -> None:
        """Control for the checks above: Helvetica has no CJK glyphs."""
        certificate, _ = issue_certificate(session, f.staff(session, "clerk", "500103"),
                                           insured.id, verify_base_url="http://hall.example")
        pdf = tmp_path / "tofu.pdf"
        pdf.write_bytes(render_certificate_pdf(
            json.loads(certificate.summary), shown_resident_id="5001**********1234",
            verify_link="http://hall.example/v",
            font=CjkFont("Helvetica", embedded=False, source="standard")))
        assert not title_inked_like_glyphs(render_page(pdf, tmp_path))
        assert "参保证明" not in pdftotext(pdf)

    def test_many_enrolments_flow_onto_a_second_page(
        self, session: Session, insured: Person, tmp_path: Path
    ) -> None:
        employer = f.employer(session, name="重庆长江航运服务有限公司")
        for year in range(1990, 2023):  # 33 one-year spells of work-injury insurance
            session.add(Enrolment(person_id=insured.id, scheme="work_injury",
                                  employer_id=employer.id, start_month=year * 100 + 1,
                                  end_month=year * 100 + 12))
        session.flush()
        _, content = issue_certificate(session, f.staff(session, "clerk", "500103"),
                                       insured.id, verify_base_url="http://hall.example")
        pdf = tmp_path / "long.pdf"
        pdf.write_bytes(content)
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                              text=True).stdout
        assert re.search(r"^Pages:\s+2$", info, re.M), info
        text = pdftotext(pdf)
        assert re.search(r"第\s*1\s*页\s*共\s*2\s*页", text)
        assert re.search(r"第\s*2\s*页\s*共\s*2\s*页", text)
        assert text.count("参保单位") == 2  # the table header repeats on page 2
        assert "1990年01月" in text and "2022年12月" in text
