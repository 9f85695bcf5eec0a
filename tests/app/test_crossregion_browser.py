"""In headless Chromium on the Sichuan node: a counter clerk sends a 就地认 for a
Chongqing pensioner from the 跨省通办 page and sees it delivered; the administrator's
报文交换 page counts it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from minsheng.hrss.pension.models import PensionRecipient
from minsheng.platform.db import unit_of_work
from tests import factories as f
from tests.live import playwright_or_skip, run_app, shot, sign_in_page
from tests.platform.exchange.nodes import deliver, federation

pytestmark = pytest.mark.browser


def test_a_certification_sent_from_the_counter_page(database_url: str, tmp_path: Path,
                                                   page: Any) -> None:
    expect = playwright_or_skip().expect
    with federation(database_url, tmp_path, ("sc", "chengdu", "clerk", "510100"),
                    ("sc", "sc_ops", "admin", "")) as (cq, sc):
        with unit_of_work(cq.factory) as session:
            f.contribution_rule(session)
            pensioner = f.recipient(session, last_certified=date(2025, 8, 15))
            person_id, resident_id = pensioner.id, pensioner.resident_id
        with run_app(sc.client.app) as base:
            sign_in_page(page, base, "chengdu")
            page.click(".sidenav >> text=跨省通办")
            expect(page.locator("h1")).to_have_text("川渝通办")
            form = page.get_by_test_id("certification-form")
            form.locator("#c-resident_id").fill(resident_id)
            form.locator("button[type=submit]").click()
            expect(page.get_by_test_id("notice")).to_contain_text("已转送对方节点办理")
            state = page.get_by_test_id("submissions").get_by_test_id("state").first
            expect(state).to_have_text("待送达")
            assert deliver(sc, cq).delivered == 1
            page.reload()
            expect(state).to_have_text("对方已办理")
            shot(page, tmp_path, "crossregion.png")

            sign_in_page(page, base, "sc_ops")
            page.click(".sidenav >> text=报文交换")
            expect(page.get_by_test_id("outbox-delivered")).to_have_text("1")
            expect(page.get_by_test_id("outbox-failed")).to_have_text("0")
            shot(page, tmp_path, "exchange.png")
        with unit_of_work(cq.factory) as session:
            recipient = session.scalars(select(PensionRecipient).where(
                PensionRecipient.person_id == person_id)).one()
            assert recipient.last_certified_date == date.today()
