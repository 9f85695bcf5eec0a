"""Print views (打印) in headless Chromium: a paged work-list (the pension certifications
due) and the workbench's to-do list offer 打印, and printed to an A4 PDF (``page.pdf()``,
the print stylesheet) they read in Chinese (pdftotext) under the office's name and the
print date, without the navigation, the buttons or the sign-out."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.schemas import PersonUpdate
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import e2e_database, playwright_or_skip, serve_on, sign_in_page

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("pdftotext") is None,
                                 reason="pdftotext (poppler-utils) is not installed: the "
                                        "printed PDF's text cannot be read back")]
sync_api = playwright_or_skip()
expect = sync_api.expect

#: Side-navigation entries of a 渝中区 clerk that the printed pages do not name otherwise.
NAV_ONLY = ("单位登记", "批量导入", "参保缴费", "社会保障卡", "失业保险", "跨省通办", "退出登录")


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """渝中区: clerk ``wangfang`` (王芳) and a pensioner 赵秀兰 whose yearly
    certification is overdue (last certified 13 months ago)."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "print")
    with factory.begin() as session:
        f.staff(session, "clerk", "500103", username="wangfang", display_name="王芳")
        f.contribution_rule(session)
        person = f.recipient(session, last_certified=date.today() - timedelta(days=400))
        registry.update_person(session, SYSTEM, person.id,
                               PersonUpdate(version=person.version, name="赵秀兰"))
    with serve_on(url, engine, factory) as base:
        yield base


def _printed(page: Any, folder: Path, name: str) -> str:
    target = folder / name
    page.pdf(path=str(target), format="A4", print_background=False)
    assert target.read_bytes().startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-layout", str(target), "-"], check=True,
                          capture_output=True, text=True).stdout


def _is_a_document(text: str) -> None:
    assert "渝中区人力资源和社会保障局" in text and "打印日期：" in text, text
    for label in NAV_ONLY:
        assert label not in text, f"the navigation's {label!r} was printed:\n{text}"
    assert "打印" not in text.replace("打印日期", ""), text


def test_a_work_list_and_the_workbench_print_as_a4_documents(site: str, page: Any,
                                                            tmp_path: Path) -> None:
    sign_in_page(page, site, "wangfang")
    page.goto(site + "/pension")
    expect(page.locator("[data-testid=due-list-table]")).to_contain_text("赵秀兰")
    expect(page.locator("[data-testid=print-header]")).to_be_hidden()
    expect(page.locator("#due-list [data-testid=print]")).to_be_visible()
    expect(page.locator(".sidenav")).to_contain_text("社会保障卡")

    text = _printed(page, tmp_path, "due-list.pdf")
    _is_a_document(text)
    assert "赵秀兰" in text and "认证截止" in text

    page.goto(site + "/")
    expect(page.locator("[data-testid=todo] [data-testid=print]")).to_be_visible()
    text = _printed(page, tmp_path, "workbench.pdf")
    _is_a_document(text)
    assert "待办事项" in text and "去办理" not in text
