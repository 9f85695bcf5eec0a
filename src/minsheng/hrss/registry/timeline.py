"""A person's history (变更记录) and summary (人员信息摘要): two full-record reads of a
person, scoped and audited like the person page.

The history lists the audit chain's events of the person and of their records
(:mod:`minsheng.platform.security.history`); the summary gathers the sections the domains
declare (:mod:`minsheng.platform.summary`) into an official PDF. Both mask resident ID
numbers and phone numbers unless the viewer's role needs them (``service.shows_full_id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from minsheng.hrss.registry import service
from minsheng.hrss.registry.models import Person
from minsheng.platform import regions, summary
from minsheng.platform.db import LOCAL_TIME, utcnow
from minsheng.platform.offices import office_name
from minsheng.platform.paging import LIST_PAGE_SIZE, Listing
from minsheng.platform.security import audit
from minsheng.platform.security import history as audit_history
from minsheng.platform.security.principal import Principal

#: Audit actions of the two reads (``….read*``: left out of the history by default).
HISTORY_READ = "person.read_history"
SUMMARY_READ = "person.read_summary"

HUKOU_TYPES = {"urban": "城镇", "rural": "农村"}
GENDERS = {"M": "男", "F": "女"}
STATUSES = {"alive": "正常", "deceased": "已故"}


def _read(session: Session, actor: Principal, person_id: int, action: str,
          via: str) -> Person:
    """The person if ``actor`` may read their full record (404 outside the staff
    member's district, as on the person page), the read audited."""
    if actor.is_staff:
        actor.require("registry:read")
    person = service._person_in_scope(session, actor, person_id, cross_region=True)
    if service.is_cross_region(actor, person):
        service._audit_cross_region_read(session, actor, person, via)
    elif actor.is_staff:
        audit.record(session, actor=actor.username, action=action, subject_type="person",
                     subject_id=person.id,
                     payload={"full_id": service.shows_full_id(actor, person)})
    return person


@dataclass(frozen=True)
class PersonHistory:
    person: Person
    listing: Listing[audit_history.HistoryEntry]
    include_reads: bool


def person_history(session: Session, actor: Principal, person_id: int, *, page: int = 1,
                   size: int = LIST_PAGE_SIZE, include_reads: bool = False) -> PersonHistory:
    """Every change and decision about the person, newest first, one page; with
    ``include_reads`` also who read the record. Audited as ``person.read_history``."""
    person = _read(session, actor, person_id, HISTORY_READ, "history")
    subjects = audit_history.subjects_of_person(session, person.id)
    listing = audit_history.history(session, subjects, page=page, size=size,
                                    include_reads=include_reads,
                                    full_ids=service.shows_full_id(actor, person))
    return PersonHistory(person, listing, include_reads)


def _local_day(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TIME).date()


def local_today() -> date:
    return utcnow().astimezone(LOCAL_TIME).date()


def viewer_office(actor: Principal, person: Person) -> str:
    """The office a document printed by ``actor`` is headed with: the staff member's
    own; for the person themself (and node-wide staff), the office of their district."""
    if actor.is_staff and actor.region_code:
        return office_name(actor.region_code)
    return office_name(person.residence_region)


@dataclass(frozen=True)
class PersonSummary:
    person: Person
    content: bytes
    filename: str


def person_summary(session: Session, actor: Principal, person_id: int, *,
                   today: date | None = None) -> PersonSummary:
    """The person's summary as an A4 PDF: the viewer's office and the print date at the
    head, the basic data masked for the viewer, each domain's section the viewer may read
    and the latest decisions. Audited as ``person.read_summary``."""
    person = _read(session, actor, person_id, SUMMARY_READ, "summary")
    view = service.view_person(person, actor)
    printed_on = today or local_today()
    basics = [
        ("姓名", view.name), ("公民身份号码", view.resident_id),
        ("性别", GENDERS.get(view.gender, "")), ("出生日期", view.birth_date.isoformat()),
        ("联系电话", view.phone or "—"),
        ("户口性质", HUKOU_TYPES.get(view.hukou_type, "")),
        ("户籍地", regions.name_of(view.hukou_region) or view.hukou_region),
        ("居住地", regions.name_of(view.residence_region) or view.residence_region),
        ("人员状态", STATUSES.get(view.status, "")),
    ]
    sections = summary.sections_of(session, actor, person.id)
    subjects = audit_history.subjects_of_person(session, person.id)
    recent = audit_history.history(session, subjects, page=1, size=10,
                                   full_ids=service.shows_full_id(actor, person))
    if recent.rows:
        table = [["日期", "事项", "经办机构", "经办人"]] + [
            [_local_day(e.occurred_at).isoformat(), e.label, e.office, e.actor_name]
            for e in recent.rows]
        sections.append(summary.SummarySection("最近的变更和决定", table=table, order=1000))
    content = summary.render_summary_pdf(
        office=viewer_office(actor, person), printed_on=printed_on, title="人员信息摘要",
        basics=basics, sections=sections, reference=f"人员编号 {person.id}")
    return PersonSummary(person, content, f"person-{person.id}-summary.pdf")
