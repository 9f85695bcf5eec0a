"""The registrations and death-grants lists of the unemployment page sort by the column
clicked (``rsort``, ``gsort``): the order is checked against one computed here from the
rows made, an unknown order is the default (newest first, never an error), each list's
links keep the other lists' orders, and the registrations export holds the rows in the
order shown."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment.models import UnemploymentDeathGrant, UnemploymentRegistration
from tests import factories as f
from tests.exports import sheet_rows
from tests.factories.unemployment import claim, insured
from tests.live import sign_in

REGION = "500156"  # 武隆区
# (name, registered, died): the registration and death orders differ from the names'.
PEOPLE = [("甲一", date(2020, 3, 2), date(2021, 1, 9)),
          ("乙二", date(2020, 1, 6), date(2021, 3, 1)),
          ("丙三", date(2020, 2, 3), date(2021, 2, 5))]
BOGUS = ("id;drop table person", "-", "name desc", "x" * 500)


def _made(session: Session) -> tuple[dict[int, tuple[str, date]], dict[int, tuple[str, date]]]:
    """Three claims of the region; ``({registration id: (name, registered)},
    {grant id: (name, died)})``."""
    employer = f.employer(session, region=REGION)
    registrations, grants = {}, {}
    for n, (name, registered, died) in enumerate(PEOPLE):
        person = insured(session, employer=employer, region=REGION, name=name,
                         start=f"{2010 + n}-01")[0]
        made = claim(session, person, registered)
        grant = UnemploymentDeathGrant(
            person_id=person.id, claim_id=made.id, region=REGION, death_date=died,
            funeral_amount=Decimal("5000.00"), survivor_amount=Decimal("1000.00"),
            status="granted", actor="test")
        session.add(grant)
        session.flush()
        grants[grant.id] = (name, died)
        reg = session.scalars(select(UnemploymentRegistration).where(
            UnemploymentRegistration.person_id == person.id)).one()
        registrations[reg.id] = (name, registered)
    return registrations, grants


def _registrations(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="registration-row" data-registration="(\d+)"',
                                       page)]


def _grants(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="grant-row" data-grant="(\d+)"', page)]


def _hrefs(page: str, needle: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)
            if needle in html.unescape(h)]


class TestRegistrationsAndGrantsOrder:
    def test_registrations_by_date_ascending_and_exported_in_that_order(
        self, client: TestClient, session: Session
    ) -> None:
        registrations, _ = _made(session)
        sign_in(client, f.staff(session, "clerk", REGION))
        page = client.get("/unemployment", params={"rsort": "registered", "gsort": "name"}).text
        shown = _registrations(page)
        assert shown == sorted(registrations, key=lambda i: registrations[i][1])
        # The header offers the other direction and keeps the grants' order.
        header = _hrefs(page, "rsort=-registered")
        assert header and all("gsort=name" in h for h in header)
        # The grants' headers keep the registrations' order.
        assert all("rsort=registered" in h for h in _hrefs(page, "gsort=-name"))
        export = _hrefs(page, "/unemployment/registrations.xlsx")
        assert len(export) == 1 and "rsort=registered" in export[0]
        rows = sheet_rows(client.get(export[0]).content)
        assert [r[0] for r in rows[1:]] == [registrations[i][0] for i in shown]

    def test_grants_by_death_date_ascending(self, client: TestClient,
                                            session: Session) -> None:
        _, grants = _made(session)
        sign_in(client, f.staff(session, "clerk", REGION))
        page = client.get("/unemployment", params={"gsort": "death"}).text
        assert _grants(page) == sorted(grants, key=lambda i: grants[i][1])

    def test_an_unknown_order_is_the_newest_first(self, client: TestClient,
                                                  session: Session) -> None:
        registrations, grants = _made(session)
        sign_in(client, f.staff(session, "clerk", REGION))
        page = client.get("/unemployment").text
        assert _registrations(page) == sorted(registrations, key=lambda i: registrations[i][1],
                                              reverse=True)
        assert _grants(page) == sorted(grants, key=lambda i: grants[i][1], reverse=True)
        for bogus in BOGUS:
            response = client.get("/unemployment", params={"rsort": bogus, "gsort": bogus})
            assert response.status_code == 200
            assert _registrations(response.text) == _registrations(page)
            assert _grants(response.text) == _grants(page)
            export = client.get("/unemployment/registrations.xlsx", params={"rsort": bogus})
            assert export.status_code == 200
