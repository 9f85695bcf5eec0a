"""The stages of a case only move forward; case numbers are read back as written."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from minsheng.platform.cases import rules
from minsheng.platform.cases.rules import Stage

ORDER = ["received", "accepted", "decided", "done"]  # the order, written out here


@given(st.sampled_from(ORDER), st.sampled_from(ORDER))
def test_a_case_moves_forward_only(current: str, new: str) -> None:
    assert rules.may_advance(current, new) == (ORDER.index(new) > ORDER.index(current))


@given(st.sampled_from(ORDER))
def test_the_stages_passed_end_at_the_stage(stage: str) -> None:
    passed = rules.stages_passed(stage)
    assert [str(s) for s in passed] == ORDER[: ORDER.index(stage) + 1]


def test_every_stage_has_a_chinese_label() -> None:
    assert [rules.STAGE_LABELS[s] for s in rules.STAGES] == ["已接收", "已受理", "已决定", "已办结"]
    assert rules.STAGES[0] is Stage.RECEIVED


@given(st.sampled_from(["cq", "sc"]), st.dates(date(2000, 1, 1), date(2099, 12, 31)),
       st.integers(1, 99_999_999))
def test_a_case_number_reads_back(node: str, day: date, serial: int) -> None:
    number = rules.case_number(node, day, serial)
    assert len(number) == 20 and number.startswith(node.upper() + "BJ")
    assert rules.normal_case_number(number) == number
    spaced = " ".join(number[i:i + 4] for i in range(0, 20, 4)).lower()
    assert rules.normal_case_number(spaced) == number


def test_what_cannot_be_a_case_number() -> None:
    assert rules.normal_case_number("CQBJ2026023100000001") is None  # 31 February
    assert rules.normal_case_number("XXBJ2026120500000001") is None
    assert rules.normal_case_number("CQBJ202612050000001") is None  # a digit short
    assert rules.normal_case_number("") is None
