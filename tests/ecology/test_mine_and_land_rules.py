"""Mine status changes, red-line overlaps and land-consolidation area limits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.ecology.land import rules as land_rules
from minsheng.ecology.mines import rules as mine_rules
from minsheng.platform.errors import RuleViolation

statuses = st.sampled_from(["operating", "suspended", "closed", "abandoned"])


class TestMineStatus:
    @given(statuses)
    def test_closing_needs_a_closure_record(self, current: str) -> None:
        assert mine_rules.status_change_refusal(current, "closed") is not None

    @given(statuses.filter(lambda s: s != "closed"))
    def test_a_closed_mine_stays_closed(self, new: str) -> None:
        refusal = mine_rules.status_change_refusal("closed", new)
        assert refusal is not None and "关闭" in refusal[0]

    @given(statuses.filter(lambda s: s != "closed"), statuses.filter(lambda s: s != "closed"))
    def test_open_mines_change_freely(self, current: str, new: str) -> None:
        assert mine_rules.status_change_refusal(current, new) is None

    @given(st.floats(min_value=0, max_value=1e9), st.floats(min_value=0, max_value=1e9))
    def test_a_larger_overlap_is_never_less_inside(self, a: float, b: float) -> None:
        small, large = sorted((a, b))
        assert mine_rules.inside_red_line(large) >= mine_rules.inside_red_line(small)

    def test_touching_boundaries_are_not_inside(self) -> None:
        assert not mine_rules.inside_red_line(0.0)
        assert not mine_rules.inside_red_line(0.01)
        assert mine_rules.inside_red_line(1.0)


class TestFarmland:
    # 20,000 m² = 2 ha = 30 亩
    AREA_M2 = 20_000.0

    @given(st.decimals(min_value=0, max_value=30, places=2),
           st.decimals(min_value=0, max_value=30, places=2))
    def test_figures_within_the_area_pass(self, new: Decimal, farmland: Decimal) -> None:
        land_rules.check_farmland(self.AREA_M2, new, farmland)

    @given(st.decimals(min_value=Decimal("30.01"), max_value=10_000, places=2))
    def test_new_cultivated_land_above_the_area_is_refused(self, new: Decimal) -> None:
        with pytest.raises(RuleViolation) as refused:
            land_rules.check_farmland(self.AREA_M2, new, Decimal("0"))
        assert [e.field for e in refused.value.errors] == ["new_cultivated_mu"]
