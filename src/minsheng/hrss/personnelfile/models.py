"""Personnel-file records (人事档案): custodians (档案管理机构), the custody register
(which custodian holds whose file: one open custody per person), transfers between
custodians (转递: dispatched, then received on the receiving side's confirmation), the
digital index of a file's items (category, title, pages, the SHA-256 checksum of each
scanned item), and two dated settings: the receipt deadline and the required classes.

A custody's ``region`` is its custodian's district; staff see the files held in their
region, and, while in transit, the files sent to a custodian of their region.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.hrss.personnelfile.rules import FILE_CATEGORIES
from minsheng.platform.db import Base, Timestamped
from minsheng.platform.rulebook import RegionalParameter, parameter_checks


class FileCustodian(Timestamped, Base):
    """A custodian of personnel files (档案管理机构), e.g. a district's talent service
    centre (区人才服务中心)."""

    __tablename__ = "file_custodian"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(6), index=True)
    #: The node of another province the custodian belongs to (``sc`` 四川), or null for
    #: one of ours: a transfer to or from it goes over the cross-province link (issue 15,
    #: not built yet — such a transfer is recorded here with its ``peer_node``).
    peer_node: Mapped[str | None] = mapped_column(String(16), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class FileCustody(Timestamped, Base):
    """A span during which a custodian holds a person's file; open while ``until`` is
    null (at most one open span per person)."""

    __tablename__ = "file_custody"
    __table_args__ = (
        CheckConstraint("state IN ('held','in_transit','closed')", name="state"),
        CheckConstraint("(state = 'closed') = (until IS NOT NULL)", name="closed_until"),
        CheckConstraint("until IS NULL OR until >= since", name="span"),
        Index("uq_file_custody_open", "person_id", unique=True,
              sqlite_where=text("until IS NULL"), postgresql_where=text("until IS NULL")),
        Index("ix_file_custody_region_state", "region", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    custodian_id: Mapped[int] = mapped_column(ForeignKey("file_custodian.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    state: Mapped[str] = mapped_column(String(16), default="held")
    since: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class FileTransfer(Timestamped, Base):
    """A file sent from one custodian to another (转递): dispatched by the holding
    custodian's staff, received when the receiving custodian's staff confirm receipt."""

    __tablename__ = "file_transfer"
    __table_args__ = (
        CheckConstraint("state IN ('dispatched','received')", name="state"),
        CheckConstraint("(state = 'received') = (received_on IS NOT NULL)",
                        name="received_on"),
        CheckConstraint("from_custodian_id <> to_custodian_id", name="two_custodians"),
        Index("uq_file_transfer_in_transit", "person_id", unique=True,
              sqlite_where=text("state = 'dispatched'"),
              postgresql_where=text("state = 'dispatched'")),
        Index("ix_file_transfer_to_state", "to_region", "state"),
        Index("ix_file_transfer_from_state", "from_region", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    transfer_no: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    from_custodian_id: Mapped[int] = mapped_column(ForeignKey("file_custodian.id"))
    to_custodian_id: Mapped[int] = mapped_column(ForeignKey("file_custodian.id"))
    from_region: Mapped[str] = mapped_column(String(6))
    to_region: Mapped[str] = mapped_column(String(6))
    state: Mapped[str] = mapped_column(String(16), default="dispatched")
    dispatched_on: Mapped[date] = mapped_column(Date)
    receipt_due: Mapped[date] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: The other province's node for a cross-province transfer (issue 15), else null.
    peer_node: Mapped[str | None] = mapped_column(String(16), nullable=True)
    dispatched_by: Mapped[str] = mapped_column(String(64))
    received_by: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


_CATEGORIES = ",".join(str(c) for c in FILE_CATEGORIES)


class FileItem(Timestamped, Base):
    """One item of a file's digital index: its class, title, page count and the SHA-256
    checksum of the scanned image (the scan itself is kept by the archive store)."""

    __tablename__ = "file_item"
    __table_args__ = (
        CheckConstraint(f"category IN ({_CATEGORIES})", name="category"),
        CheckConstraint("pages BETWEEN 1 AND 10000", name="pages"),
        CheckConstraint("size_bytes >= 0", name="size"),
        Index("ix_file_item_person_category", "person_id", "category"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    category: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    pages: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(32))
    added_on: Mapped[date] = mapped_column(Date)
    added_by: Mapped[str] = mapped_column(String(64))


class FileTransferSetting(RegionalParameter, Base):
    """档案转递回执期限: working days within which the receiving custodian confirms."""

    __tablename__ = "file_transfer_setting"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_file_transfer_setting"),
        CheckConstraint("receipt_days BETWEEN 1 AND 365", name="receipt_days"),
        *parameter_checks(),
    )
    rulebook_label = "人事档案转递回执期限"
    rulebook_order = 300

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_days: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("回执期限", f"{self.receipt_days} 个工作日")]


class FileRequiredItem(RegionalParameter, Base):
    """档案必备材料: a class of material every file must hold (a table parameter: every
    row of the winning prefix and ``valid_from``)."""

    __tablename__ = "file_required_item"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", "category",
                         name="uq_file_required_item"),
        CheckConstraint(f"category IN ({_CATEGORIES})", name="category"),
        *parameter_checks(),
    )
    rulebook_label = "人事档案必备材料"
    rulebook_order = 301

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("必备材料", f"第{self.category}类 {FILE_CATEGORIES[self.category]}")]
