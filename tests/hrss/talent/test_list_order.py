"""The staff certificate and title lists sort by the column a clerk clicks: the order is
checked against one computed here from the rows made, an unknown order is the default
(never an error), and the export link of the page holds the rows in the page's order."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.talent.schemas import IntroductionCreate, SkillCertificateCreate, TitleCreate
from minsheng.hrss.talent.service import introductions, records
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.exports import sheet_rows
from tests.live import sign_in

REGION = "500103"
BOGUS = ("id;drop table person", "-", "issued desc", "x" * 300)
# (certificate number, level, date): numbers, levels and dates each in another order.
CERTIFICATES = [("S500100000003", 2, date(2021, 5, 1)), ("S500100000001", 4, date(2023, 2, 1)),
                ("S500100000002", 1, date(2019, 9, 1))]
TITLES = [("JY2019000002", "senior", date(2018, 1, 1)),
          ("JY2019000003", "junior", date(2022, 3, 1)),
          ("JY2019000001", "intermediate", date(2020, 7, 1))]


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def _numbers(page: str) -> list[str]:
    """The certificate numbers of the list, in the order shown."""
    return re.findall(r'<tr><td class="mono">([A-Z0-9]+)</td>', page)


def _certificates(session: Session) -> None:
    for number, level, on in CERTIFICATES:
        records.record_certificate(session, SYSTEM, SkillCertificateCreate(
            person_id=f.person(session).id, occupation_code="6-18-01-01", level=level,
            certificate_no=number, issued_on=on))


def _titles(session: Session) -> None:
    for number, level, on in TITLES:
        records.record_title(session, SYSTEM, TitleCreate(
            person_id=f.person(session).id, series="education", level=level,
            certificate_no=number, granted_on=on))


def test_the_certificate_list_sorts_and_exports_in_that_order(
    client: TestClient, session: Session
) -> None:
    _certificates(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    by_number = sorted(n for n, _, _ in CERTIFICATES)
    page = client.get("/talent/certificates", params={"sort": "certificate_no"}).text
    assert _numbers(page) == by_number
    header = _link(page, "sort-certificate_no")
    assert "sort=-certificate_no" in header
    assert _numbers(client.get(header).text) == by_number[::-1]
    by_level = [n for n, _, _ in sorted(CERTIFICATES, key=lambda c: c[1])]
    assert _numbers(client.get("/talent/certificates", params={"sort": "level"}).text) \
        == by_level
    export = _link(page, "export-xlsx")
    assert "sort=certificate_no" in export
    rows = sheet_rows(client.get(export).content)
    assert [r[0] for r in rows[1:]] == by_number
    filtered = client.get("/talent/certificates", params={"year": 2021, "sort": "level"}).text
    assert "year=2021" in _link(filtered, "sort-issued")
    assert 'name="sort" value="level"' in filtered


def test_an_unknown_certificate_order_is_the_default(client: TestClient,
                                                     session: Session) -> None:
    _certificates(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    newest_first = [n for n, _, _ in sorted(CERTIFICATES, key=lambda c: c[2], reverse=True)]
    assert _numbers(client.get("/talent/certificates").text) == newest_first
    for bogus in BOGUS:
        response = client.get("/talent/certificates", params={"sort": bogus})
        assert response.status_code == 200
        assert _numbers(response.text) == newest_first
        export = client.get("/talent/certificates.xlsx", params={"sort": bogus})
        assert [r[0] for r in sheet_rows(export.content)[1:]] == newest_first


def test_the_title_list_sorts_and_exports_in_that_order(client: TestClient,
                                                        session: Session) -> None:
    _titles(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    oldest_first = [n for n, _, _ in sorted(TITLES, key=lambda t: t[2])]
    page = client.get("/talent/titles", params={"sort": "granted"}).text
    assert _numbers(page) == oldest_first
    export = _link(page, "export-xlsx")
    assert "sort=granted" in export
    assert [r[0] for r in sheet_rows(client.get(export).content)[1:]] == oldest_first
    by_number = sorted(n for n, _, _ in TITLES)
    assert _numbers(client.get("/talent/titles", params={"sort": "-certificate_no"}).text) \
        == by_number[::-1]
    for bogus in BOGUS:
        response = client.get("/talent/titles", params={"sort": bogus})
        assert response.status_code == 200
        assert _numbers(response.text) == oldest_first[::-1]


def test_the_introduction_list_sorts_and_exports_in_that_order(client: TestClient,
                                                               session: Session) -> None:
    made = {}
    for n, on in enumerate([date(2021, 4, 1), date(2019, 6, 1), date(2023, 1, 9)]):
        employer = f.employer(session, name=f"引进单位{2 - n}")
        made[f"引进单位{2 - n}"] = introductions.declare(session, SYSTEM, IntroductionCreate(
            person_id=f.person(session).id, employer_id=employer.id, category_code="D",
            introduced_on=on)).id
    sign_in(client, f.staff(session, "clerk", REGION))

    def shown(text: str) -> list[int]:
        return [int(i) for i in re.findall(r'data-introduction="(\d+)"', text)]

    by_employer = [made[name] for name in sorted(made)]
    page = client.get("/talent/introductions", params={"sort": "employer"}).text
    assert shown(page) == by_employer
    assert "sort=-employer" in _link(page, "sort-employer")
    export = _link(page, "export-xlsx")
    assert "sort=employer" in export
    assert [r[2] for r in sheet_rows(client.get(export).content)[1:]] == sorted(made)
    latest_first = [made["引进单位0"], made["引进单位2"], made["引进单位1"]]
    for bogus in BOGUS:
        response = client.get("/talent/introductions", params={"sort": bogus})
        assert response.status_code == 200
        assert shown(response.text) == latest_first
