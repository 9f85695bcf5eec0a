"""How many talents: skilled talent (技能人才, people holding a skill certificate, each
once at their highest level), professional-technical talent (专技人才, people holding a
title, each once at their highest title), introductions, the talent events' talents and
projects, and postdoctoral intake. One statement builder per figure, read both by the
counts of the API and pages and by the scorecard (``talent.indicators``), so they cannot
disagree.

Skilled and professional-technical talent count where the holder lives
(``person.residence_region``) at the period's end, alive then; introductions where the
employer is; intake where the station is; an event's projects where it was held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Person
from minsheng.hrss.talent import rules
from minsheng.hrss.talent.models import (
    PostdocIntake,
    ProfessionalTitle,
    SkillCertificate,
    TalentEvent,
    TalentIntroduction,
)
from minsheng.platform import regions
from minsheng.platform.errors import invalid_field
from minsheng.platform.security.principal import Principal

#: The column skilled and professional-technical talent are placed by.
HOLDER_REGION = Person.residence_region


def _alive_on(end: date) -> ColumnElement[bool]:
    return or_(Person.death_date.is_(None), Person.death_date > end)


def skilled_select(within: ColumnElement[bool], key: ColumnElement[Any], end: date
                   ) -> Select[*tuple[Any, ...]]:
    """Per ``key`` and level: ``(key, level, people)`` — people alive on ``end`` holding a
    skill certificate issued by then, each at their highest level (the smallest number).
    ``within`` and ``key`` are built on :data:`HOLDER_REGION`."""
    best = (select(SkillCertificate.person_id.label("person_id"),
                   func.min(SkillCertificate.level).label("level"))
            .where(SkillCertificate.issued_on <= end)
            .group_by(SkillCertificate.person_id).subquery("best"))
    return (select(key, best.c.level, func.count())
            .select_from(best).join(Person, Person.id == best.c.person_id)
            .where(within, _alive_on(end)).group_by(key, best.c.level))


def _rank() -> Any:
    return case(*((ProfessionalTitle.level == lv, rank)
                  for lv, rank in rules.TITLE_RANK.items()), else_=0)


def professional_select(within: ColumnElement[bool], key: ColumnElement[Any], end: date
                        ) -> Select[*tuple[Any, ...]]:
    """Per ``key`` and title rank (1 初级 … 4 正高级): ``(key, rank, people)`` — people
    alive on ``end`` holding a title granted by then, each at their highest title."""
    best = (select(ProfessionalTitle.person_id.label("person_id"),
                   func.max(_rank()).label("rank"))
            .where(ProfessionalTitle.granted_on <= end)
            .group_by(ProfessionalTitle.person_id).subquery("best"))
    return (select(key, best.c.rank, func.count())
            .select_from(best).join(Person, Person.id == best.c.person_id)
            .where(within, _alive_on(end)).group_by(key, best.c.rank))


def introductions_select(within: ColumnElement[bool], key: ColumnElement[Any], start: date,
                         end: date, *, at_events: bool = False) -> Select[*tuple[Any, ...]]:
    """Per ``key``: ``(key, introductions dated in the period)``; ``at_events``: only
    those tied to a talent event. Built on ``TalentIntroduction.region``."""
    i = TalentIntroduction
    stmt = select(key, func.count()).where(within, i.introduced_on >= start,
                                           i.introduced_on <= end)
    if at_events:
        stmt = stmt.where(i.event_id.is_not(None))
    return stmt.group_by(key)


def event_projects_select(within: ColumnElement[bool], key: ColumnElement[Any], start: date,
                          end: date) -> Select[*tuple[Any, ...]]:
    """Per ``key``: ``(key, projects signed at events held in the period)``. Built on
    ``TalentEvent.region``."""
    e = TalentEvent
    return (select(key, func.coalesce(func.sum(e.projects_signed), 0))
            .where(within, e.held_on >= start, e.held_on <= end).group_by(key))


def intake_select(within: ColumnElement[bool], key: ColumnElement[Any], start: date,
                  end: date) -> Select[*tuple[Any, ...]]:
    """Per ``key``: ``(key, postdoctoral researchers entering a station in the period)``.
    Built on ``PostdocIntake.region``."""
    p = PostdocIntake
    return (select(key, func.count()).where(within, p.entered_on >= start, p.entered_on <= end)
            .group_by(key))


@dataclass(frozen=True)
class TalentCounts:
    region: str
    year: int
    #: {level 1…5: people}
    skilled_by_level: dict[int, int]
    #: {title level: people}
    professional_by_level: dict[str, int]
    introductions: int
    event_talents: int
    event_projects: int
    postdoc_intake: int

    @property
    def skilled(self) -> int:
        return sum(self.skilled_by_level.values())

    @property
    def high_skilled(self) -> int:
        return sum(n for lv, n in self.skilled_by_level.items() if lv in rules.HIGH_SKILL_LEVELS)

    @property
    def professional(self) -> int:
        return sum(self.professional_by_level.values())


def _one(session: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    row = session.execute(stmt).first()
    return int(row[1] or 0) if row else 0


def talent_counts(session: Session, actor: Principal, *, region: str = "",
                  year: int | None = None) -> TalentCounts:
    """The talent counts of the actor's region (or a part of it) for a year: the stocks at
    the year's end, the flows within it."""
    actor.require("talent:read")
    today = date.today()
    year = year or today.year
    prefix = region or actor.region_prefix
    if not prefix.startswith(actor.region_prefix):
        raise invalid_field("region", "不在您的管辖范围内", "outside your scope")
    start, end = date(year, 1, 1), date(year, 12, 31)
    total = literal("")
    skilled = {int(lv): int(n) for _, lv, n in session.execute(skilled_select(
        regions.within_sql(HOLDER_REGION, prefix), total, end))}
    ranks = {rank: lv for lv, rank in rules.TITLE_RANK.items()}
    professional = {ranks[int(r)]: int(n) for _, r, n in session.execute(professional_select(
        regions.within_sql(HOLDER_REGION, prefix), total, end)) if int(r) in ranks}
    i_within = regions.within_sql(TalentIntroduction.region, prefix)
    return TalentCounts(
        region=prefix, year=year,
        skilled_by_level={lv: skilled.get(lv, 0) for lv in range(1, 6)},
        professional_by_level={lv: professional.get(lv, 0) for lv in rules.TITLE_RANK},
        introductions=_one(session, introductions_select(i_within, total, start, end)),
        event_talents=_one(session, introductions_select(i_within, total, start, end,
                                                         at_events=True)),
        event_projects=_one(session, event_projects_select(
            regions.within_sql(TalentEvent.region, prefix), total, start, end)),
        postdoc_intake=_one(session, intake_select(
            regions.within_sql(PostdocIntake.region, prefix), total, start, end)))
