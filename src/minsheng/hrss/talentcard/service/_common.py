"""What the talent-card use cases share: the holiday calendar, the dated tiers and
service catalogue, card numbers, audit records and the messages of a refused step."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard, TalentCardTier, TalentServiceItem
from minsheng.platform import rulebook
from minsheng.platform.calendar.service import load_calendar
from minsheng.platform.config import get_settings
from minsheng.platform.errors import Conflict, NotFound, invalid_field
from minsheng.platform.months import month_of
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal
from minsheng.platform.workdays import HolidayCalendar


def calendar(session: Session) -> HolidayCalendar:
    """The statutory working-day calendar kept in the database, read once per unit of
    work."""
    found = session.info.get("talentcard.calendar")
    if found is None:
        found = session.info["talentcard.calendar"] = load_calendar(session)
    return found


def tier_in_force(session: Session, code: str, region: str, on: date) -> TalentCardTier:
    """The tier ``code`` as published for ``region`` on ``on``; 422 naming ``tier``."""
    found = rulebook.one_in_force(session, TalentCardTier, region, month_of(on),
                                  TalentCardTier.code == code)
    if found is None:
        raise invalid_field("tier", f"没有该英才服务卡等级（{code[:16]}）或该等级未在本地区施行",
                            f"no card tier {code[:16]!r} in force in this region")
    return found


def tiers_in_force(session: Session, region: str, on: date) -> list[TalentCardTier]:
    """Every tier published for ``region`` on ``on`` (the most specific row of each)."""
    rows = list(session.scalars(select(TalentCardTier)))
    codes = sorted({r.code for r in rows})
    found = []
    for code in codes:
        best = rulebook.most_specific(
            [r for r in rows if r.code == code and r.valid_from <= month_of(on)
             and (r.valid_to is None or r.valid_to >= month_of(on))], region)
        found.extend(best[:1])
    return found


def service_in_force(session: Session, code: str, region: str, on: date) -> TalentServiceItem:
    """The catalogue entry ``code`` for ``region`` on ``on``; 422 naming ``service_code``."""
    found = rulebook.one_in_force(session, TalentServiceItem, region, month_of(on),
                                  TalentServiceItem.code == code)
    if found is None:
        raise invalid_field("service_code", f"服务清单中没有该服务项目（{code[:32]}）",
                            f"no service {code[:32]!r} in the catalogue")
    return found


def services_in_force(session: Session, region: str, on: date) -> list[TalentServiceItem]:
    period = month_of(on)
    rows = [r for r in session.scalars(select(TalentServiceItem))
            if r.valid_from <= period and (r.valid_to is None or r.valid_to >= period)]
    found = []
    for code in sorted({r.code for r in rows}):
        found.extend(rulebook.most_specific([r for r in rows if r.code == code], region)[:1])
    return found


def card_number(year: int, card_id: int) -> str:
    """``CQYC2026000123``: node, YC (英才), year of issue, serial."""
    return f"{get_settings().node_id.upper()}YC{year}{card_id:06d}"


def record(session: Session, actor: Principal, action: str, subject_type: str,
           subject_id: object, **payload: Any) -> None:
    audit.record(session, actor=actor.username, action=f"talentcard.{action}",
                 subject_type=subject_type, subject_id=subject_id, payload=payload)


def check_version(version: int | None, current: int) -> None:
    if version is not None and version != current:
        raise Conflict("记录已被他人更新，请刷新后重试", "The record was changed by someone else")


def step(card: TalentCard, action: rules.CardAction, today: date) -> rules.CardState:
    """The card's next state, judged on its state as of ``today`` (an active card past
    its last day counts as expired); 409 naming the current state."""
    current = rules.effective_state(rules.CardState(card.state), card.valid_until, today)
    try:
        return rules.card_step(current, action)
    except rules.StepRefused:
        raise Conflict(f"英才服务卡当前为“{rules.STATE_LABELS[current]}”，不能办理这一步",
                       f"Not allowed while the card is {current.value}",
                       extra={"current_state": current.value}) from None


def not_found(what: str, what_en: str) -> NotFound:
    return NotFound(f"未找到该{what}", f"No such {what_en}")
