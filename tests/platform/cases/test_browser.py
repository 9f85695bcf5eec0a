"""A citizen follows a case from filing to decision by its number, in headless Chromium:
the claim is filed, a document attached, the public query shows 已受理, the clerk sees the
document next to the decision and approves, and the citizen downloads the written notice,
which reads in Chinese (pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas

from minsheng.hrss.unemployment import service as unemployment
from minsheng.platform.months import add_months, label, month_of
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import e2e_database, playwright_or_skip, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser
sync_api = playwright_or_skip()
expect = sync_api.expect


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """渝中区: clerk ``wangfang``; citizen ``citizen-lin`` (林晓), insured from 2015 until
    two months ago and registered as unemployed, about to claim."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "cases")
    with factory.begin() as session:
        f.staff(session, "clerk", "500103", username="wangfang", display_name="王芳")
        f.contribution_rule(session, valid_from="2015-01")
        firm = f.employer(session, name="重庆山城稳岗有限公司")
        lin = f.person(session, name="林晓")
        f.enrolment(session, lin.id, "unemployment", employer_id=firm.id, start_month="2015-01",
                    end_month=label(add_months(month_of(date.today()), -2)))
        security.add_user(session, actor=SYSTEM, username="citizen-lin", role="citizen",
                          password=f.PASSWORD, person_id=lin.id, display_name="林晓")
        unemployment.register_unemployed(session, SYSTEM, lin.id, registered_date=date.today(),
                                         separation_reason="dismissed")
        resident_id = lin.resident_id
    with serve_on(url, engine, factory) as base:
        yield base, resident_id


def _scan(folder: Path) -> Path:
    target = folder / "解除劳动合同证明.pdf"
    drawing = canvas.Canvas(str(target))
    drawing.drawString(72, 720, "termination certificate")
    drawing.showPage()
    drawing.save()
    return target


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_a_citizen_follows_a_claim_to_its_decision(site: tuple[str, str], page: Any,
                                                    tmp_path: Path) -> None:
    base, resident_id = site
    sign_in_page(page, base, "citizen-lin")
    page.goto(base + "/my/unemployment")
    page.fill("#f-bank_account", "6222000011112222")
    page.click("[data-testid=submit-claim]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("我的办件")
    number = page.locator("[data-testid=case-link]").inner_text().strip()
    assert number.startswith("CQBJ") and len(number) == 20

    page.goto(base + "/")
    expect(page.locator("[data-testid=hall-cases]")).to_contain_text(number)
    page.click(f"[data-testid=hall-cases] >> text={number}")
    expect(page.locator("[data-testid=case-stage]")).to_have_text("已受理")
    page.set_input_files("#f-file", str(_scan(tmp_path)))
    page.click("[data-testid=attach-form] button[type=submit]")
    expect(page.locator("[data-testid=notice-banner]")).to_contain_text("材料已上传")
    expect(page.locator("[data-testid=document-link]")).to_have_text("解除劳动合同证明.pdf")
    shot(page, tmp_path, "case-1-filed.png")

    page.context.clear_cookies()
    page.goto(base + "/progress")
    page.fill("#f-number", number.lower())
    page.fill("#f-code", resident_id)
    page.click("[data-testid=progress-form] button[type=submit]")
    expect(page.locator("[data-testid=case-stage]")).to_have_text("已受理")
    expect(page.locator("[data-testid=case]")).to_contain_text("林*")

    sign_in_page(page, base, "wangfang")
    page.goto(base + "/unemployment")
    row = page.locator("[data-testid=claim-row]", has_text="林晓")
    expect(row.locator("[data-testid=claim-documents]")).to_have_text("申请材料 1 份")
    row.locator("[data-testid=approve]").click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("已核准")

    sign_in_page(page, base, "citizen-lin")
    page.goto(base + "/my/cases")
    page.click("[data-testid=my-cases] >> text=查看进度")
    expect(page.locator("[data-testid=case-stage]")).to_have_text("已办结（核准）")
    expect(page.locator(".case-step.is-done")).to_have_count(4)
    trail = page.locator("[data-testid=case-trail]")
    expect(trail).to_contain_text("王芳")  # the clerk by display name, not login name
    shot(page, tmp_path, "case-2-decided.png")
    notice = page.request.get(base + f"/cases/{number}/notice.pdf")
    assert notice.ok and notice.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(notice.body())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for expected in ("失业保险金核准通知书", number, "林晓", "渝中区人力资源和社会保障局"):
        assert expected in text, expected
