"""Cases (办件), as the app assembles them."""

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from minsheng.platform.cases import models, pages, rules
from minsheng.platform.db import LOCAL_TIME
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.security.history import HistorySource
from minsheng.platform.security.principal import Principal
from minsheng.platform.summary import SummarySection

#: Decisions listed on a person's summary.
RECENT_DECISIONS = 10


def _of_person(person_id: int) -> tuple[ColumnElement[bool], ...]:
    return (models.CaseFile.applicant_kind == "person",
            models.CaseFile.applicant_id == person_id)


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """The cases a person filed (audited as ``case_file`` by case number)."""
    return [("case_file", session.scalars(select(models.CaseFile.number)
                                          .where(*_of_person(person_id))))]


HISTORY = HistorySource(
    labels={"case.open": "收件（生成办件编号）", "case.advance": "办件进度变更",
            "case.attach": "上传申请材料", "case.read": "查阅办件"},
    fields={"stage": "办理环节", "outcome": "办理结果"},
    values={**rules.STAGE_LABELS, **rules.OUTCOME_LABELS}, subjects=person_subjects)


def person_summary(session: Session, actor: Principal,
                   person_id: int) -> Sequence[SummarySection]:
    """The person's latest decided cases (办件), for those who read cases."""
    if not actor.can("cases:read") and actor.person_id != person_id:
        return []
    decided = session.scalars(
        select(models.CaseFile).where(*_of_person(person_id),
                                      models.CaseFile.outcome.is_not(None))
        .order_by(models.CaseFile.filed_at.desc()).limit(RECENT_DECISIONS)).all()
    return [SummarySection("近期办件决定", order=90, empty="无已作出决定的办件", table=[
        ["办件编号", "事项", "受理日期", "办理结果"],
        *([c.number, c.title, c.filed_at.astimezone(LOCAL_TIME).date().isoformat(),
           c.outcome_label or rules.OUTCOME_LABELS.get(c.outcome or "", "")] for c in decided)]
        if decided else ())]


DOMAIN = Domain(name="cases", label="办件", order=3, models=models, pages=[pages.router],
                templates=templates_beside(__file__), history=[HISTORY],
                summary=[person_summary])
