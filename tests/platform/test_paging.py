"""The paging kit of the staff lists: sort orders read from the query string (an unknown
key falls back to the default, never an error nor SQL), the page numbers a pager shows,
and the pager and sort header templates that keep a list's other filters in their links."""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session

from minsheng.platform.paging import (
    Listing,
    Sort,
    Sorting,
    page_window,
    query_pairs,
    with_params,
)
from minsheng.platform.web.templating import templates

# A table of our own for the ORDER BY tests (created in the test's connection only).
_meta = MetaData()
_fruit = Table("paging_test_fruit", _meta, Column("id", Integer, primary_key=True),
               Column("name", String(20)), Column("weight", Integer))

SORTING = Sorting({"name": _fruit.c.name, "weight": _fruit.c.weight}, default="weight",
                  default_descending=True, tie_breakers=[_fruit.c.id])


class TestSortParsing:
    @pytest.mark.parametrize(("text", "expected"), [
        ("name", Sort("name")),
        ("-name", Sort("name", descending=True)),
        (" weight ", Sort("weight")),
        ("-weight", Sort("weight", descending=True)),
    ])
    def test_an_allowed_key_in_either_direction(self, text: str, expected: Sort) -> None:
        assert SORTING.parse(text) == expected

    @pytest.mark.parametrize("text", [
        "", None, "-", "--name", "colour", "Name", "name desc", "name;drop table person",
        "1", "-id", "weight,name", "\x00",
    ])
    def test_anything_else_is_the_default_order(self, text: str | None) -> None:
        assert SORTING.parse(text) == Sort("weight", descending=True)

    @given(st.text(max_size=40))
    def test_any_text_gives_an_allowed_order(self, text: str) -> None:
        sort = SORTING.parse(text)
        assert sort.key in SORTING.keys
        # Its parameter reads back as the same order.
        assert SORTING.parse(sort.param) == sort

    def test_a_header_click_toggles_the_current_key_else_ascends(self) -> None:
        assert Sort("name").toggled("name") == Sort("name", descending=True)
        assert Sort("name", descending=True).toggled("name") == Sort("name")
        assert Sort("name", descending=True).toggled("weight") == Sort("weight")

    def test_the_default_key_must_be_allowed(self) -> None:
        with pytest.raises(ValueError):
            Sorting({"name": _fruit.c.name}, default="weight")


class TestOrderInTheDatabase:
    @pytest.fixture
    def fruit(self, session: Session) -> Session:
        connection = session.connection()
        _meta.create_all(connection)
        connection.execute(insert(_fruit), [
            {"id": 1, "name": "梨", "weight": 3}, {"id": 2, "name": "桃", "weight": 9},
            {"id": 3, "name": "杏", "weight": 3}, {"id": 4, "name": "枣", "weight": 1}])
        return session

    def _ids(self, session: Session, text: str) -> list[int]:
        stmt = SORTING.apply(select(_fruit.c.id).order_by(_fruit.c.name), SORTING.parse(text))
        return list(session.scalars(stmt))

    def test_each_order_with_ties_by_id(self, fruit: Session) -> None:
        rows = {r.id: r for r in fruit.execute(select(_fruit))}
        ascending = self._ids(fruit, "weight")
        assert [rows[i].weight for i in ascending] == sorted(r.weight for r in rows.values())
        assert ascending.index(1) < ascending.index(3)  # equal weights: by id
        assert self._ids(fruit, "-weight")[0] == 2
        assert self._ids(fruit, "bogus") == self._ids(fruit, "-weight")
        names = [rows[i].name for i in self._ids(fruit, "-name")]
        assert names == sorted(names, reverse=True)


class TestPageWindow:
    def test_the_ends_and_the_pages_around_the_current_one(self) -> None:
        assert page_window(6, 20) == [1, None, 4, 5, 6, 7, 8, None, 20]
        assert page_window(1, 1) == [1]
        assert page_window(1, 20) == [1, 2, 3, None, 20]
        assert page_window(20, 20) == [1, None, 18, 19, 20]
        # A gap of one page shows that page rather than "…".
        assert page_window(5, 9) == [1, 2, 3, 4, 5, 6, 7, 8, 9]

    @given(st.integers(min_value=-5, max_value=10_000), st.integers(min_value=-5, max_value=10_000),
           st.integers(min_value=0, max_value=5))
    def test_any_page_and_count_give_a_valid_window(self, page: int, pages: int,
                                                    radius: int) -> None:
        window = page_window(page, pages, radius)
        numbers = [n for n in window if n is not None]
        last = max(1, pages)
        current = min(max(page, 1), last)
        assert current in numbers
        assert numbers[0] == 1 and numbers[-1] == last
        assert numbers == sorted(set(numbers))  # ascending, no repeats
        assert all(1 <= n <= last for n in numbers)
        # Every page within the radius is offered; a gap stands for two pages or more.
        assert set(range(max(1, current - radius), min(last, current + radius) + 1)) <= set(numbers)
        for before, gap, after in zip(window, window[1:], window[2:], strict=False):
            if gap is None:
                assert before is not None and after is not None and after - before > 2
        assert window[0] is not None and window[-1] is not None
        assert len(window) <= 2 * radius + 5


class TestQueryParams:
    def test_set_replace_and_drop(self) -> None:
        query = "show=all&cq=%E5%BC%A0&csort=name&cpage=3"
        changed = parse_qs(with_params(query, csort="-amount", cpage=None))
        assert changed == {"show": ["all"], "cq": ["张"], "csort": ["-amount"]}
        assert query_pairs(query)[1] == ("cq", "张")
        assert with_params("", sort="name") == "sort=name"


def _render(source: str, **context: Any) -> str:
    return templates.env.from_string(source).render(**context)


class _Request:
    class url:  # stands for starlette's request.url
        path = "/somewhere"


class TestPagerTemplate:
    def _pager(self, page: int, pages: int, **extra: Any) -> str:
        listing = Listing(rows=[], total=pages * 50, page=page, pages=pages)
        return html.unescape(_render('{% include "_pager.html" %}', listing=listing,
                                     request=_Request, query="q=%E7%8E%8B&sort=-amount",
                                     **extra))

    def test_numbered_pages_keep_the_filters_and_the_total(self) -> None:
        text = self._pager(6, 20, base="/list", export_url="/list.xlsx?sort=-amount")
        assert "共 1,000 条" in text and "第 6 / 20 页" in text
        assert 'aria-current="page"' in text and ">6</span>" in text
        for n in (1, 4, 5, 7, 8, 20):
            assert f'href="/list?q=%E7%8E%8B&sort=-amount&page={n}"' in text
        assert "page=3\"" not in text and "…" in text
        assert 'href="/list.xlsx?sort=-amount"' in text

    def test_the_jump_form_carries_the_other_parameters(self) -> None:
        text = self._pager(2, 3, base="/list", target="results", page_param="cpage")
        assert "跳转到第" in text and 'name="cpage"' in text and 'max="3"' in text
        assert '<input type="hidden" name="q" value="王">' in text
        assert '<input type="hidden" name="sort" value="-amount">' in text
        assert 'hx-target="#results"' in text

    def test_one_page_shows_the_total_only(self) -> None:
        text = self._pager(1, 1)
        assert "共 50 条" in text and "跳转" not in text and "下一页" not in text


class TestSortHeader:
    def test_the_link_keeps_the_filters_toggles_and_restarts_at_page_one(self) -> None:
        text = _render(
            '{% import "_sort.html" as s %}{{ s.th("金额", "amount", sort, "/list", query, '
            'cls="num", param="asort", page_param="apage") }}',
            sort=Sort("amount", descending=True), query="q=%E7%8E%8B&asort=-amount&apage=4")
        href = html.unescape(text.split('href="', 1)[1].split('"', 1)[0])
        parts = urlsplit(href)
        assert parts.path == "/list"
        assert parse_qs(parts.query) == {"q": ["王"], "asort": ["amount"]}
        assert 'aria-sort="descending"' in text and 'class="num"' in text


class TestFixedTerms:
    def test_a_fixed_term_keeps_its_direction_both_ways(self, session: Session) -> None:
        from minsheng.platform.paging import Fixed

        connection = session.connection()
        _meta.create_all(connection)
        connection.execute(insert(_fruit), [
            {"id": 1, "name": "梨", "weight": None}, {"id": 2, "name": "桃", "weight": 9},
            {"id": 3, "name": "杏", "weight": 3}])
        sorting = Sorting({"weight": [Fixed(_fruit.c.weight.is_(None)), _fruit.c.weight]},
                          default="weight", tie_breakers=[_fruit.c.id])
        up = list(session.scalars(sorting.apply(select(_fruit.c.id), sorting.parse("weight"))))
        down = list(session.scalars(sorting.apply(select(_fruit.c.id), sorting.parse("-weight"))))
        assert up == [3, 2, 1] and down == [2, 3, 1]  # no weight: last either way
