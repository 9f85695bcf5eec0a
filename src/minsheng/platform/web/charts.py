"""Chart data for the chart kit (``templates/_charts.html`` + ``static/js/charts.js``).

A page builds a chart's data with one of these functions and hands it to the template,
which renders it with ``{{ charts.chart(id, kind, data, label) }}``. The functions only
shape plain dicts and lists (the JSON contract documented at the top of ``charts.js``)
and turn ``Decimal`` into ``float``: chart figures are for display, the exact money
stays in the page's tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

Number = int | float | Decimal | None


def _num(value: Number) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def series(name: str, values: Iterable[Number], *, color: str = "") -> dict[str, Any]:
    """One series of a bar or line chart: its legend name and one value per category
    (``None`` where there is no figure); ``color`` (``#rrggbb``) overrides the palette."""
    out: dict[str, Any] = {"name": name, "values": [_num(v) for v in values]}
    if color:
        out["color"] = color
    return out


def bar(categories: Sequence[str], data: Sequence[dict[str, Any]], *,
        horizontal: bool = False, stack: bool = False, unit: str = "",
        digits: int = 0) -> dict[str, Any]:
    """A bar chart: ``categories`` along one axis, one bar per series and category.
    ``horizontal`` puts the categories down the side, the first at the top (district
    rankings); ``stack`` stacks the series; ``unit`` and ``digits`` format the values."""
    return {"categories": list(categories), "series": list(data), "horizontal": horizontal,
            "stack": stack, "unit": unit, "digits": digits}


def line(categories: Sequence[str], data: Sequence[dict[str, Any]], *,
         target: Number = None, target_label: str = "目标", unit: str = "",
         digits: int = 0) -> dict[str, Any]:
    """A trend: ``categories`` are the periods in order (years, months), one line per
    series; ``target`` draws a dashed line at that value named ``target_label``."""
    return {"categories": list(categories), "series": list(data), "target": _num(target),
            "target_label": target_label, "unit": unit, "digits": digits}


def gauge(value: Number, *, name: str, target: Number = None, unit: str = "%",
          minimum: Number = 0, maximum: Number = 100, digits: int = 1) -> dict[str, Any]:
    """A value on a dial from ``minimum`` to ``maximum`` (a rate in per cent by default),
    with a mark at ``target``; ``value`` ``None`` shows “—”."""
    return {"value": _num(value), "name": name, "target": _num(target), "unit": unit,
            "min": _num(minimum), "max": _num(maximum), "digits": digits}


def pie(items: Iterable[tuple[str, Number]], *, unit: str = "", digits: int = 0,
        colors: Sequence[str] = ()) -> dict[str, Any]:
    """Shares of a whole: ``(name, value)`` per slice; ``colors`` (``#rrggbb``, in the
    slices' order) override the palette."""
    slices: list[dict[str, Any]] = [{"name": name, "value": _num(value)}
                                    for name, value in items]
    for piece, color in zip(slices, colors, strict=False):
        piece["color"] = color
    return {"items": slices, "unit": unit, "digits": digits}
