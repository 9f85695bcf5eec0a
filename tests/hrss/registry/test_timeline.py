"""A person's history (变更记录) from the audit chain: newest first and paged, the actor by
display name and office, masked by the viewer's role, scoped to the viewer's region, the
read itself audited, and read through the subject index (no scan of the chain)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from minsheng.hrss.cards import service as cards
from minsheng.hrss.personnelfile.schemas import CustodyOpen
from minsheng.hrss.personnelfile.service import custody
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry import timeline
from minsheng.hrss.registry.models import Person
from minsheng.hrss.registry.schemas import PersonUpdate
from minsheng.hrss.talentcard.service import cards as talent_cards
from minsheng.platform.errors import NotFound
from minsheng.platform.security import audit
from minsheng.platform.security import history as audit_history
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f
from tests.hrss.personnelfile import _build as files

REGION = "500103"  # 渝中区


def _labels(found: timeline.PersonHistory) -> list[str]:
    return [e.label for e in found.listing.rows]


def _registered(session: Session) -> tuple[Principal, Person]:
    clerk = f.staff(session, "clerk", REGION, display_name="王芳")
    person = f.person(session, clerk, name="陈思远", phone="13912345678")
    return clerk, person


class TestPersonHistory:
    def test_every_change_newest_first_with_actor_name_and_office(self, session: Session
                                                                  ) -> None:
        clerk, person = _registered(session)
        registry.update_person(session, clerk, person.id,
                               PersonUpdate(version=person.version, phone="13987654321"))
        card = cards.apply_for_card(session, clerk, person.id)
        other = f.person(session, clerk, name="旁人")  # someone else's events stay out
        registry.update_person(session, clerk, other.id,
                               PersonUpdate(version=other.version, phone="13700000000"))

        found = timeline.person_history(session, clerk, person.id)

        # the card applied for and issued at once, a case done at once (即办件)
        assert _labels(found) == ["办件进度变更", "办件进度变更", "社会保障卡发卡",
                                  "收件（生成办件编号）", "申领社会保障卡", "修改人员信息",
                                  "人员登记"]
        seqs = [e.seq for e in found.listing.rows]
        assert seqs == sorted(seqs, reverse=True)
        assert found.listing.total == 7
        assert ("新状态", "已发卡（待启用）") in [(d.label, d.value)
                                            for d in found.listing.rows[2].details]
        first = found.listing.rows[0]
        assert first.actor_name == "王芳" and clerk.username not in first.actor_name
        assert first.office == "渝中区人力资源和社会保障局"
        assert card.card_no  # the card's own events are the person's
        change = found.listing.rows[5]
        assert [(d.label, d.value) for d in change.details] == [
            ("联系电话", "13912345678 → 13987654321")]

    def test_records_of_other_domains_are_the_persons(self, session: Session) -> None:
        clerk, person = _registered(session)
        f.contribution_rule(session)
        f.enrolment(session, person.id, "resident_pension", start_month="2021-01")
        f.enrolment(session, f.person(session, clerk).id, "resident_pension")
        found = timeline.person_history(session, clerk, person.id)
        assert _labels(found) == ["参保登记", "人员登记"]
        assert ("险种", "城乡居民基本养老保险") in [(d.label, d.value)
                                             for d in found.listing.rows[0].details]

    def test_talent_cards_and_personnel_files_are_the_persons(self, session: Session) -> None:
        clerk, person = _registered(session)
        talent_cards.issue_direct(session, SYSTEM, person.id, "A", note="测试",
                                  on=date(2026, 9, 1))
        holder = files.custodian(session, "CQ-YZ", REGION)
        custody.take_into_custody(session, SYSTEM, person.id, CustodyOpen(
            custodian=holder.code, since=date(2020, 1, 6)))
        other = f.person(session, clerk)
        talent_cards.issue_direct(session, SYSTEM, other.id, "A", note="测试",
                                  on=date(2026, 9, 1))
        assert _labels(timeline.person_history(session, clerk, person.id)) == [
            "人事档案建立存档", "直接发放英才服务卡", "人员登记"]

    def test_paged(self, session: Session) -> None:
        clerk, person = _registered(session)
        for phone in ("13900000001", "13900000002", "13900000003"):
            current = session.get(Person, person.id)
            assert current is not None
            registry.update_person(session, clerk, person.id,
                                   PersonUpdate(version=current.version, phone=phone))
        first = timeline.person_history(session, clerk, person.id, size=3)
        second = timeline.person_history(session, clerk, person.id, page=2, size=3)
        assert (first.listing.total, first.listing.pages) == (4, 2)
        assert [e.label for e in second.listing.rows] == ["人员登记"]
        assert first.listing.rows[-1].seq > second.listing.rows[0].seq

    def test_resident_ids_and_phones_masked_for_roles_that_do_not_need_them(
            self, session: Session) -> None:
        clerk, person = _registered(session)
        registry.update_person(session, clerk, person.id,
                               PersonUpdate(version=person.version, phone="13987654321"))
        # a domain writing a full number into its event: the page still masks it
        audit.record(session, actor=clerk.username, action="person.update",
                     subject_type="person", subject_id=person.id,
                     payload={"resident_id": person.resident_id})
        statistician = f.staff(session, "statistician", REGION)

        for_clerk = timeline.person_history(session, clerk, person.id).listing.rows
        for_statistician = timeline.person_history(session, statistician,
                                                   person.id).listing.rows

        assert for_clerk[0].details[0].value == person.resident_id
        masked = for_statistician[0].details[0].value
        assert masked == person.resident_id[:4] + "*" * 10 + person.resident_id[-4:]
        assert for_statistician[1].details[0].value == "139****5678 → 139****4321"
        everything = str([e.details for e in for_statistician])
        assert person.resident_id not in everything and "13987654321" not in everything

    def test_staff_of_another_district_find_no_such_person(self, session: Session) -> None:
        _, person = _registered(session)
        elsewhere = f.staff(session, "clerk", "500104")
        with pytest.raises(NotFound):
            timeline.person_history(session, elsewhere, person.id)
        city = f.staff(session, "statistician", "500000")
        assert timeline.person_history(session, city, person.id).listing.total == 1

    def test_the_read_is_audited_and_reads_are_listed_only_on_request(self, session: Session
                                                                      ) -> None:
        clerk, person = _registered(session)
        registry.read_person(session, clerk, person.id)
        timeline.person_history(session, clerk, person.id)
        reads = session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_type == "person", AuditEvent.subject_id == str(person.id),
            AuditEvent.actor == clerk.username).order_by(AuditEvent.seq)).all()
        assert reads == ["person.register", "person.read", "person.read_history"]

        assert _labels(timeline.person_history(session, clerk, person.id)) == ["人员登记"]
        with_reads = timeline.person_history(session, clerk, person.id, include_reads=True)
        assert _labels(with_reads)[:2] == ["查阅变更记录", "查阅变更记录"]
        assert "查阅人员信息" in _labels(with_reads)

    def test_the_citizen_reads_their_own_history_only(self, session: Session) -> None:
        _, person = _registered(session)
        other = f.person(session, name="旁人")
        me = f.staff(session, "citizen", "", person_id=person.id)
        assert _labels(timeline.person_history(session, me, person.id)) == ["人员登记"]
        with pytest.raises(NotFound):
            timeline.person_history(session, me, other.id)


class TestHistoryQuery:
    def test_unknown_actions_and_english_values_never_reach_the_page(self, session: Session
                                                                     ) -> None:
        _, person = _registered(session)
        audit.record(session, actor="nobody-known", action="someday.something",
                     subject_type="person", subject_id=person.id,
                     payload={"reason": "plain english words", "month": "2026-01",
                              "secret_key": "x"})
        entry = audit_history.history(
            session, audit_history.subjects_of_person(session, person.id)).rows[0]
        assert (entry.label, entry.actor_name) == ("办理业务", "工作人员")
        assert [(d.label, d.value) for d in entry.details] == [("月份", "2026-01")]

    def test_reads_the_subject_index_not_the_chain(self, session: Session) -> None:
        _, person = _registered(session)
        query = audit_history.history_query(
            audit_history.subjects_of_person(session, person.id))
        compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        if session.get_bind().dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in session.execute(
                text(f"EXPLAIN QUERY PLAN {compiled}")))
            assert "ix_audit_event_subject" in plan, plan
            assert "SCAN audit_event" not in plan, plan
        else:
            session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(row[0] for row in session.execute(text(f"EXPLAIN {compiled}")))
            session.execute(text("SET LOCAL enable_seqscan = on"))
            assert "ix_audit_event_subject" in plan, plan
