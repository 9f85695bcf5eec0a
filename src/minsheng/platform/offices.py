"""The office (经办机构) a staff account works for, as documents and printouts name it."""

from __future__ import annotations

from minsheng.platform import regions

#: The social-security bureau of a division: 渝中区人力资源和社会保障局.
HRSS_OFFICE = "人力资源和社会保障局"
#: The natural-resources bureau (生态修复与土地整治).
NR_OFFICE = "规划和自然资源局"


def office_name(region_code: str, *, natural_resources: bool = False) -> str:
    """The bureau of ``region_code`` (a GB/T 2260 code or prefix): the district's or the
    city's, ``渝中区人力资源和社会保障局``; a node-wide account (no region) works for
    the bureau as such."""
    bureau = NR_OFFICE if natural_resources else HRSS_OFFICE
    code = region_code.strip()
    if len(code) in (2, 4):
        code = code.ljust(6, "0")
    name = regions.name_of(code) if code else None
    return f"{name or ''}{bureau}"
