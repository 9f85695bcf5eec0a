"""The SM3 audit chain: appends, verification, tamper detection."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from minsheng.platform.config import get_settings
from minsheng.platform.db import make_session_factory, unit_of_work
from minsheng.platform.security import audit
from minsheng.platform.security.models import AuditEvent
from tests import factories as f
from tests.conftest import build_database, scratch_database


def _append(session: Session, n: int) -> list[AuditEvent]:
    """``n`` events, sealed (PostgreSQL seals after commit; here, explicitly)."""
    events = [
        audit.record(session, actor="tester", action="test.event", subject_type="thing",
                     subject_id=i, payload={"i": i, "名": "测试"})
        for i in range(n)
    ]
    audit.seal(session)
    session.expire_all()
    return events


class TestSm3:
    def test_standard_vector(self) -> None:
        # GB/T 32905-2016 Appendix A.1: SM3("abc")
        assert audit.sm3_hex(b"abc") == (
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        )
        assert hashes.SM3.digest_size == 32


class TestRecord:
    def test_links_each_event_to_the_previous(self, session: Session) -> None:
        events = _append(session, 3)
        assert [e.link for e in events] == list(range(events[0].link, events[0].link + 3))
        assert events[1].prev_hash == events[0].hash
        assert events[2].prev_hash == events[1].hash
        assert len({e.hash for e in events}) == 3


class TestVerifyChain:
    def test_intact_chain(self, session: Session) -> None:
        _append(session, 5)
        report = audit.verify_chain(session)
        assert report.intact, report
        assert report.events >= 5

    def test_altered_payload_is_named(self, session: Session) -> None:
        events = _append(session, 4)
        target = events[1].link
        session.execute(update(AuditEvent).where(AuditEvent.seq == events[1].seq)
                        .values(payload='{"i": 99}'))
        session.expire_all()
        report = audit.verify_chain(session)
        assert not report.intact
        assert report.broken_link == target

    def test_altered_actor_is_named(self, session: Session) -> None:
        events = _append(session, 3)
        session.execute(update(AuditEvent).where(AuditEvent.seq == events[0].seq)
                        .values(actor="intruder"))
        session.expire_all()
        assert audit.verify_chain(session).broken_link == events[0].link

    def test_deleted_middle_event_is_named(self, session: Session) -> None:
        events = _append(session, 4)
        session.execute(delete(AuditEvent).where(AuditEvent.seq == events[2].seq))
        session.expire_all()
        assert audit.verify_chain(session).broken_link == events[2].link

    def test_deleted_last_event_is_detected(self, session: Session) -> None:
        events = _append(session, 3)
        session.execute(delete(AuditEvent).where(AuditEvent.seq == events[-1].seq))
        session.expire_all()
        report = audit.verify_chain(session)
        assert report.broken_link == events[-1].link

    def test_rehashed_forgery_is_still_detected(self, session: Session) -> None:
        """Rewriting one event and recomputing its own hash breaks the next link."""
        events = _append(session, 3)
        forged = events[0]
        new_hash = audit.event_hash(forged.prev_hash or "", seq=forged.link or 0,
                                    occurred_at=forged.occurred_at, actor="forger",
                                    action=forged.action, subject_type=forged.subject_type,
                                    subject_id=forged.subject_id, payload=forged.payload)
        session.execute(update(AuditEvent).where(AuditEvent.seq == forged.seq)
                        .values(actor="forger", hash=new_hash))
        session.expire_all()
        assert audit.verify_chain(session).broken_link == events[1].link
        assert session.scalar(select(AuditEvent.actor).where(AuditEvent.seq == forged.seq)) == (
            "forger")


class TestSealing:
    def test_a_committed_event_waits_unsealed_until_a_sealer_chains_it(
            self, session: Session) -> None:
        """What a PostgreSQL transaction leaves for ``seal``: an event with no place yet."""
        _append(session, 2)
        waiting = AuditEvent(actor="tester", action="test.waiting", subject_type="thing",
                             subject_id="w", payload="{}")
        session.add(waiting)
        session.flush()
        report = audit.verify_chain(session)
        assert report.intact and report.unsealed == 1
        before = report.events
        assert audit.seal(session) == 1
        session.expire_all()
        assert waiting.link == before + 1 and waiting.hash
        after = audit.verify_chain(session)
        assert after.intact and after.unsealed == 0 and after.events == before + 1

    def test_sealing_twice_changes_nothing(self, session: Session) -> None:
        events = _append(session, 3)
        hashes = [e.hash for e in events]
        assert audit.seal(session) == 0
        session.expire_all()
        assert [e.hash for e in events] == hashes


def test_concurrent_requests_all_land_in_one_intact_chain(
        database_url: str, tmp_path: Path) -> None:
    """Twenty writers commit at once, each in its own unit of work; each seals after its
    commit. Every event ends up in the chain exactly once, in an unbroken chain."""
    url = scratch_database(database_url, "audit_race", tmp_path)
    engine = build_database(url)
    factory = make_session_factory(engine)
    barrier = threading.Barrier(20)

    def write(i: int) -> None:
        barrier.wait()
        for j in range(5):
            with unit_of_work(factory) as s:
                audit.record(s, actor="tester", action="test.race", subject_type="thing",
                             subject_id=f"{i}-{j}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        with factory() as s:
            report = audit.verify_chain(s)
            links = s.scalars(select(AuditEvent.link).where(AuditEvent.action == "test.race")
                              ).all()
        assert report.intact, report
        assert report.unsealed == 0
        assert len(links) == 100 and None not in links and len(set(links)) == 100
    finally:
        engine.dispose()


def test_a_sealer_finding_the_head_taken_does_not_queue(database_url: str,
                                                         tmp_path: Path) -> None:
    """After a request, sealing must not wait for another request's seal: with the head
    locked elsewhere, ``seal(wait=False)`` returns at once, and seals once it is free."""
    if not database_url.startswith("postgresql"):
        pytest.skip("row locks on the chain head exist on PostgreSQL only; SQLite seals "
                    "inside the writer's own transaction")
    url = scratch_database(database_url, "audit_skip", tmp_path)
    engine = build_database(url)
    factory = make_session_factory(engine)
    try:
        with factory() as holder, factory() as other:
            audit.seal(holder)
            other.add(AuditEvent(actor="tester", action="test.waiting", subject_type="thing",
                                 subject_id="w", payload="{}"))
            other.commit()
            assert audit.seal(other, wait=False) is None
            other.rollback()
            holder.commit()
            assert audit.seal(other, wait=False) == 1
            other.commit()
            assert audit.verify_chain(other).unsealed == 0
    finally:
        engine.dispose()


def test_a_woken_sealer_seals_what_every_commit_of_its_process_left(
        database_url: str, tmp_path: Path) -> None:
    """``minsheng serve``'s workers: commits only wake the sealer thread, which chains
    them all; once it stops, a commit seals itself again."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite seals inside the writer's own transaction; no sealer thread")
    url = scratch_database(database_url, "audit_woken", tmp_path)
    engine = build_database(url)
    factory = make_session_factory(engine)
    # An hour between sweeps: only the commits' wake-ups can get these sealed in time.
    sealer = audit.start_sealer(factory, 3600, woken=True)
    try:
        def write(i: int) -> None:
            for j in range(5):
                with unit_of_work(factory) as s:
                    audit.record(s, actor="tester", action="test.woken", subject_type="thing",
                                 subject_id=f"{i}-{j}")

        threads = [threading.Thread(target=write, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        report = audit.ChainReport(events=0, unsealed=-1)
        for _ in range(600):
            with factory() as s:
                report = audit.verify_chain(s)
            if report.unsealed == 0:
                break
            threading.Event().wait(0.1)
        assert report.intact and report.unsealed == 0 and report.events >= 50
    finally:
        sealer.stop()
    try:
        with unit_of_work(factory) as s:
            last = audit.record(s, actor="tester", action="test.after", subject_type="thing",
                                subject_id="x")
        with factory() as s:
            assert s.get(AuditEvent, last.seq).link is not None
    finally:
        engine.dispose()


def test_verifying_the_chain_is_the_auditors_to_do_when_due(session: Session) -> None:
    from minsheng.platform.security import admin

    auditor = f.staff(session, "auditor", "500000")
    clerk = f.staff(session, "clerk", "500103")
    today = date.today()
    assert admin.verification_due(None, today, 7) == today  # never verified: due now
    assert admin.verification_due(date(2026, 1, 1), today, 7) == date(2026, 1, 8)
    assert admin.waiting_work(session, clerk, today) == []
    admin.verify(session, auditor)
    assert admin.waiting_work(session, auditor, today) == []  # just verified
    days = get_settings().audit_verify_days
    [due] = admin.waiting_work(session, auditor, today + timedelta(days=days))
    assert due.overdue == 0 and due.due == today + timedelta(days=days)
    [late] = admin.waiting_work(session, auditor, today + timedelta(days=days + 1))
    assert late.overdue == 1 and late.due is None
