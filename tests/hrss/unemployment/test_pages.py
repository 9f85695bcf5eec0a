"""The staff work-lists of unemployment insurance: claims and registrations page with
their totals (never cut) and export every row to Excel, audited."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment.models import JobStabilisationRefund
from minsheng.platform import ids
from tests import factories as f
from tests.app.workbench import todos
from tests.exports import XLSX, last_export, sheet_rows
from tests.factories.unemployment import claim, insured
from tests.live import sign_in

REGION = "500154"  # 开州区: no other unemployment test uses it


class TestStaffLists:
    def test_claims_and_registrations_page_and_export(
        self, client: TestClient, session: Session
    ) -> None:
        employer = f.employer(session, region=REGION)
        people = [insured(session, employer=employer, region=REGION)[0] for _ in range(52)]
        made = [claim(session, p, date(2020, 1, 6)) for p in people]
        sign_in(client, f.staff(session, "clerk", REGION))
        first = client.get("/unemployment").text
        assert first.count('data-testid="claim-row"') == 50
        assert first.count("第 1 / 2 页，共 52 条") == 2  # claims and registrations
        second = client.get("/unemployment", params={"cpage": 2}).text
        claims = second[second.index('data-testid="claims"'):second.index('id="registrations"')]
        assert claims.count('data-testid="claim-row"') == 2
        assert "第 2 / 2 页，共 52 条" in claims
        assert second.count('data-testid="registration-row"') == 50  # its own page 1
        assert re.search(r"rpage=2", second)

        export = client.get("/unemployment/claims.xlsx")
        assert export.status_code == 200 and export.headers["content-type"] == XLSX
        rows = sheet_rows(export.content)
        assert rows[0][0] == "申领编号" and len(rows) == 52 + 1
        assert {r[0] for r in rows[1:]} == {c.claim_no for c in made}
        event = last_export(session, "unemployment.export")
        assert event is not None and event["rows"] == 52

        export = client.get("/unemployment/registrations.xlsx", params={"show": "all"})
        rows = sheet_rows(export.content)
        assert len(rows) == 52 + 1
        # The counter clerk handles identity: whole numbers (settings.full_id_roles).
        assert {r[1] for r in rows[1:]} == {p.resident_id for p in people}

    def test_export_masks_ids_for_a_reading_role(
        self, client: TestClient, session: Session
    ) -> None:
        person, _ = insured(session, region=REGION)
        claim(session, person, date(2020, 1, 6))
        sign_in(client, f.staff(session, "statistician", REGION))
        rows = sheet_rows(client.get("/unemployment/claims.xlsx").content)
        assert rows[1][2] == ids.mask_resident_id(person.resident_id)

    def test_export_needs_the_unemployment_permission(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "nr_officer", REGION))
        assert client.get("/unemployment/claims.xlsx").status_code == 403
        assert client.get("/unemployment/registrations.xlsx").status_code == 403


class TestWorkbench:
    def test_pending_claims_wait_for_who_decides_them_with_the_lists_total(
        self, client: TestClient, session: Session
    ) -> None:
        employer = f.employer(session, region=REGION)
        for n in range(3):
            person = insured(session, employer=employer, region=REGION)[0]
            claim(session, person, date(2020, 1, 6), approve=n == 0)  # two left pending
        other = insured(session, region="500103")[0]
        claim(session, other, date(2020, 1, 6), approve=False)  # not the clerk's district
        sign_in(client, f.staff(session, "clerk", REGION))
        todo = todos(client.get("/").text)["unemployment.claims"]
        listed = client.get(todo.href.split("#")[0]).text
        total = re.search(r'data-testid="claim-count">(\d+)<', listed)
        assert total is not None and todo.count == int(total.group(1)) == 2
        assert listed.count('data-testid="claim-row"') == 2 and todo.overdue == 0
        everything = client.get("/unemployment").text
        assert re.search(r'data-testid="claim-count">3<', everything)
        sign_in(client, f.staff(session, "statistician", REGION))  # reads, never decides
        assert "unemployment.claims" not in todos(client.get("/").text)


class TestRefundList:
    def test_refunds_to_review_wait_for_the_reviewer_with_the_years_count(
        self, client: TestClient, session: Session
    ) -> None:
        for n, (eligible, status) in enumerate([(True, "computed"), (True, "computed"),
                                                (False, "computed"), (True, "approved")]):
            employer = f.employer(session, region=REGION)
            session.add(JobStabilisationRefund(
                year=2023, employer_id=employer.id, region=REGION,
                paid_amount=Decimal("10000.00"), paid_months=12,
                average_headcount=Decimal("3.00"), employees_covered=3, new_claimants=0,
                layoff_rate=Decimal("0"), size="sme", share_ppm=900_000, eligible=eligible,
                refusal=None if eligible else "layoffs", amount=Decimal(1000 + n),
                status=status))
        session.flush()
        sign_in(client, f.staff(session, "reviewer", REGION))
        todo = todos(client.get("/").text)["unemployment.refunds.2023"]
        listed = client.get(todo.href.split("#")[0]).text
        assert 'data-testid="total-computed">2<' in listed and todo.count == 2
        # The list it opens holds those two only, and so does its export.
        assert listed.count('data-testid="refund-row"') == 2
        assert re.search(r"共 2 条", listed)
        export = re.search(r'href="([^"]+)" data-testid="export-xlsx"', listed)
        assert export is not None
        assert len(sheet_rows(client.get(html.unescape(export.group(1))).content)) == 1 + 2
        everything = client.get("/unemployment/refunds?year=2023").text
        assert everything.count('data-testid="refund-row"') == 4
        sign_in(client, f.staff(session, "clerk", REGION))  # computes, never reviews
        assert "unemployment.refunds.2023" not in todos(client.get("/").text)

    def test_refunds_page_with_their_total_and_export(
        self, client: TestClient, session: Session
    ) -> None:
        # The list, not the computation, is under test: rows as the batch writes them.
        for n in range(53):
            employer = f.employer(session, region=REGION)
            session.add(JobStabilisationRefund(
                year=2022, employer_id=employer.id, region=REGION,
                paid_amount=Decimal("10000.00"), paid_months=12,
                average_headcount=Decimal("3.00"), employees_covered=3, new_claimants=0,
                layoff_rate=Decimal("0"), size="sme", share_ppm=900_000, eligible=True,
                refusal=None, amount=Decimal(1000 + n)))
        session.flush()
        sign_in(client, f.staff(session, "clerk", REGION))
        first = client.get("/unemployment/refunds", params={"year": 2022}).text
        assert first.count('data-testid="refund-row"') == 50
        assert "第 1 / 2 页，共 53 条" in first
        second = client.get("/unemployment/refunds", params={"year": 2022, "page": 2}).text
        assert second.count('data-testid="refund-row"') == 3
        assert "1,000.00" in second  # the smallest last
        export = client.get("/unemployment/refunds/2022.xlsx")
        assert export.status_code == 200 and export.headers["content-type"] == XLSX
        rows = sheet_rows(export.content)
        assert len(rows) == 53 + 1
        assert [r[8] for r in rows[1:]] == [1000 + n for n in reversed(range(53))]
        event = last_export(session, "unemployment.export")
        assert event is not None and event["rows"] == 53

    def test_approve_all_asks_with_the_count_and_amount(
        self, client: TestClient, session: Session
    ) -> None:
        employer = f.employer(session, region=REGION)
        session.add(JobStabilisationRefund(
            year=2022, employer_id=employer.id, region=REGION, paid_amount=Decimal("1"),
            paid_months=12, average_headcount=Decimal("1"), employees_covered=1,
            new_claimants=0, layoff_rate=Decimal("0"), size="sme", share_ppm=900_000,
            eligible=True, refusal=None, amount=Decimal("1234.50")))
        session.flush()
        sign_in(client, f.staff(session, "reviewer", REGION))
        page = client.get("/unemployment/refunds", params={"year": 2022}).text
        assert re.search(r'data-confirm="[^"]*共 1 家单位、1,234.50 元', page)

    def test_refund_export_needs_the_permission(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "nr_analyst", REGION))
        assert client.get("/unemployment/refunds/2022.xlsx").status_code == 403
