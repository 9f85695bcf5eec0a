"""How pages word dates relative to today."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minsheng.platform.web.templating import due_in, templates


@pytest.mark.parametrize(("days", "label"), [
    (0, "今天到期"), (1, "明天到期"), (2, "2 天后到期"), (31, "31 天后到期"),
    (-1, "已逾期 1 天"), (-45, "已逾期 45 天"),
])
def test_a_deadline_reads_as_people_say_it(days: int, label: str) -> None:
    assert due_in(days) == label


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_no_deadline_reads_zero_days_or_a_negative_count(days: int) -> None:
    label = due_in(days)
    assert re.search(r"(?<!\d)0 天", label) is None
    assert "-" not in label
    assert ("逾期" in label) == (days < 0)


def test_pages_reach_it_as_a_filter() -> None:
    assert templates.env.from_string("{{ 0 | due_in }}").render() == "今天到期"
