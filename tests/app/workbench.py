"""Reading the workbench's to-do list (待办事项) off the page, for the domains' tests."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Todo:
    count: int
    overdue: int
    href: str
    text: str


def todos(page: str) -> dict[str, Todo]:
    """Every to-do row on a workbench page, by its key."""
    found = {}
    for key, row in re.findall(r'data-testid="todo-([\w.]+)">(.*?)</li>', page, re.DOTALL):
        count = re.search(r'data-testid="todo-count">([\d,]+)<', row)
        overdue = re.search(r"已逾期 ([\d,]+) 件", row)
        href = re.search(r'href="([^"]+)"', row)
        assert count and href, row
        found[key] = Todo(int(count.group(1).replace(",", "")),
                          int(overdue.group(1).replace(",", "")) if overdue else 0,
                          href.group(1).replace("&amp;", "&"), re.sub(r"<[^>]+>", "", row))
    return found
