"""The insurance lists as lists: employers in arrears sorted by the column a clerk
clicks, the order kept in the export; an employer's roster paged with page numbers and
a jump that keep the bill's month."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service
from minsheng.hrss.insurance.service import assessment
from minsheng.platform import bulk
from tests import factories as f
from tests.exports import last_export, sheet_rows
from tests.live import sign_in

REGION = "500154"  # 开州区


def _assess(session: Session, month: int) -> None:
    assessment._stage_rules(session, month, REGION)
    service.assess_batch(session, period=month, prefix=REGION, low=0, high=2**31 - 1,
                         run_id=None)
    bulk.drop_temp_table(session, "assess_rule")


def _arrears_ids(page: str) -> list[int]:
    table = page[page.index('data-testid="arrears-employers"'):]
    return [int(i) for i in re.findall(r'href="/employers/(\d+)/insurance#arrears"', table)]


class TestArrearsOrder:
    def test_sorted_by_each_column_and_exported_in_that_order(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        wages = {"丙厂": 9000, "甲厂": 5000, "乙厂": 12000}
        employers = {}
        for name, wage in wages.items():
            employer = f.employer(session, name=name, region=REGION)
            # 甲厂 owes for two people: more people, not more money per head.
            for _ in range(2 if name == "甲厂" else 1):
                person = f.person(session, residence_region=REGION)
                f.enrolment(session, person.id, "employee_pension", employer_id=employer.id,
                            declared_wage=Decimal(wage))
            employers[name] = employer.id
        _assess(session, 202312)
        sign_in(client, f.staff(session, "clerk", REGION))

        default = _arrears_ids(client.get("/insurance").text)
        by_amount = _arrears_ids(client.get("/insurance", params={"asort": "amount"}).text)
        assert default == by_amount[::-1] and len(default) == 3
        assert default[0] == employers["乙厂"]  # the largest debt first

        page = client.get("/insurance", params={"asort": "-name", "q": "无人"}).text
        by_name = _arrears_ids(page)
        assert sorted(by_name) == sorted(employers.values())
        ascending = _arrears_ids(client.get("/insurance", params={"asort": "name"}).text)
        assert by_name == ascending[::-1]
        # The headers keep the person search; the export link keeps the order.
        name_header = re.search(r'href="([^"]+)"[^>]*data-testid="sort-name"', page)
        assert name_header and "q=%E6%97%A0%E4%BA%BA" in html.unescape(name_header.group(1))
        assert "asort=name" in html.unescape(name_header.group(1))
        export = re.search(r'href="([^"]+)"[^>]*data-testid="export-xlsx"', page)
        assert export is not None
        rows = sheet_rows(client.get(html.unescape(export.group(1))).content)
        assert rows[0] == ("单位编号", "单位名称", "所在地", "欠费月数", "欠费金额（元）")
        assert [r[0] for r in rows[1:]] == by_name

        for bogus in ("amount;delete", "-", "ID"):
            assert _arrears_ids(client.get("/insurance", params={"asort": bogus}).text) == default


class TestRoster:
    def test_pages_numbered_with_a_jump_keeping_the_month(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        employer = f.employer(session, region=REGION)
        for _ in range(51):
            person = f.person(session, residence_region=REGION)
            f.enrolment(session, person.id, "employee_pension", employer_id=employer.id,
                        declared_wage=Decimal(6000))
        _assess(session, 202312)
        sign_in(client, f.staff(session, "clerk", REGION))
        page = html.unescape(client.get(f"/employers/{employer.id}/insurance").text)
        assert "第 1 / 2 页，共 51 条" in page
        assert f'href="/employers/{employer.id}/insurance?month=2023-12&page=2#employees"' in page
        assert "跳转到第" in page and '<input type="hidden" name="month" value="2023-12">' in page
        second = client.get(f"/employers/{employer.id}/insurance",
                            params={"month": "2023-12", "page": 2}).text
        roster = second[second.index('data-testid="employees"'):]
        assert roster.count("减员</summary>") == 1


class TestContributionsExport:
    def test_the_persons_contributions_export_holds_the_tables_rows(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        employer = f.employer(session, region=REGION, name="开州缴费厂")
        person = f.person(session, residence_region=REGION, name="缴费人")
        f.enrolment(session, person.id, "employee_pension", employer_id=employer.id,
                    declared_wage=Decimal("6000.00"))
        f.enrolment(session, person.id, "unemployment", employer_id=employer.id,
                    declared_wage=Decimal("6000.00"))
        for month in (202311, 202312, 202401):
            _assess(session, month)
        sign_in(client, f.staff(session, "clerk", REGION))
        page = client.get(f"/persons/{person.id}/insurance").text
        table = page[page.index('data-testid="contributions-table"'):]
        table = table[:table.index("</tbody>")]
        shown = re.findall(r'data-label="所属月份">([^<]+)</td>\s*<td data-label="险种">([^<]+)<',
                           table)
        assert len(shown) == 2  # the latest year, 2024: two schemes
        link = re.search(r'href="([^"]+)"[^>]*data-testid="contributions-export"', page)
        assert link is not None and "year=2024" in link.group(1)
        rows = sheet_rows(client.get(html.unescape(link.group(1))).content)
        assert all(re.search(r"[\u4e00-\u9fff]", str(h)) for h in rows[0])
        assert [(r[0], r[1]) for r in rows[1:]] == shown
        assert {r[2] for r in rows[1:]} == {"开州缴费厂"}
        every = sheet_rows(client.get(f"/persons/{person.id}/insurance/contributions.xlsx",
                                      params={"year": "all"}).content)
        assert len(every) == 1 + 6
        event = last_export(session, "insurance.export")
        assert event is not None and event["rows"] == 6 and event["filter"]["year"] == "all"

        sign_in(client, f.staff(session, "clerk", "500103"))  # another district
        other = client.get(f"/persons/{person.id}/insurance/contributions.xlsx")
        assert other.status_code in (403, 404)
