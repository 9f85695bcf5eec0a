"""Cases (办件): opened by the domain use case that receives an application, moved on by
the use cases that accept and decide it, and read by the applicant (我的办件), by staff of
the case's region, and on the public progress page by case number and ID number.

Domains call :func:`open_case` and :func:`advance` inside their own unit of work, naming
the case by the record it is about (``subject_type``, ``subject_id``), so a case moves
with the record and never on its own. Records filed before cases existed have none;
:func:`advance` then does nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from minsheng.platform import uploads
from minsheng.platform.cases import rules
from minsheng.platform.cases.models import CaseAttachment, CaseFile, CaseStep
from minsheng.platform.cases.rules import Outcome, Stage
from minsheng.platform.config import get_settings
from minsheng.platform.db import LOCAL_TIME, flush, utcnow
from minsheng.platform.errors import Conflict, NotFound, RuleViolation, invalid_field
from minsheng.platform.offices import office_name
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

__all__ = ["Applicant", "AttachmentItem", "CaseView", "Notice", "Outcome", "Stage", "advance",
           "attach", "attachment_for", "case_for", "case_of", "documents", "documents_sql",
           "my_cases", "notice_of", "number_sql", "open_case", "public_progress"]

PERSON = "person"
EMPLOYER = "employer"


@dataclass(frozen=True)
class Applicant:
    """Who filed: a person or an employer by id, their name, and the resident ID or
    unified social credit code they quote on the public progress page."""

    kind: str
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class Notice:
    """A written decision notice (决定书/告知书): its title and paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


def applicant_digest(code: str) -> str:
    """A keyed hash (HMAC-SM3 is not in the standard library; HMAC-SHA-256 keyed by the
    deployment's secret) of an ID number or credit code, upper-cased and without spaces:
    the public page matches it without the number being stored again."""
    key = ("minsheng-case:" + get_settings().secret_key).encode()
    text = "".join(code.split()).upper().encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def _step(session: Session, case: CaseFile, stage: str, *, actor: str, at: datetime,
          note: str = "") -> None:
    session.add(CaseStep(case_id=case.id, stage=stage, at=at, office=case.office,
                         actor=actor, note=note[:200]))


def open_case(session: Session, actor: Principal, *, kind: str, title: str,
              subject_type: str, subject_id: object, applicant: Applicant, region: str,
              office: str | None = None, due: date | None = None, accepted: bool = False,
              note: str = "", at: datetime | None = None) -> CaseFile:
    """A new case for an application just filed: received, and accepted at once when
    ``accepted`` (the application passed the checks made on filing). One case a record:
    a second case for the same record is a 409."""
    moment = at or utcnow()
    if applicant.kind not in (PERSON, EMPLOYER):
        raise ValueError(f"unknown applicant kind {applicant.kind!r}")
    existing = case_of(session, subject_type, subject_id)
    if existing is not None:
        raise Conflict(f"该事项已有办件 {existing.number}",
                       f"The record already has case {existing.number}")
    case = CaseFile(
        number="pending", kind=kind, title=title, subject_type=subject_type,
        subject_id=str(subject_id), applicant_kind=applicant.kind,
        applicant_id=applicant.id, applicant_name=applicant.name,
        applicant_digest=applicant_digest(applicant.code), region=region,
        office=office or office_name(region), stage=Stage.RECEIVED, filed_at=moment,
        due_date=due)
    session.add(case)
    flush(session)
    case.number = rules.case_number(get_settings().node_id,
                                    moment.astimezone(LOCAL_TIME).date(), case.id)
    _step(session, case, Stage.RECEIVED, actor=actor.username, at=moment, note=note)
    if accepted:
        case.stage = Stage.ACCEPTED
        _step(session, case, Stage.ACCEPTED, actor=actor.username, at=moment)
    flush(session)
    audit.record(session, actor=actor.username, action="case.open", subject_type="case_file",
                 subject_id=case.number,
                 payload={"kind": kind, "subject": f"{subject_type}:{subject_id}"})
    return case


def case_of(session: Session, subject_type: str, subject_id: object) -> CaseFile | None:
    return session.scalars(select(CaseFile).where(
        CaseFile.subject_type == subject_type, CaseFile.subject_id == str(subject_id))).first()


def advance(session: Session, actor: Principal, *, subject_type: str, subject_id: object,
            stage: str, note: str = "", outcome: str | None = None,
            outcome_label: str | None = None, notice: Notice | None = None,
            at: datetime | None = None) -> CaseFile | None:
    """Move the case of a record on to ``stage``; a stage passed over stays empty (an
    application refused before it was accepted never reaches 已受理). A decision names
    its ``outcome`` (approved or refused, for counting) and may word it as the service
    does (``outcome_label``: 调解结案, 不予受理 …); a written ``notice`` is kept for the
    applicant to download. Forward only: moving to the stage a case is at, or back, is a
    409. The record's own row lock (taken by the caller) orders concurrent changes; the
    case's version catches any other writer. ``None`` when the record has no case."""
    case = case_of(session, subject_type, subject_id)
    if case is None:
        return None
    if not rules.may_advance(case.stage, stage):
        raise Conflict(
            f"办件 {case.number} 当前为“{rules.STAGE_LABELS[case.stage]}”，不能再办理为"
            f"“{rules.STAGE_LABELS[stage]}”",
            f"Case {case.number} is {case.stage}; it cannot move to {stage}")
    reaches_decision = rules.STAGES.index(Stage(stage)) >= rules.STAGES.index(Stage.DECIDED)
    if reaches_decision and case.outcome is None:
        if outcome not in (Outcome.APPROVED, Outcome.REFUSED):
            raise ValueError("a decision names its outcome")
        case.outcome = outcome
        case.outcome_label = outcome_label or rules.OUTCOME_LABELS[outcome]
    _step(session, case, stage, actor=actor.username, at=at or utcnow(), note=note)
    case.stage = stage
    if notice is not None:
        case.notice_title = notice.title
        case.notice_body = json.dumps(list(notice.paragraphs), ensure_ascii=False)
    flush(session)
    audit.record(session, actor=actor.username, action="case.advance",
                 subject_type="case_file", subject_id=case.number,
                 payload={"stage": stage, "outcome": case.outcome})
    return case


# --- reading ------------------------------------------------------------------------


@dataclass(frozen=True)
class StageView:
    """A stage with the step that reached it; ``skipped``: passed over (a later stage was
    reached without it)."""

    stage: str
    label: str
    step: CaseStep | None
    skipped: bool = False


@dataclass(frozen=True)
class CaseView:
    """A case with its steps, and each of the four stages with the step that reached it
    (``None``: not yet reached)."""

    case: CaseFile
    steps: list[CaseStep]
    stages: list[StageView]

    @property
    def stage_label(self) -> str:
        return rules.STAGE_LABELS[self.case.stage]

    @property
    def trail(self) -> list[tuple[CaseStep, str]]:
        """Every step with its stage's label, newest first."""
        return [(step, rules.STAGE_LABELS[step.stage]) for step in reversed(self.steps)]

    @property
    def notice_paragraphs(self) -> list[str]:
        return list(json.loads(self.case.notice_body)) if self.case.notice_body else []


def _view(session: Session, case: CaseFile) -> CaseView:
    steps = list(session.scalars(select(CaseStep).where(CaseStep.case_id == case.id)
                                 .order_by(CaseStep.at, CaseStep.id)))
    reached = {step.stage: step for step in steps}
    passed = rules.stages_passed(case.stage)
    return CaseView(case, steps, [
        StageView(stage, rules.STAGE_LABELS[stage], reached.get(stage),
                  skipped=stage in passed and stage not in reached)
        for stage in rules.STAGES])


def _owns(actor: Principal, case: CaseFile) -> bool:
    if case.applicant_kind == PERSON:
        return actor.person_id is not None and actor.person_id == case.applicant_id
    return actor.employer_id is not None and actor.employer_id == case.applicant_id


def _no_case(number: str) -> NotFound:
    return NotFound(f"未找到办件 {number}", f"No case {number}")


def my_cases(session: Session, actor: Principal) -> list[CaseFile]:
    """The cases the signed-in citizen or employer filed, newest first."""
    actor.require("cases:self")
    if actor.person_id is not None:
        kind, owner = PERSON, actor.person_id
    elif actor.employer_id is not None:
        kind, owner = EMPLOYER, actor.employer_id
    else:
        return []
    return list(session.scalars(
        select(CaseFile).where(CaseFile.applicant_kind == kind, CaseFile.applicant_id == owner)
        .order_by(CaseFile.filed_at.desc(), CaseFile.id.desc())))


def case_for(session: Session, actor: Principal, number: str) -> CaseView:
    """A case by its number, for its applicant or for staff of its region (a staff read
    is audited); anyone else gets a 404, as for a number that does not exist."""
    actor.require_any("cases:self", "cases:read")
    normal = rules.normal_case_number(number)
    case = session.scalars(select(CaseFile).where(CaseFile.number == normal)).first() \
        if normal else None
    if case is None:
        raise _no_case(number)
    if actor.is_staff:
        if not actor.can("cases:read") or not actor.sees_region(case.region):
            raise _no_case(number)
        audit.record(session, actor=actor.username, action="case.read",
                     subject_type="case_file", subject_id=case.number)
    elif not _owns(actor, case):
        raise _no_case(number)
    return _view(session, case)


def public_progress(session: Session, number: str, code: str) -> CaseView:
    """The progress of a case for anyone who quotes its number and the applicant's ID
    number (or credit code): no sign-in, the applicant's name masked on the page. A
    wrong pair and an unknown number get the same 404, so the page tells nothing about
    which cases exist."""
    normal = rules.normal_case_number(number)
    if normal is None:
        raise invalid_field("number", "办件编号格式不正确，应如 CQBJ2026120500000123",
                            "a case number looks like CQBJ2026120500000123")
    if not code.strip():
        raise invalid_field("code", "请填写申请人的身份证号码或统一社会信用代码",
                            "the applicant's ID number or credit code is required")
    case = session.scalars(select(CaseFile).where(CaseFile.number == normal)).first()
    if case is None or not hmac.compare_digest(case.applicant_digest, applicant_digest(code)):
        raise NotFound("未找到与该编号和证件号码相符的办件",
                       "No case matches this number and ID number")
    return _view(session, case)


def notice_of(session: Session, actor: Principal, number: str) -> CaseView:
    """A decided case whose written notice the actor may download (see :func:`case_for`)."""
    view = case_for(session, actor, number)
    if view.case.notice_title is None:
        raise RuleViolation("该办件尚未作出书面决定", "The case has no written decision yet")
    return view


# --- supporting documents -------------------------------------------------------------

#: The most documents one case may carry.
MAX_ATTACHMENTS = 10


@dataclass(frozen=True)
class AttachmentItem:
    """A supporting document as a list shows it (its content is read only on download)."""

    id: int
    case_number: str
    name: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime

    @property
    def href(self) -> str:
        return f"/cases/{self.case_number}/attachments/{self.id}"


def _clean_name(name: str, media_type: str) -> str:
    """The file's own name without any folder, control characters or quotes, at most
    100 characters, with the extension its content has."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable() and c not in '"<>')
    stem = base.rsplit(".", 1)[0].strip()[:100] or "材料"
    return stem + (".pdf" if media_type == "application/pdf" else ".jpg")


def attach(session: Session, actor: Principal, number: str, name: str,
           content: bytes) -> CaseAttachment:
    """The applicant attaches a supporting document to their case while it awaits its
    decision: a whole PDF or JPEG within the size limit (``uploads.verify_attachment``),
    at most :data:`MAX_ATTACHMENTS` a case. Audited with the document's SHA-256."""
    actor.require("cases:self")
    view = case_for(session, actor, number)
    case = view.case
    if not rules.may_advance(case.stage, Stage.DECIDED):
        raise Conflict("办件已作出决定，不能再补充材料", "The case is decided; no more documents")
    media_type = uploads.verify_attachment(content)
    count = session.scalar(select(func.count()).select_from(CaseAttachment)
                           .where(CaseAttachment.case_id == case.id)) or 0
    if count >= MAX_ATTACHMENTS:
        raise Conflict(f"每件办件最多上传 {MAX_ATTACHMENTS} 份材料",
                       f"A case takes at most {MAX_ATTACHMENTS} documents")
    document = CaseAttachment(
        case_id=case.id, name=_clean_name(name, media_type), media_type=media_type,
        size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content,
        uploaded_at=utcnow(), uploaded_by=actor.username)
    session.add(document)
    flush(session)
    audit.record(session, actor=actor.username, action="case.attach", subject_type="case_file",
                 subject_id=case.number,
                 payload={"attachment_id": document.id, "sha256": document.sha256,
                          "size": document.size, "media_type": media_type})
    return document


def documents(session: Session, case: CaseFile) -> list[AttachmentItem]:
    rows = session.execute(
        select(CaseAttachment.id, CaseAttachment.name, CaseAttachment.media_type,
               CaseAttachment.size, CaseAttachment.sha256, CaseAttachment.uploaded_at)
        .where(CaseAttachment.case_id == case.id).order_by(CaseAttachment.id))
    return [AttachmentItem(r.id, case.number, r.name, r.media_type, r.size, r.sha256,
                           r.uploaded_at) for r in rows]


def number_sql(subject_type: str, subject_id: Any) -> ScalarSelect[Any]:
    """For a work-list's set-based query: the case number of the record whose id is the
    column ``subject_id`` (``NULL`` when it has none)."""
    return (select(CaseFile.number)
            .where(CaseFile.subject_type == subject_type,
                   CaseFile.subject_id == cast(subject_id, String))
            .scalar_subquery())


def documents_sql(subject_type: str, subject_id: Any) -> ScalarSelect[Any]:
    """For a work-list's set-based query: how many documents the record's case carries."""
    return (select(func.count(CaseAttachment.id))
            .join(CaseFile, CaseFile.id == CaseAttachment.case_id)
            .where(CaseFile.subject_type == subject_type,
                   CaseFile.subject_id == cast(subject_id, String))
            .scalar_subquery())


def attachment_for(session: Session, actor: Principal, number: str,
                   attachment_id: int) -> CaseAttachment:
    """One document, for the applicant or staff of the case's region (whose read is
    audited by :func:`case_for`); 404 for anyone else."""
    case = case_for(session, actor, number).case
    document = session.get(CaseAttachment, attachment_id)
    if document is None or document.case_id != case.id:
        raise NotFound("未找到该材料", "No such document")
    return document
