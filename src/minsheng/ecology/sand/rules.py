"""Surplus sand and gravel (剩余砂石) rules. No I/O.

Sources (``reference/ecology-and-performance.md`` §1.5):

- 自然资发〔2023〕57号 (as cited by a Linyi notice): sand, stone and earth dug by an
  approved construction project need no mining registration; the project may use them;
  any **surplus** is sold by the county-level (or higher) government on the
  public-resource trading platform, never by the project unit.
- Linyi: an expert-reviewed utilisation plan and volume estimate, then a public notice
  of **5 working days** (a local rule, ◐): the default is dated data
  (``SandNoticeRule``, looked up for the case's region and month); a case may set its
  own.
- Quanzhou splits revenue 3:7 between city and county: splits differ by place, so each
  case records its own city share; nothing here guesses one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from minsheng.platform.errors import Conflict, invalid_field

PPM = 1_000_000


def surplus_volume(estimated_m3: Decimal, project_use_m3: Decimal) -> Decimal:
    """Surplus = material dug inside the approved red line − what the project uses."""
    if estimated_m3 <= 0:
        raise invalid_field("estimated_volume_m3", "估算方量应大于0", "must be positive")
    if project_use_m3 < 0:
        raise invalid_field("project_use_m3", "项目自用方量不能为负", "must not be negative")
    if project_use_m3 > estimated_m3:
        raise invalid_field("project_use_m3", "项目自用方量不能超过估算开挖方量",
                            "project use cannot exceed the estimated volume")
    return estimated_m3 - project_use_m3


def split_revenue(revenue: Decimal, city_share_ppm: int) -> tuple[Decimal, Decimal]:
    """(city, district) amounts: the city's share rounded half up to the fen, the district
    gets the rest, so the two always add up to the revenue exactly."""
    if revenue <= 0:
        raise invalid_field("revenue", "成交价款应大于0", "revenue must be positive")
    if not 0 <= city_share_ppm <= PPM:
        raise invalid_field("city_share_percent", "市级分成比例应在0～100%之间",
                            "the city share must lie within 0-100 %")
    city = (revenue * city_share_ppm / PPM).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return city, revenue - city


def check_auction_after_notice(notice_end_ok: bool, notice_end_label: str) -> None:
    """No auction before the public notice has run its full period."""
    if not notice_end_ok:
        raise Conflict(f"公示期至 {notice_end_label} 结束，期满后方可挂牌出让",
                       f"the public notice runs until {notice_end_label}; auction after it")
