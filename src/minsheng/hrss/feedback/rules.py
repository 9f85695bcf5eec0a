"""意见建议 (feedback): what a citizen's or employer's feedback is, what makes it
acceptable, and when it must be answered.

A feedback is one of four kinds (咨询/建议/投诉/表扬) with a subject and a text of bounded
length, and may carry a telephone number to call back on. It is open (待答复) until staff
of the submitter's district reply, which closes it (已答复). The reply is due the
bureau's number of working days after the day it was submitted (the setting
``feedback_reply_working_days``), the submission day not counted; holidays are skipped
and make-up working days counted (``platform.workdays``).

All functions are pure.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from minsheng.platform.errors import FieldError
from minsheng.platform.workdays import Deadline, HolidayCalendar, add_workdays


class Kind(StrEnum):
    INQUIRY = "inquiry"
    SUGGESTION = "suggestion"
    COMPLAINT = "complaint"
    PRAISE = "praise"


KIND_LABELS: dict[str, str] = {Kind.INQUIRY: "咨询", Kind.SUGGESTION: "建议",
                               Kind.COMPLAINT: "投诉", Kind.PRAISE: "表扬"}


class State(StrEnum):
    OPEN = "open"
    REPLIED = "replied"


STATE_LABELS: dict[str, str] = {State.OPEN: "待答复", State.REPLIED: "已答复"}

#: Length limits, in characters, of what is typed (spaces at either end not counted).
SUBJECT_MIN, SUBJECT_MAX = 2, 60
TEXT_MIN, TEXT_MAX = 10, 1000
REPLY_MIN, REPLY_MAX = 5, 1000

#: A mainland mobile number, or a landline with its area code (an extension allowed).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normal_phone(text: str) -> str | None:
    """``text`` as a telephone number to call back on (spaces dropped), or ``None`` when
    it cannot be one: an 11-digit mobile number (1[3-9]…) or a landline with its area
    code, e.g. ``023-63891234``."""
    cleaned = "".join(text.split())
    if _MOBILE.match(cleaned) or _LANDLINE.match(cleaned):
        return cleaned
    return None


def _length(field: str, label: str, text: str, low: int, high: int) -> FieldError | None:
    n = len(text.strip())
    if n == 0:
        return FieldError(field, f"请填写{label}", f"{field} is required")
    if n < low:
        return FieldError(field, f"{label}至少 {low} 个字（现为 {n} 个字）",
                          f"{field} needs at least {low} characters (has {n})")
    if n > high:
        return FieldError(field, f"{label}最多 {high} 个字（现为 {n} 个字）",
                          f"{field} takes at most {high} characters (has {n})")
    if "\x00" in text:
        return FieldError(field, f"{label}含有无法识别的字符", f"{field} holds a NUL character")
    return None


def submission_problems(kind: str, subject: str, text: str, phone: str) -> list[FieldError]:
    """Every problem of a submission, one per field (empty: acceptable)."""
    problems: list[FieldError] = []
    if kind not in KIND_LABELS:
        problems.append(FieldError("kind", "请选择咨询、建议、投诉或表扬",
                                   "kind is one of inquiry, suggestion, complaint, praise"))
    for found in (_length("subject", "主题", subject, SUBJECT_MIN, SUBJECT_MAX),
                  _length("text", "内容", text, TEXT_MIN, TEXT_MAX)):
        if found is not None:
            problems.append(found)
    if phone.strip() and normal_phone(phone) is None:
        problems.append(FieldError(
            "phone", "请填写 11 位手机号码或带区号的固定电话（如 023-63891234）",
            "an 11-digit mobile number or a landline with its area code"))
    return problems


def reply_problem(reply: str) -> FieldError | None:
    return _length("reply", "答复意见", reply, REPLY_MIN, REPLY_MAX)


def reply_due(submitted_on: date, working_days: int, cal: HolidayCalendar) -> Deadline:
    """The reply's deadline: the ``working_days``-th working day after submission."""
    return add_workdays(submitted_on, working_days, cal)


def is_overdue(state: str, due_on: date, today: date) -> bool:
    """Not yet answered and past its deadline (the due day itself is still in time)."""
    return state == State.OPEN and today > due_on


def replied_in_time(due_on: date, replied_on: date) -> bool:
    return replied_on <= due_on
