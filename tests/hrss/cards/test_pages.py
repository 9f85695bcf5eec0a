"""Card pages over HTTP: the counter and the citizen's hall (the browser test drives the
same pages in Chromium)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.cards.models import SocialSecurityCard
from minsheng.hrss.registry.models import Person
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import Principal
from tests import factories as f
from tests.live import sign_in


def _clerk(session: Session) -> Principal:
    return f.staff(session, "clerk", "500103")


def _state(session: Session, card_no: str) -> str:
    return session.scalars(select(SocialSecurityCard.state)
                           .where(SocialSecurityCard.card_no == card_no)).one()


def _version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found is not None
    return found.group(1)


class TestCounter:
    def test_navigation_and_person_link(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        sign_in(client, _clerk(session))
        assert 'href="/cards"' in client.get("/").text
        detail = client.get(f"/persons/{person.id}").text
        assert f'href="/cards/person/{person.id}"' in detail

    def test_issue_then_activate_at_the_counter(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, name="王小明")
        sign_in(client, _clerk(session))
        page = client.get(f"/cards/person/{person.id}").text
        assert "即时制卡发放" in page
        response = client.post(f"/cards/person/{person.id}/apply")
        assert response.status_code == 200  # followed the redirect
        assert "社保卡已制发" in response.text
        card_no = session.scalars(select(SocialSecurityCard.card_no).where(
            SocialSecurityCard.person_id == person.id)).one()
        assert card_no in response.text and "已发卡（待启用）" in response.text
        activated = client.post(f"/cards/{card_no}/action", data={
            "action": "activate", "version": _version(response.text),
            "resident_id": person.resident_id, "name": "王小明"})
        assert "社保卡已启用" in activated.text
        assert _state(session, card_no) == "active"
        assert "办理记录" in activated.text and "启用" in activated.text

    def test_a_refused_activation_is_shown_and_audited(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="issued")
        person = session.get(Person, card.person_id)
        assert person is not None
        sign_in(client, _clerk(session))
        page = client.get(f"/cards/person/{person.id}").text
        response = client.post(f"/cards/{card.card_no}/action", data={
            "action": "activate", "version": _version(page),
            "resident_id": person.resident_id, "name": "冒名"})
        assert response.status_code == 403
        assert "身份信息与持卡人不符" in response.text
        assert 'value="冒名"' in response.text  # the form keeps what was typed
        assert _state(session, card.card_no) == "issued"
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "card.activate_refused",
            AuditEvent.subject_id == card.card_no)) == 1

    def test_an_illegal_action_names_the_state(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="active")
        sign_in(client, _clerk(session))
        response = client.post(f"/cards/{card.card_no}/action",
                               data={"action": "cancel_loss_report"})
        assert response.status_code == 409
        assert "正常使用" in response.text and "active" in response.text

    def test_replace_and_e_card(self, client: TestClient, session: Session) -> None:
        card = f.card(session, state="loss_reported")
        sign_in(client, _clerk(session))
        page = client.get(f"/cards/person/{card.person_id}").text
        replaced = client.post(f"/cards/{card.card_no}/action", data={
            "action": "replace", "version": _version(page), "reason": "loss"})
        assert "已补换" in replaced.text
        assert _state(session, card.card_no) == "replaced"
        assert "全部社保卡" in replaced.text
        active = f.card(session, state="active")
        qr = client.post(f"/cards/person/{active.person_id}/e-card")
        assert qr.status_code == 200
        assert "<svg" in qr.text and "电子社保卡二维码" in qr.text

    def test_search_by_card_number_and_name(self, client: TestClient, session: Session) -> None:
        card = f.card(session, name="赵钱孙")
        sign_in(client, _clerk(session))
        found = client.get("/cards", params={"q": card.card_no}, follow_redirects=False)
        assert found.status_code == 303
        assert found.headers["location"] == f"/cards/person/{card.person_id}?card={card.card_no}"
        by_name = client.get("/cards", params={"q": "赵钱孙"}).text
        assert card.card_no in by_name and "正常使用" in by_name

    def test_outside_the_district_is_404(self, client: TestClient, session: Session) -> None:
        card = f.card(session, residence_region="500106")
        sign_in(client, _clerk(session))
        assert client.get(f"/cards/person/{card.person_id}").status_code == 404
        assert client.post(f"/cards/{card.card_no}/action",
                           data={"action": "report_temporary"}).status_code == 404
        assert _state(session, card.card_no) == "active"


class TestMyCard:
    def test_report_a_temporary_loss_and_cancel_it(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="active")
        sign_in(client, f.staff(session, "citizen", "", person_id=card.person_id))
        hall = client.get("/").text
        assert 'href="/my/card"' in hall
        page = client.get("/my/card").text
        assert card.card_no in page and "正常使用" in page
        assert "replace-form" not in page  # at the counter only
        reported = client.post(f"/my/card/{card.card_no}/action", data={
            "action": "report_temporary", "version": _version(page)})
        assert "已办理临时挂失" in reported.text
        assert _state(session, card.card_no) == "loss_reported_temporary"
        cancelled = client.post(f"/my/card/{card.card_no}/action", data={
            "action": "cancel_loss_report", "version": _version(reported.text)})
        assert "已解挂" in cancelled.text
        assert _state(session, card.card_no) == "active"

    def test_a_stale_page_is_refused(self, client: TestClient, session: Session) -> None:
        card = f.card(session, state="active")
        sign_in(client, f.staff(session, "citizen", "", person_id=card.person_id))
        seen = _version(client.get("/my/card").text)
        client.post(f"/my/card/{card.card_no}/action",
                    data={"action": "report_temporary", "version": seen})
        again = client.post(f"/my/card/{card.card_no}/action",
                            data={"action": "report_formal", "version": seen})
        assert again.status_code == 409
        assert _state(session, card.card_no) == "loss_reported_temporary"

    def test_the_holder_cannot_replace_or_open_the_counter(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="loss_reported")
        sign_in(client, f.staff(session, "citizen", "", person_id=card.person_id))
        response = client.post(f"/my/card/{card.card_no}/action", data={"action": "replace"})
        assert response.status_code == 403
        assert client.get("/cards").status_code == 403
        assert _state(session, card.card_no) == "loss_reported"

    def test_apply_online_and_show_the_e_card(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        sign_in(client, f.staff(session, "citizen", "", person_id=person.id))
        assert "在线申领" in client.get("/my/card").text
        applied = client.post("/my/card/apply")
        assert "申领已提交" in applied.text and "已申领（待制卡）" in applied.text
        active = f.card(session, state="active")
        client.post("/logout")
        sign_in(client, f.staff(session, "citizen", "", person_id=active.person_id))
        qr = client.post("/my/card/e-card")
        assert qr.status_code == 200 and "<svg" in qr.text
