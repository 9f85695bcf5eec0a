"""What the person history (变更记录) reads of talent cards: a person's cards and booked
services, and each audited action in Chinese."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.platform.security.history import HistorySource


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """A person's talent cards and their service bookings (audited by id)."""
    return [
        ("talent_card", session.scalars(
            select(TalentCard.id).where(TalentCard.person_id == person_id))),
        ("talent_service_booking", session.scalars(
            select(TalentServiceBooking.id).where(TalentServiceBooking.person_id == person_id))),
    ]


HISTORY = HistorySource(
    labels={"talentcard.apply": "申领英才服务卡", "talentcard.approve": "英才服务卡审核通过",
            "talentcard.refuse": "英才服务卡审核不予通过", "talentcard.issue": "发放英才服务卡",
            "talentcard.issue_direct": "直接发放英才服务卡", "talentcard.renew": "英才服务卡续期",
            "talentcard.revoke": "撤销英才服务卡", "talentcard.read": "查阅英才服务卡",
            "talentcard.code": "生成英才服务卡核验码", "talentcard.book": "预约人才服务",
            "talentcard.deliver": "人才服务办结", "talentcard.rate": "评价人才服务"},
    fields={"valid_until": "有效期至", "valid_until_before": "原有效期至",
            "requested_on": "申请日期", "due_on": "办理时限", "score": "满意度",
            "basis_kind": "认定依据"},
    values={kind.value: label for kind, label in rules.BASIS_LABELS.items()},
    subjects=person_subjects)
