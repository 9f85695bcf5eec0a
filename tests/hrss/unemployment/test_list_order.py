"""The staff claims list as a list: sorted by the column a clerk clicks, searched as it is
typed, the order and filters kept in every link, and the Excel export holding the same
rows as the filtered list, in the same order, under Chinese headers."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.registry.models import Person
from minsheng.hrss.unemployment.models import UnemploymentClaim
from tests import factories as f
from tests.exports import XLSX, last_export, sheet_rows
from tests.factories.unemployment import claim, insured
from tests.live import sign_in

REGION = "500154"  # 开州区
NAMES = ["赵一", "钱二", "孙三", "李四", "周五"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _claims(session: Session) -> dict[str, UnemploymentClaim]:
    """Five claims of the region, each started in another year (contribution months
    differ), the first two still pending."""
    employer = f.employer(session, region=REGION)
    made = {}
    for n, name in enumerate(NAMES):
        person = insured(session, employer=employer, region=REGION, name=name,
                         start=f"{2010 + n}-01")[0]
        made[name] = claim(session, person, date(2020, 1, 6), approve=n >= 2)
    return made


def _listed(page: str) -> list[int]:
    """The claim ids of the list, in the order shown."""
    return [int(i) for i in re.findall(r'data-testid="claim-row" data-claim="(\d+)"', page)]


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


class TestClaimsList:
    def test_each_column_sorts_both_ways_and_the_order_stays_in_the_links(
        self, client: TestClient, session: Session
    ) -> None:
        made = _claims(session)
        sign_in(client, f.staff(session, "clerk", REGION))
        by_months = sorted(made.values(), key=lambda c: (c.contribution_months, -c.id))
        page = client.get("/unemployment", params={"csort": "months"}).text
        assert _listed(page) == [c.id for c in by_months]
        # The header now offers the other direction, and it is what a click gives.
        href = _link(page, "sort-months")
        assert "csort=-months" in href
        assert len({c.contribution_months for c in by_months}) == len(NAMES)
        assert _listed(client.get(href).text) == [c.id for c in reversed(by_months)]
        # The export link and the pager's carry the order.
        assert "csort=months" in _link(page, "export-xlsx")
        # By name (the database's collation decides between Chinese names): one
        # direction is the other reversed, and every claim is there.
        ascending = _listed(client.get("/unemployment", params={"csort": "name"}).text)
        descending = _listed(client.get("/unemployment", params={"csort": "-name"}).text)
        assert ascending == descending[::-1]
        assert sorted(ascending) == sorted(c.id for c in made.values())

    def test_an_unknown_order_is_the_default_never_an_error(
        self, client: TestClient, session: Session
    ) -> None:
        made = _claims(session)
        sign_in(client, f.staff(session, "clerk", REGION))
        default = _listed(client.get("/unemployment").text)
        pending_first = sorted(made.values(), key=lambda c: (c.status != "pending", -c.id))
        assert default == [c.id for c in pending_first]
        for bogus in ("id;drop table person", "-", "claim_no desc", "x" * 500):
            response = client.get("/unemployment", params={"csort": bogus})
            assert response.status_code == 200
            assert _listed(response.text) == default
            export = client.get("/unemployment/claims.xlsx", params={"csort": bogus})
            assert export.status_code == 200

    def test_search_and_filter_stay_in_the_url_and_the_export_holds_the_same_rows(
        self, client: TestClient, session: Session
    ) -> None:
        made = _claims(session)
        sign_in(client, f.staff(session, "clerk", REGION))
        params = {"claims": "pending", "cq": "钱", "csort": "-claim_no"}
        page = client.get("/unemployment", params=params).text
        assert _listed(page) == [made["钱二"].id]  # pending and named 钱…
        # The search box keeps the filter and the order; so do the sort headers.
        assert 'name="claims" value="pending"' in page and 'name="csort" value="-claim_no"' in page
        assert 'value="钱"' in page
        header = _link(page, "sort-amount")
        assert "cq=%E9%92%B1" in header and "claims=pending" in header

        export_url = _link(page, "export-xlsx")
        export = client.get(export_url)
        assert export.status_code == 200 and export.headers["content-type"] == XLSX
        rows = sheet_rows(export.content)
        assert all(CJK.search(str(h)) for h in rows[0]), rows[0]
        assert [r[0] for r in rows[1:]] == [made["钱二"].claim_no]
        event = last_export(session, "unemployment.export")
        assert event is not None and event["rows"] == 1
        assert event["filter"]["q"] == "钱" and event["filter"]["status"] == "pending"

        # Every claim, in the order the list shows them, is what the export holds.
        params = {"csort": "-claim_no"}
        shown = _listed(client.get("/unemployment", params=params).text)
        numbers = {c.id: c.claim_no for c in made.values()}
        exported = sheet_rows(client.get("/unemployment/claims.xlsx", params=params).content)
        assert [r[0] for r in exported[1:]] == [numbers[i] for i in shown]
        assert [numbers[i] for i in shown] == sorted(numbers.values(), reverse=True)

    def test_search_as_you_type_answers_the_list_alone(
        self, client: TestClient, session: Session
    ) -> None:
        made = _claims(session)
        sign_in(client, f.staff(session, "clerk", REGION))
        page = client.get("/unemployment").text
        assert 'hx-trigger="submit, input changed delay:300ms from:#claims-q' in page
        fragment = client.get("/unemployment", params={"cq": "孙"},
                              headers={"HX-Request": "true", "HX-Target": "claims-list"})
        assert fragment.status_code == 200
        assert "<html" not in fragment.text and 'id="registrations"' not in fragment.text
        assert _listed(fragment.text) == [made["孙三"].id]
        # A whole resident ID finds its claim; half of one finds nothing.
        holder = session.get(Person, made["李四"].person_id)
        assert holder is not None
        rid = holder.resident_id
        assert _listed(client.get("/unemployment", params={"cq": rid}).text) == [made["李四"].id]
        assert _listed(client.get("/unemployment", params={"cq": rid[:10]}).text) == []


class TestRefundList:
    def test_sorted_by_contributions_paid_and_exported_in_that_order(
        self, client: TestClient, session: Session
    ) -> None:
        from decimal import Decimal

        from minsheng.hrss.unemployment.models import JobStabilisationRefund

        # The list, not the computation, is under test: rows as the batch writes them.
        paid = [Decimal("30000.00"), Decimal("10000.00"), Decimal("20000.00")]
        for n, amount in enumerate(paid):
            employer = f.employer(session, region=REGION, name=f"返还单位{n}")
            session.add(JobStabilisationRefund(
                year=2022, employer_id=employer.id, region=REGION, paid_amount=amount,
                paid_months=12, average_headcount=Decimal("3.00"), employees_covered=3,
                new_claimants=0, layoff_rate=Decimal("0"), size="sme", share_ppm=900_000,
                eligible=True, refusal=None, amount=Decimal(3000 - 100 * n)))
        session.flush()
        sign_in(client, f.staff(session, "clerk", REGION))

        def names(text: str) -> list[str]:
            return re.findall(r'data-label="单位">(返还单位\d)<br>', text)

        default = names(client.get("/unemployment/refunds", params={"year": 2022}).text)
        assert default == ["返还单位0", "返还单位1", "返还单位2"]  # the largest refund first
        page = client.get("/unemployment/refunds", params={"year": 2022, "sort": "paid"}).text
        assert names(page) == ["返还单位1", "返还单位2", "返还单位0"]
        export = _link(page, "export-xlsx")
        assert "sort=paid" in export
        rows = sheet_rows(client.get(export).content)
        assert rows[0][0] == "单位" and [r[0] for r in rows[1:]] == names(page)
        header = _link(page, "sort-paid")
        assert "year=2022" in header and "sort=-paid" in header
