"""What the person history (变更记录) reads of personnel files: a person's custody,
transfers and file items, and each audited action in Chinese."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile.models import FileCustody, FileItem, FileTransfer
from minsheng.platform.security.history import HistorySource


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """A person's custody records, transfers and file items (audited by id); reads of the
    whole file are audited on the person."""
    return [(subject, session.scalars(select(model.id).where(model.person_id == person_id)))
            for subject, model in (("file_custody", FileCustody),
                                   ("file_transfer", FileTransfer), ("file_item", FileItem))]


HISTORY = HistorySource(
    labels={"personnelfile.custody_open": "人事档案建立存档",
            "personnelfile.file_read": "查阅人事档案",
            "personnelfile.item_add": "人事档案归入材料",
            "personnelfile.transfer_dispatch": "人事档案转出",
            "personnelfile.transfer_receive": "人事档案接收",
            "personnelfile.transfer_sent": "人事档案跨省转出（已发送）",
            "personnelfile.transfer_arrived": "人事档案跨省转入（已到达）",
            "personnelfile.receipt_sent": "人事档案接收回执已发送",
            "personnelfile.receipt_arrived": "人事档案接收回执已到达"},
    fields={"transfer_no": "转递编号", "since": "存档日期", "receipt_due": "回执时限",
            "pages": "页数", "items": "材料件数"},
    subjects=person_subjects)
