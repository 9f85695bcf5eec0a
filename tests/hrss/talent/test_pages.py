"""The talent pages as their users use them: every staff page as every staff role, a
certificate recorded at the counter, the lists' filters and masked export, the bulk
import's row report, the employer's declaration of introduced talent."""

from __future__ import annotations

import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.talent.models import SkillCertificate, TalentIntroduction
from minsheng.hrss.talent.schemas import SkillCertificateCreate, TitleCreate
from minsheng.hrss.talent.service import records
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import sign_in

STAFF_PAGES = ("/talent", "/talent/certificates", "/talent/titles", "/talent/introductions")


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("role", ["clerk", "case_officer", "reviewer", "statistician",
                                  "admin", "auditor"])
def test_every_staff_page_answers_in_chinese(client: TestClient, session: Session,
                                             role: str) -> None:
    person = f.person(session)
    records.record_certificate(session, SYSTEM, SkillCertificateCreate(
        person_id=person.id, occupation_code="6-18-01-01", level=2,
        certificate_no="S500100000001", issued_on=date(2020, 1, 1)))
    sign_in(client, f.staff(session, role, "500103"))
    for url in STAFF_PAGES:
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:300])
        assert "text/html" in page.headers["content-type"]
    listing = client.get("/talent/certificates").text
    assert "S500100000001" in listing and "技师" in listing
    assert person.resident_id not in listing and person.resident_id[-4:] in listing
    writes = role in ("clerk", "case_officer", "admin")
    assert ('data-testid="certificate-form"' in listing) == writes
    assert client.get("/talent/import").status_code == (200 if writes else 403)


def test_the_overview_counts_by_level(client: TestClient, session: Session) -> None:
    a, b = f.person(session), f.person(session)
    for person, level, number in ((a, 3, "S500100000011"), (a, 1, "S500100000012"),
                                  (b, 1, "S500100000013")):
        records.record_certificate(session, SYSTEM, SkillCertificateCreate(
            person_id=person.id, occupation_code="6-18-01-01", level=level,
            certificate_no=number, issued_on=date(2020, 1, 1)))
    records.record_title(session, SYSTEM, TitleCreate(
        person_id=b.id, series="education", level="intermediate",
        certificate_no="JY2019000001", granted_on=date(2019, 1, 1)))
    sign_in(client, f.staff(session, "statistician", "500103"))
    page = client.get("/talent", params={"year": 2025}).text
    assert 'data-testid="skilled">2<' in page          # a and b, each once
    assert 'data-testid="professional">1<' in page
    assert 'href="/talent/certificates?level=1">高级技师</a></td><td class="num">2<' in page


def test_a_certificate_at_the_counter_and_the_filtered_export(client: TestClient,
                                                              session: Session) -> None:
    person = f.person(session)
    sign_in(client, f.staff(session, "clerk", "500103"))
    form = {"resident_id": person.resident_id, "occupation_code": "6-18-01-01",
            "level": "6", "certificate_no": "S500100000021", "issued_on": "2020-06-30"}
    refused = client.post("/talent/certificates", data=form)
    assert refused.status_code == 422 and "职业技能等级应为1至5级" in refused.text
    alert = refused.text.split('data-testid="problem"')[1].split("</div>")[0]
    assert "职业技能等级" in alert and "level" not in alert
    assert _count(session, SkillCertificate) == 0
    saved = client.post("/talent/certificates", data={**form, "level": "4"},
                        follow_redirects=False)
    assert saved.status_code == 303
    listing = client.get("/talent/certificates", params={"level": "4"}).text
    assert "S500100000021" in listing and "中级工" in listing
    assert "S500100000021" not in client.get("/talent/certificates",
                                             params={"level": "1"}).text
    # The clerk handles identity (full IDs); a statistician's export is masked.
    sign_in(client, f.staff(session, "statistician", "500103"))
    export = client.get("/talent/certificates.xlsx", params={"level": "4"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("证书编号", "姓名", "公民身份号码")
    assert rows[1][0] == "S500100000021"
    assert rows[1][2] == person.resident_id[:4] + "*" * 10 + person.resident_id[-4:]
    assert len(rows) == 2


def test_an_upload_with_bad_rows_writes_nothing(client: TestClient, session: Session) -> None:
    person = f.person(session)
    sign_in(client, f.staff(session, "clerk", "500103"))
    content = ("公民身份号码,职业编码,等级,证书编号,发证日期\n"
               f"{person.resident_id},6-18-01-01,高级工,S500100000031,2020-06-30\n"
               f"{person.resident_id},6-18-01-01,特级,S500100000032,2020-06-30\n"
               "110101199001011234,6-18-01-01,3,S500100000031,2020-06-30\n").encode()
    refused = client.post("/talent/import", data={"kind": "skill-certificates"},
                          files={"file": ("证书.csv", content)})
    assert refused.status_code == 422
    report = refused.text[refused.text.index('data-testid="import-report"'):]
    assert "共 3 行，其中 2 行有误" in report
    for expected in ("职业技能等级应为1至5级", "未找到该公民身份号码的人员",
                     "证书编号在文件中重复出现"):
        assert expected in report
    assert _count(session, SkillCertificate) == 0
    good = content.decode().splitlines()[:2]
    taken = client.post("/talent/import", data={"kind": "skill-certificates"},
                        files={"file": ("证书.csv", "\n".join(good).encode())},
                        follow_redirects=False)
    assert taken.status_code == 303
    assert _count(session, SkillCertificate) == 1


def test_the_employer_declares_introduced_talent(client: TestClient, session: Session) -> None:
    person, employer = f.person(session), f.employer(session)
    account = security.add_user(session, actor=SYSTEM, username="employer-talent",
                                role="employer", password=f.PASSWORD, employer_id=employer.id)
    sign_in(client, security.principal_of(account))
    page = client.get("/my/talent/introductions")
    assert page.status_code == 200 and "急需紧缺专业技术人才" in page.text
    form = {"resident_id": person.resident_id, "category_code": "Q",
            "introduced_on": "2020-05-01", "project_name": "新材料中试"}
    refused = client.post("/my/talent/introductions", data=form)
    assert refused.status_code == 422 and "人才目录" in refused.text
    saved = client.post("/my/talent/introductions", data={**form, "category_code": "D"},
                        follow_redirects=False)
    assert saved.status_code == 303
    listing = client.get("/my/talent/introductions").text
    assert "新材料中试" in listing and "2020-05-01" in listing
    assert _count(session, TalentIntroduction) == 1
    assert client.get("/talent").status_code in (303, 403)
