"""A person's history (变更记录): every change and decision about a person, read from the
audit chain, newest first.

The chain names each event's subject (``subject_type``, ``subject_id``): the person
(``person``, their id) or a record of theirs (a card by its number, a claim, an
enrolment …). Each domain declares, in its ``domain.py`` (``history=[HistorySource(...)]``),
which subjects of its records belong to a person, the Chinese label of each audit action
it writes and of the payload fields worth showing; the app registers the declarations and
:func:`history` lists the events of those subjects through the index
``ix_audit_event_subject (subject_type, subject_id, seq)`` (migration 0034), never by
scanning the chain.

What is shown is made for people and for the viewer's role: the actor by display name and
office, never the login name; the action in Chinese; only payload fields with a Chinese
label, resident ID numbers and phone numbers masked unless the viewer's role needs them
(``platform.ids``). Reads of the record (actions ``….read*``) are left out unless asked for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from minsheng.platform import ids, regions
from minsheng.platform.offices import office_name
from minsheng.platform.paging import LIST_PAGE_SIZE, Listing, paginate
from minsheng.platform.security.models import AuditEvent, UserAccount
from minsheng.platform.security.roles import NATURAL_RESOURCES_ROLES, ROLE_LABELS, Role

#: The subject type of events about the person record itself.
PERSON = "person"
#: Audit actions that only read (``person.read``, ``card.read``, ``person.read_history`` …):
#: the last dotted part starts with ``read``.
READ_PATTERN = "%.read%"

#: ``subjects(session, person_id)`` → ``(subject_type, subject ids)`` of a person's records.
PersonSubjects = Callable[[Session, int], Iterable[tuple[str, Iterable[object]]]]


@dataclass(frozen=True)
class HistorySource:
    """What a domain tells the person history: ``labels`` (audit action → what happened,
    in Chinese), ``fields`` (payload key → its Chinese label; other keys are not shown),
    ``values`` (a coded payload value → Chinese) and ``subjects`` (the subjects of the
    domain's records that belong to a person)."""

    labels: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    subjects: PersonSubjects | None = None


#: Payload fields every domain writes alike.
COMMON_FIELDS: dict[str, str] = {
    "resident_id": "公民身份号码", "name": "姓名", "phone": "联系电话",
    "hukou_region": "户籍地", "residence_region": "居住地", "hukou_type": "户口性质",
    "region": "地区", "reason": "原因", "amount": "金额（元）", "month": "月份",
    "period": "所属期", "on": "日期", "death_date": "死亡日期", "card_no": "社会保障卡号",
    "number": "编号", "start_month": "起始月份", "end_month": "终止月份",
    "relation": "与户主关系", "note": "说明", "via": "查阅方式",
}
COMMON_VALUES: dict[str, str] = {
    "urban": "城镇", "rural": "农村", "record": "查阅详情", "lookup": "全市通办按号码查询",
    "records": "查阅业务记录", "history": "查阅变更记录", "summary": "下载人员信息摘要",
    "head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母", "other": "其他",
}
_PHONE_FIELDS = frozenset({"phone"})
_RESIDENT_ID = re.compile(r"\b\d{17}[\dXx]\b")
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")

_sources: list[HistorySource] = []


def add_history_source(source: HistorySource) -> None:
    if source not in _sources:
        _sources.append(source)


def _labels() -> dict[str, str]:
    return {action: label for s in _sources for action, label in s.labels.items()}


def _source_of(action: str) -> HistorySource | None:
    """The declaration that labels ``action``: its fields and values read the payload."""
    return next((s for s in _sources if action in s.labels), None)


def action_label(action: str) -> str:
    """What an audit action did, in Chinese (办理业务 for an action nobody labelled)."""
    if action in (labels := _labels()):
        return labels[action]
    return "查阅信息" if _is_read(action) else "办理业务"


def _is_read(action: str) -> bool:
    return "." in action and action.rsplit(".", 1)[1].startswith("read")


def subjects_of_person(session: Session, person_id: int) -> dict[str, list[str]]:
    """Every audit subject that is the person or a record of theirs, by subject type."""
    found: dict[str, list[str]] = {PERSON: [str(person_id)]}
    for source in _sources:
        if source.subjects is None:
            continue
        for subject_type, subject_ids in source.subjects(session, person_id):
            known = found.setdefault(subject_type, [])
            known.extend(str(i) for i in subject_ids if str(i) not in known)
    return found


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


@dataclass(frozen=True)
class HistoryEntry:
    """One event as a person reads it."""

    seq: int
    occurred_at: datetime
    actor_name: str
    office: str
    action: str
    label: str
    is_read: bool
    details: tuple[Detail, ...]


@dataclass(frozen=True)
class _Actor:
    name: str
    office: str


#: How the offices of accounts without a region are named.
_CHANNELS = {Role.CITIZEN: "网上服务大厅（本人）", Role.EMPLOYER: "网上服务大厅（单位）",
             Role.PEER_NODE: "跨省通办对端节点"}
SYSTEM_ACTOR = _Actor("系统", "系统自动处理")


def _actors(session: Session, usernames: set[str]) -> dict[str, _Actor]:
    """Display name and office of each account (``system``: 系统); an account not found
    (deleted, or a peer node's name) is shown as 工作人员, never by its login name."""
    found = {name: SYSTEM_ACTOR for name in usernames if name == "system"}
    wanted = sorted(usernames - found.keys())
    if wanted:
        for username, display, role, region in session.execute(
                select(UserAccount.username, UserAccount.display_name, UserAccount.role,
                       UserAccount.region_code).where(UserAccount.username.in_(wanted))):
            known = Role(role) if role in {r.value for r in Role} else None
            label = ROLE_LABELS[known] if known else "工作人员"
            office = (_CHANNELS[known] if known in _CHANNELS else office_name(
                region, natural_resources=known in NATURAL_RESOURCES_ROLES))
            found[username] = _Actor(display or label, office)
    return found


def _mask_text(text: str, full_ids: bool) -> str:
    return text if full_ids else _RESIDENT_ID.sub(
        lambda m: ids.mask_resident_id(m.group(0)), text)


def _value_text(key: str, value: Any, *, full_ids: bool, values: Mapping[str, str]) -> str | None:
    """A payload value for people, or ``None`` when it cannot be shown in Chinese."""
    if value is None or value == "" or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    if text in values:
        return values[text]
    if key in _PHONE_FIELDS and not full_ids:
        return text[:3] + "****" + text[-4:] if len(text) >= 8 else "*" * len(text)
    if key.endswith("region") and text.isdigit() and len(text) == 6:
        return regions.name_of(text) or text
    text = _mask_text(text, full_ids)
    return None if _ENGLISH_WORD.search(text) else text


def details_of(payload: str, *, full_ids: bool, action: str = "") -> tuple[Detail, ...]:
    """The labelled fields of an event's payload, masked for the viewer; the fields and
    coded values of the domain that wrote ``action`` are read besides the common ones."""
    try:
        data = json.loads(payload)
    except ValueError:
        return ()
    if not isinstance(data, dict):
        return ()
    source = _source_of(action)
    fields = {**COMMON_FIELDS, **(source.fields if source else {})}
    values = {**COMMON_VALUES, **(source.values if source else {})}
    shown: list[Detail] = []
    before, after = data.get("before"), data.get("after")
    if isinstance(before, dict) and isinstance(after, dict):  # a change: old → new
        for key, new in after.items():
            if key not in fields:
                continue
            old_text = _value_text(key, before.get(key), full_ids=full_ids, values=values)
            new_text = _value_text(key, new, full_ids=full_ids, values=values)
            if old_text is not None or new_text is not None:
                change = f"{old_text or '（空）'} → {new_text or '（空）'}"
                shown.append(Detail(fields[key], change))
    for key, value in data.items():
        if key in ("before", "after") or key not in fields:
            continue
        text = _value_text(key, value, full_ids=full_ids, values=values)
        if text is not None:
            shown.append(Detail(fields[key], text))
    return tuple(shown)


def _where(subjects: Mapping[str, Sequence[str]]) -> ColumnElement[bool]:
    """One index range per subject type: ``(subject_type = t AND subject_id IN (…))``."""
    parts = [and_(AuditEvent.subject_type == subject_type,
                  AuditEvent.subject_id.in_(sorted(set(subject_ids))))
             for subject_type, subject_ids in sorted(subjects.items()) if subject_ids]
    return or_(*parts) if parts else false()


def history_query(subjects: Mapping[str, Sequence[str]], *, include_reads: bool = False
                  ) -> Any:
    """The events of ``subjects``, newest first (by the index on the subject)."""
    query = select(AuditEvent).where(_where(subjects))
    if not include_reads:
        query = query.where(AuditEvent.action.not_like(READ_PATTERN))
    return query.order_by(AuditEvent.seq.desc())


def history(session: Session, subjects: Mapping[str, Sequence[str]], *, page: int = 1,
            size: int = LIST_PAGE_SIZE, include_reads: bool = False,
            full_ids: bool = False) -> Listing[HistoryEntry]:
    """One page of the events of ``subjects`` (see :func:`subjects_of_person`), newest
    first, as people read them; ``full_ids``: the viewer's role sees full resident IDs.
    The caller checks that the viewer may see the person and audits the read."""
    listing = paginate(session, history_query(subjects, include_reads=include_reads),
                       page, size)
    events: list[AuditEvent] = listing.rows
    actors = _actors(session, {e.actor for e in events})
    unknown = _Actor("工作人员", "—")
    rows = [HistoryEntry(
        seq=e.seq, occurred_at=e.occurred_at, actor_name=actors.get(e.actor, unknown).name,
        office=actors.get(e.actor, unknown).office, action=e.action,
        label=action_label(e.action), is_read=_is_read(e.action),
        details=details_of(e.payload, full_ids=full_ids, action=e.action)) for e in events]
    return Listing(rows, listing.total, listing.page, listing.pages, listing.size)
