"""What the talent use cases share: the person a record is about, turning rule problems
into a 422 naming every field, and the refusal of a record outside the caller's scope."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Person
from minsheng.hrss.talent.rules import Problem
from minsheng.platform.errors import NotFound, RuleViolation, invalid_field
from minsheng.platform.messages import field_label


def person_of(session: Session, person_id: int, field: str = "person_id") -> Person:
    """The person a record is about; an unknown one is a 422 naming ``field``."""
    person = session.get(Person, person_id)
    if person is None:
        raise invalid_field(field, "人员不存在", "no such person")
    return person


def refuse(problems: Sequence[Problem]) -> None:
    """Raise one 422 listing every problem, each naming its field."""
    if problems:
        raise RuleViolation("；".join(f"{field_label(p.field)}：{p.message}" for p in problems),
                            "; ".join(f"{p.field}: {p.message_en}" for p in problems),
                            errors=[invalid_field(p.field, p.message, p.message_en).errors[0]
                                    for p in problems])


def not_found(what: str, what_en: str) -> NotFound:
    return NotFound(f"未找到该{what}", f"No such {what_en}")
