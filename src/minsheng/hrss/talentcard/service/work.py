"""The talent card's work on a staff member's workbench (``platform.worklist``):
applications waiting for the reviewer, approved cards waiting to be issued, and services
booked on a card waiting to be delivered (overdue past their working-day deadline)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.platform.security.principal import Principal, region_filter
from minsheng.platform.worklist import WorkItem


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    items: list[WorkItem] = []
    c = TalentCard
    applied, approved = session.execute(
        select(func.count().filter(c.state == rules.CardState.APPLIED),
               func.count().filter(c.state == rules.CardState.APPROVED))
        .where(region_filter(c.region, actor))).one()
    if actor.can("talent:review"):
        items.append(WorkItem("talentcard.review", "英才服务卡申领待审核", int(applied),
                              "/talent/cards?state=applied"))
    if actor.can("talent:write"):
        items.append(WorkItem("talentcard.issue", "英才服务卡待发卡", int(approved),
                              "/talent/cards?state=approved"))
        b = TalentServiceBooking
        count, overdue, nearest = session.execute(
            select(func.count(), func.count().filter(b.due_on < today),
                   func.min(b.due_on).filter(b.due_on >= today))
            .where(b.state == "requested", region_filter(b.region, actor))).one()
        items.append(WorkItem("talentcard.services", "英才服务待办理", int(count),
                              "/talent/cards/services", int(overdue), nearest))
    return items
