"""End to end in headless Chromium: an employer downloads its 单位参保证明 from the service
hall, and the verification page its QR code opens is read by a visitor who is not
signed in (valid, then an altered record, then a code typed with a typo)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance.models import Certificate, Enrolment
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import e2e_database, playwright_or_skip, seed, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect

EMPLOYER_NAME = "重庆山城证明科技有限公司"


@dataclass
class CertificateServer:
    url: str
    factory: sessionmaker[Session]
    employer_id: int


@pytest.fixture(scope="module")
def certificate_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CertificateServer]:
    """An employer of 渝中区 with two of the seeded residents enrolled and its account
    ``hr-zhengming``."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "certificates")
    with factory.begin() as session:
        _, people = seed(session)
        employer = f.employer(session, name=EMPLOYER_NAME)
        for worker in people[:2]:
            session.add(Enrolment(person_id=worker.id, scheme="employee_pension",
                                  employer_id=employer.id, start_month=202501))
        security.add_user(session, actor=SYSTEM, username="hr-zhengming", role="employer",
                          password=f.PASSWORD, employer_id=employer.id,
                          display_name="证明科技人事部")
        employer_id = employer.id
    with serve_on(url, engine, factory) as base:
        yield CertificateServer(base, factory, employer_id)


def test_unit_certificate_and_its_verification_page(
    certificate_server: CertificateServer, page: Any, tmp_path: Path
) -> None:
    base = certificate_server.url
    sign_in_page(page, base, "hr-zhengming")
    link = page.get_by_test_id("hall-employer-certificate")
    href = link.get_attribute("href")
    assert href == f"/api/v1/employers/{certificate_server.employer_id}/certificate.pdf"
    pdf = page.request.get(base + href)  # the signed-in browser's cookies
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF-")
    with certificate_server.factory() as session:
        code = session.scalars(select(Certificate.code)).one()

    # Whoever scans the QR code: not signed in.
    page.context.clear_cookies()
    page.goto(f"{base}/certificates/verify/{code}")
    expect(page.locator("h1")).to_have_text("参保证明核验")
    expect(page.get_by_test_id("verify-valid")).to_contain_text("核验通过")
    facts = page.get_by_test_id("verify-facts")
    expect(facts).to_contain_text("社会保险单位参保证明")
    expect(facts).to_contain_text(EMPLOYER_NAME)
    expect(facts).to_contain_text("北京时间")
    expect(page.get_by_test_id("verify-hash")).to_contain_text("一致")
    expect(page.get_by_test_id("verify-staff")).to_contain_text("2 人")
    shot(page, tmp_path, "certificate-verify-valid.png")

    # The stored facts are edited behind the system's back: the page says so.
    with certificate_server.factory.begin() as session:
        row = session.scalars(select(Certificate)).one()
        row.summary = row.summary.replace('"people":2', '"people":9')
    page.reload()
    expect(page.get_by_test_id("verify-invalid")).to_contain_text("不一致")
    expect(page.get_by_test_id("verify-hash")).to_contain_text("不一致")

    # A visitor types the code with a typo in the form.
    page.fill("#code", code[:-1] + ("2" if code[-1] != "2" else "3"))
    page.click("form[role=search] button[type=submit]")
    expect(page).to_have_url(re.compile(r"/certificates/verify/[A-Z0-9]{18}$"))
    expect(page.get_by_test_id("verify-invalid")).to_contain_text("未找到")
