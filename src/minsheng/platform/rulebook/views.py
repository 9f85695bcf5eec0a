"""The rulebook read for people: what is in force, for the page and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from minsheng.platform import regions
from minsheng.platform.rulebook import SOURCE_STATUS_LABELS, in_force_everywhere


@dataclass(frozen=True)
class ParameterRow:
    region: str
    span: str
    values: list[tuple[str, str]]
    source: str
    status: str
    status_label: str


@dataclass(frozen=True)
class ParameterView:
    label: str
    rows: list[ParameterRow]


def prefix_name(prefix: str) -> str:
    """``"50"`` → 重庆市, ``"500103"`` → 渝中区, ``""`` → 全国."""
    if not prefix:
        return "全国"
    name = regions.name_of(prefix.ljust(6, "0"))
    return f"{name}（{prefix}）" if name else prefix


def rulebook_in_force(session: Session, period: int, region: str = "") -> list[ParameterView]:
    """Every regional parameter with the rows in force in ``period`` (for ``region``
    only the rows that apply there)."""
    return [ParameterView(model.rulebook_label, [
        ParameterRow(prefix_name(r.region_prefix), r.span_text, r.rulebook_values(), r.source,
                     r.source_status, SOURCE_STATUS_LABELS.get(r.source_status, r.source_status))
        for r in rows]) for model, rows in in_force_everywhere(session, period, region)]
