"""The progress of a case (办件).

Chongqing's service apps follow each application under "我的办件" (the reference service
catalogue, `shared/reference/hrss-service-catalogue.md`, unemployment claim row). Issue 17
names the stages an applicant sees: received (已接收) → accepted (已受理) → decided
(已决定) → done (已办结), with dates and the office. The stages only move forward; a stage
may be passed in the same moment as the one before it (即办件: a counter service done
while the applicant waits). Which national standard fixes the stage names was not
confirmed, so the labels are the ones the issue gives.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum


class Stage(StrEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECIDED = "decided"
    DONE = "done"


#: The stages in order.
STAGES: tuple[Stage, ...] = (Stage.RECEIVED, Stage.ACCEPTED, Stage.DECIDED, Stage.DONE)

STAGE_LABELS: dict[str, str] = {
    Stage.RECEIVED: "已接收",
    Stage.ACCEPTED: "已受理",
    Stage.DECIDED: "已决定",
    Stage.DONE: "已办结",
}


class Outcome(StrEnum):
    APPROVED = "approved"
    REFUSED = "refused"


OUTCOME_LABELS: dict[str, str] = {Outcome.APPROVED: "准予", Outcome.REFUSED: "不予"}


def may_advance(current: str, new: str) -> bool:
    """Whether a case at stage ``current`` may move to ``new``: forward only, never to
    the stage it is at or back (a decision is not taken twice; a closed case stays
    closed)."""
    return STAGES.index(Stage(new)) > STAGES.index(Stage(current))


def stages_passed(stage: str) -> tuple[Stage, ...]:
    """The stages a case at ``stage`` has reached, in order (the progress bar)."""
    return STAGES[: STAGES.index(Stage(stage)) + 1]


_NUMBER = re.compile(r"^(CQ|SC)BJ(\d{8})(\d{8})$")


def case_number(node_id: str, filed_on: date, serial: int) -> str:
    """办件编号: the node (CQ/SC), ``BJ``, the filing date and an eight-digit serial,
    e.g. ``CQBJ2026120500000123``: unique across both nodes, sortable by day, and short
    enough to read out over the telephone."""
    return f"{node_id.upper()}BJ{filed_on:%Y%m%d}{serial:08d}"


def normal_case_number(text: str) -> str | None:
    """``text`` as a case number (spaces dropped, upper case), or ``None`` when it
    cannot be one."""
    cleaned = "".join(text.split()).upper()
    match = _NUMBER.match(cleaned)
    if match is None:
        return None
    try:
        date(int(match[2][:4]), int(match[2][4:6]), int(match[2][6:]))
    except ValueError:
        return None
    return cleaned
