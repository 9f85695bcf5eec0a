"""Land-consolidation rules as pure functions.

Source: 《土地整治术语》(TD/T 1054-2018) — new cultivated land (新增耕地) and high-standard
farmland (高标准农田, GB/T 30600-2022) are built inside the consolidated area; areas are in
亩 (1 hectare = 15 亩).
"""

from __future__ import annotations

from decimal import Decimal

from minsheng.ecology.kernel import geometry
from minsheng.platform.errors import FieldError, RuleViolation


def check_farmland(area_m2: float, new_mu: Decimal, farmland_mu: Decimal) -> None:
    """New cultivated land and high-standard farmland are built inside the project, so
    neither exceeds the consolidated area (in 亩, 1 ha = 15 mu)."""
    limit = Decimal(repr(round(geometry.mu(area_m2), 2)))
    errors = [FieldError(name, f"{label} {value} 亩超过项目整治面积 {limit} 亩",
                         f"{value} mu exceeds the project's area of {limit} mu")
              for name, label, value in (("new_cultivated_mu", "新增耕地", new_mu),
                                         ("high_standard_farmland_mu", "高标准农田",
                                          farmland_mu))
              if value > limit]
    if errors:
        raise RuleViolation("面积指标超过项目整治面积", "Figures exceed the project area",
                            errors=errors)
