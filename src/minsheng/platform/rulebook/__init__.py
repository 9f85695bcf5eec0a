"""One rulebook: dated regional parameters and the lookup of the one in force.

A regional parameter (缴费基数与费率、失业保险金标准、领取期限阶梯、居民养老缴费档次、
政府代缴比例 …) is published for a region — a GB/T 2260 code prefix: ``"50"`` is
Chongqing, ``"500103"`` one district — from a month on (``valid_from``, ``YYYYMM``) up to
and including a month (``valid_to``; open when null). Every row cites its ``source`` and
how sure we are of it (``source_status``): DESIGN.md's rule that a value we could not
confirm is a setting an administrator keeps, not a guess in code.

The value in force for a region and a month: among the rows whose prefix covers the
region and whose span covers the month, the longest prefix wins, then the latest
``valid_from``. A parameter that is a table (a ladder, a set of grades) is every row that
shares the winning prefix and ``valid_from``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from sqlalchemy import CheckConstraint, ColumnElement, Integer, String, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from minsheng.platform.months import label

SOURCE_STATUS_LABELS = {"confirmed": "已核实", "secondary": "单一来源", "unconfirmed": "未核实"}
#: ✔ confirmed, ◐ one secondary source, ✘ unconfirmed (reference/hrss-rules.md).
SOURCE_STATUS_CHECK = ("source_status IN ("
                       + ",".join(f"'{s}'" for s in SOURCE_STATUS_LABELS) + ")")

#: A month no parameter reaches (the open end of ``valid_to`` in comparisons).
END_OF_TIME = 999_912


class RegionalParameter:
    """Columns every dated regional parameter shares (a declarative mixin).

    A model adds ``*parameter_checks()`` to its ``__table_args__``, names itself in
    ``rulebook_label`` and says what one row sets in :meth:`rulebook_values`.
    """

    rulebook_label: ClassVar[str]
    #: Sort order on the rulebook page.
    rulebook_order: ClassVar[int] = 100

    region_prefix: Mapped[str] = mapped_column(String(6))
    valid_from: Mapped[int] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str] = mapped_column(String(200))
    source_status: Mapped[str] = mapped_column(String(12), default="confirmed")

    def rulebook_values(self) -> list[tuple[str, str]]:
        """What this row sets, as (名称, 值) pairs for the rulebook page and CLI."""
        raise NotImplementedError

    @property
    def span_text(self) -> str:
        if self.valid_to is None:
            return f"{label(self.valid_from)} 起"
        return f"{label(self.valid_from)} 至 {label(self.valid_to)}"


def parameter_checks() -> tuple[CheckConstraint, ...]:
    """The constraints every regional parameter table carries."""
    return (CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_span"),
            CheckConstraint(SOURCE_STATUS_CHECK, name="source_status"))


P = TypeVar("P", bound=RegionalParameter)


def _in_force_at(model: type[P], period: int) -> list[ColumnElement[bool]]:
    return [model.valid_from <= period,
            or_(model.valid_to.is_(None), model.valid_to >= period)]


def most_specific(rows: Sequence[P], region: str) -> list[P]:
    """Of rows in force, those of the longest prefix covering ``region`` and, among
    them, the latest ``valid_from`` (several rows when the parameter is a table)."""
    matching = [r for r in rows if region.startswith(r.region_prefix)]
    if not matching:
        return []
    best = max((len(r.region_prefix), r.valid_from) for r in matching)
    return [r for r in matching if (len(r.region_prefix), r.valid_from) == best]


def resolver(session: Session, model: type[P], period: int,
             *criteria: ColumnElement[bool]) -> Callable[[str], list[P]]:
    """Load the rows of ``model`` in force in ``period`` once and return a function that
    picks the most specific for a region: for resolving many regions in a bulk job."""
    rows = list(session.scalars(select(model).where(*_in_force_at(model, period),
                                                    *criteria)))
    return lambda region: most_specific(rows, region)


def in_force(session: Session, model: type[P], region: str, period: int,
             *criteria: ColumnElement[bool]) -> list[P]:
    """Every row of the parameter in force for ``region`` in ``period``."""
    return resolver(session, model, period, *criteria)(region)


def one_in_force(session: Session, model: type[P], region: str, period: int,
                 *criteria: ColumnElement[bool]) -> P | None:
    """The single row in force for ``region`` in ``period``, or None."""
    rows = in_force(session, model, region, period, *criteria)
    return rows[0] if rows else None


def in_force_sql(model: type[RegionalParameter], column: str, region: str,
                 period: str) -> str:
    """A correlated SQL subquery giving ``column`` of the row in force for the region
    and month expressions ``region`` and ``period`` of the outer query (set-based
    paths: the payroll prices every month of every claim in one statement)."""
    table = model.__tablename__  # type: ignore[attr-defined]
    return (f"(SELECT r.{column} FROM {table} r "
            f"WHERE {region} LIKE r.region_prefix || '%' AND r.valid_from <= {period} "
            f"AND (r.valid_to IS NULL OR r.valid_to >= {period}) "
            "ORDER BY length(r.region_prefix) DESC, r.valid_from DESC LIMIT 1)")


def overlapping(session: Session, model: type[P], region_prefix: str, start: int,
                end: int | None, *criteria: ColumnElement[bool]) -> P | None:
    """A row of the same region whose span meets ``start``…``end`` (publishing a second
    value for the same region and months is a conflict, not a silent override)."""
    return session.scalars(select(model).where(
        model.region_prefix == region_prefix,
        or_(model.valid_to.is_(None), model.valid_to >= start),
        model.valid_from <= (end if end is not None else END_OF_TIME), *criteria)).first()


def parameter_models() -> list[type[RegionalParameter]]:
    """Every mapped regional parameter model imported so far, in rulebook order."""
    found: list[type[RegionalParameter]] = []
    pending: list[type[Any]] = list(RegionalParameter.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if "__tablename__" in vars(cls) and cls not in found:
            found.append(cls)
    return sorted(found, key=lambda m: (m.rulebook_order, m.rulebook_label))


def in_force_everywhere(session: Session, period: int,
                        region: str = "") -> list[tuple[type[RegionalParameter],
                                                        list[RegionalParameter]]]:
    """For the rulebook page: each parameter's rows in force in ``period`` for every
    region, or only the rows that apply to ``region``."""
    result = []
    for model in parameter_models():
        rows: list[RegionalParameter] = list(session.scalars(
            select(model).where(*_in_force_at(model, period))))
        if region:
            rows = most_specific(rows, region)
        rows.sort(key=lambda r: (r.region_prefix, -r.valid_from))
        result.append((model, rows))
    return result
