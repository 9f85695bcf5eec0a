"""Key groups (重点群体: hard-to-employ, graduates, ex-fishers …) and work incapacity."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import rules
from minsheng.hrss.employment.models import (
    KeyGroupMember,
    WorkIncapacity,
)
from minsheng.hrss.registry import service as registry
from minsheng.platform.errors import Conflict, FieldError, RuleViolation
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal


def add_to_key_group(
    session: Session, actor: Principal, person_id: int, group_code: str, *, since: date,
    category: str = "", graduation_year: int | None = None,
) -> KeyGroupMember:
    """Recognise a person as a member of a key group (重点群体). A person may belong to
    several groups; a hard-to-employ person is certified under a category
    (就业促进法 art. 52; the list is provincial: ``rules.HARD_TO_EMPLOY_CATEGORIES``)."""
    actor.require("employment:write")
    person = registry.person_for_write(session, actor, person_id)
    errors: list[FieldError] = []
    if group_code not in rules.KEY_GROUPS:
        errors.append(FieldError("group_code", "重点群体类别无效", "unknown key group"))
    if group_code == "hard_to_employ" and category not in rules.HARD_TO_EMPLOY_CATEGORIES:
        errors.append(FieldError("category", "请选择就业困难人员类别",
                                 "choose the hard-to-employ category"))
    if group_code != "hard_to_employ":
        category = ""
    if group_code == "graduate" and graduation_year is None:
        errors.append(FieldError("graduation_year", "请填写毕业年度", "graduation year needed"))
    if errors:
        raise RuleViolation("重点群体信息有误", "Invalid key-group data", errors=errors)
    duplicate = session.scalar(select(KeyGroupMember.id).where(
        KeyGroupMember.person_id == person.id, KeyGroupMember.group_code == group_code,
        KeyGroupMember.category == category))
    if duplicate is not None:
        raise Conflict("已在该重点群体中", "Already in this key group",
                       extra={"existing_id": duplicate})
    member = KeyGroupMember(
        person_id=person.id, group_code=group_code, category=category,
        graduation_year=graduation_year if group_code == "graduate" else None,
        region=person.residence_region, since=since, recorded_by=actor.username)
    session.add(member)
    session.flush()
    audit.record(session, actor=actor.username, action="employment.key_group.add",
                 subject_type="key_group_member", subject_id=member.id,
                 payload={"person_id": person.id, "group": group_code, "category": category})
    return member


def key_groups_of(session: Session, actor: Principal, person_id: int) -> list[KeyGroupMember]:
    registry.person_for_read(session, actor, person_id)
    return list(session.scalars(select(KeyGroupMember).where(
        KeyGroupMember.person_id == person_id).order_by(KeyGroupMember.id)))


def record_work_incapacity(session: Session, actor: Principal, person_id: int, *,
                           since: date, reason: str = "") -> WorkIncapacity:
    """Record that a person is unable to work (丧失劳动能力): they no longer count among a
    household's working-age members able to work."""
    actor.require("employment:write")
    person = registry.person_for_write(session, actor, person_id)
    if session.get(WorkIncapacity, person.id) is not None:
        raise Conflict("已登记丧失劳动能力", "Incapacity already recorded")
    row = WorkIncapacity(person_id=person.id, since=since, reason=reason)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.username, action="employment.work_incapacity",
                 subject_type="person", subject_id=person.id, payload={"reason": reason})
    return row
