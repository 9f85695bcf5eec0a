"""Mine rules as pure functions: which status changes are allowed, and when a mine lies
inside a red-line zone.

Sources: 矿产资源法 (2024 revision) art. 37–38 on closing mines and restoring the land, and
自然资源部 生态环境部 国家林业和草原局《关于加强生态保护红线管理的通知（试行）》
(自然资发〔2022〕142号), which has mining rights inside the ecological red line withdrawn
in an orderly way: a closed mine is not reopened.
"""

from __future__ import annotations

from typing import Final

#: Overlaps smaller than this (m²) are boundaries that only touch, not mines inside.
OVERLAP_TOLERANCE_M2: Final = 0.01
STATUSES: Final = ("operating", "suspended", "closed", "abandoned")


def status_change_refusal(current: str, new: str) -> tuple[str, str] | None:
    """Why a mine in status ``current`` may not be put in status ``new`` by a plain status
    change (Chinese, English), or ``None`` when it may. Closing needs a closure record
    (with its date and investment); a closed mine stays closed."""
    if new == "closed":
        return ("关闭矿山请登记关闭记录（含投入资金和日期）",
                "record a closure (with its investment and date) to close a mine")
    if current == "closed":
        return ("矿山已关闭，不能恢复为其他状态", "A closed mine stays closed")
    return None


def inside_red_line(overlap_m2: float) -> bool:
    """Whether an overlap with a red-line zone puts the mine inside it (touching
    boundaries do not)."""
    return overlap_m2 > OVERLAP_TOLERANCE_M2
