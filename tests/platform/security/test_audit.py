"""The SM3 audit chain: appends, verification, tamper detection."""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from minsheng.platform.security import audit
from minsheng.platform.security.models import AuditEvent


def _append(session: Session, n: int) -> list[AuditEvent]:
    return [
        audit.record(session, actor="tester", action="test.event", subject_type="thing",
                     subject_id=i, payload={"i": i, "名": "测试"})
        for i in range(n)
    ]


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
        assert [e.seq for e in events] == list(range(events[0].seq, events[0].seq + 3))
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
        target = events[1].seq
        session.execute(update(AuditEvent).where(AuditEvent.seq == target)
                        .values(payload='{"i": 99}'))
        session.expire_all()
        report = audit.verify_chain(session)
        assert not report.intact
        assert report.broken_seq == target

    def test_altered_actor_is_named(self, session: Session) -> None:
        events = _append(session, 3)
        session.execute(update(AuditEvent).where(AuditEvent.seq == events[0].seq)
                        .values(actor="intruder"))
        session.expire_all()
        assert audit.verify_chain(session).broken_seq == events[0].seq

    def test_deleted_middle_event_is_named(self, session: Session) -> None:
        events = _append(session, 4)
        session.execute(delete(AuditEvent).where(AuditEvent.seq == events[2].seq))
        session.expire_all()
        assert audit.verify_chain(session).broken_seq == events[2].seq

    def test_deleted_last_event_is_detected(self, session: Session) -> None:
        events = _append(session, 3)
        session.execute(delete(AuditEvent).where(AuditEvent.seq == events[-1].seq))
        session.expire_all()
        report = audit.verify_chain(session)
        assert report.broken_seq == events[-1].seq

    def test_rehashed_forgery_is_still_detected(self, session: Session) -> None:
        """Rewriting one event and recomputing its own hash breaks the next link."""
        events = _append(session, 3)
        forged = events[0]
        new_hash = audit.event_hash(forged.prev_hash, seq=forged.seq,
                                    occurred_at=forged.occurred_at, actor="forger",
                                    action=forged.action, subject_type=forged.subject_type,
                                    subject_id=forged.subject_id, payload=forged.payload)
        session.execute(update(AuditEvent).where(AuditEvent.seq == forged.seq)
                        .values(actor="forger", hash=new_hash))
        session.expire_all()
        assert audit.verify_chain(session).broken_seq == events[1].seq
        assert session.scalar(select(AuditEvent.actor).where(AuditEvent.seq == forged.seq)) == (
            "forger")
