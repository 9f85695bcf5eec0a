"""Personnel-file rules (人事档案): the ten classes of a file's material, the transfer of a
file between custodians with dispatch and receipt confirmation, the receipt deadline in
working days, the items a file lacks, the checksum of a scanned item.

Sources:

- 《干部人事档案工作条例》（中共中央办公厅，2018年11月）: a file's material is arranged
  in ten classes (第一类 履历材料 … 第十类 其他可供组织参考的材料); files are transferred
  between custodians (转递) by confidential mail or by hand, never by the person
  concerned, and the receiving custodian returns a receipt (回执). The class list here
  follows that catalogue; which classes a file must hold (the 必备材料) is dated data
  (``FileRequiredItem``), not code.
- 《流动人员人事档案管理服务规定》（人社部等五部门，2021）: the public talent-service
  centres (公共就业和人才服务机构) keep the files of mobile people and transfer them on
  request. The receipt deadline (``FileTransferSetting.receipt_days``) is a setting kept
  as dated data, marked unconfirmed: we found no national number of working days.
- A transfer between provinces (重庆 ⇄ 四川) later goes over the cross-province link
  (issue 15): a custodian on another node carries that node's code (``peer_node``).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from minsheng.platform.workdays import HolidayCalendar, add_workdays

#: The ten classes of a file's material (干部人事档案工作条例, 2018, 档案内容).
FILE_CATEGORIES: dict[int, str] = {
    1: "履历材料",
    2: "自传和思想材料",
    3: "考核鉴定材料",
    4: "学历学位、专业技术职务（职称）、学术评鉴和教育培训材料",
    5: "政审、审计和审核材料",
    6: "党、团材料",
    7: "表彰奖励材料",
    8: "违规违纪违法处理处分材料",
    9: "工资、任免、出国和会议代表等材料",
    10: "其他可供组织参考的材料",
}

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class TransferState(StrEnum):
    DISPATCHED = "dispatched"   # 已转出，在途
    RECEIVED = "received"       # 已接收（回执已确认）


TRANSFER_STATE_LABELS = {TransferState.DISPATCHED: "在途（待接收）",
                         TransferState.RECEIVED: "已接收"}


class Refusal(StrEnum):
    """Why a transfer may not be dispatched."""

    SAME_CUSTODIAN = "same_custodian"
    IN_TRANSIT = "in_transit"
    NOT_HELD = "not_held"


def transfer_refusal(holding_custodian: int | None, to_custodian: int,
                     in_transit: bool) -> Refusal | None:
    """Whether a file may be sent from the custodian holding it to ``to_custodian``:
    a file is transferred only by the custodian that holds it (no open custody: refused),
    never while an earlier transfer is still in transit (the receipt not yet returned),
    and never to the custodian already holding it (条例: 转递 is between two custodians)."""
    if holding_custodian is None:
        return Refusal.NOT_HELD
    if in_transit:
        return Refusal.IN_TRANSIT
    if holding_custodian == to_custodian:
        return Refusal.SAME_CUSTODIAN
    return None


def receipt_due(dispatched_on: date, receipt_days: int, cal: HolidayCalendar) -> date:
    """The day the receiving custodian's receipt is due: ``receipt_days`` working days
    after dispatch (the day of dispatch not counted; a period ending on a day off moves
    to the next working day)."""
    return add_workdays(dispatched_on, receipt_days, cal).due_date


def is_overdue(due: date, received_on: date | None, today: date) -> bool:
    """A transfer is overdue when its receipt is not confirmed by the end of the due day."""
    return received_on is None and today > due


def missing_categories(required: set[int], present: set[int]) -> list[int]:
    """The required classes of material a file does not hold, in class order."""
    return sorted(required - present)


def valid_checksum(text: str) -> bool:
    """A SHA-256 checksum written as 64 lowercase hexadecimal digits."""
    return _SHA256.fullmatch(text) is not None


def peer_node(from_region: str, to_region: str, from_node: str | None,
              to_node: str | None) -> str | None:
    """The other node a transfer crosses to, if any: a custodian of another province
    (四川 ``51``) carries its node code; a transfer whose two custodians lie in different
    provinces goes over the cross-province link (issue 15) to that node."""
    if from_region[:2] == to_region[:2]:
        return None
    return to_node or from_node or to_region[:2]


def transfer_number(node: str, year: int, transfer_id: int) -> str:
    """``CQDA2026000000123``: node, 档案 (DA), year, serial."""
    return f"{node.upper()}DA{year}{transfer_id:09d}"
