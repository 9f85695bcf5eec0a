"""The shape of the code: every domain has the same modules, domains import each other
only through their public service, and no two domains import each other in a circle."""

from __future__ import annotations

import importlib
import itertools
from pathlib import Path

import grimp
import pytest

from minsheng.app.assembly import assemble, domains
from minsheng.platform import events
from minsheng.platform.domain import Domain

#: What every HRSS and ecology domain folder holds (``service`` may be a package).
AGREED = ("domain", "models", "rules", "service", "schemas", "api", "pages")
#: Agreed exceptions, with the reason.
EXCEPTIONS = {
    ("overview", "models"): "the ecology overview owns no tables; it reads the others",
}


def _folder(domain: Domain) -> Path:
    module = importlib.import_module(f"{_package(domain)}.domain")
    assert module.__file__ is not None
    return Path(module.__file__).parent


def _package(domain: Domain) -> str:
    for group in ("minsheng.hrss", "minsheng.ecology", "minsheng.platform"):
        try:
            importlib.import_module(f"{group}.{domain.name}.domain")
        except ModuleNotFoundError:
            continue
        return f"{group}.{domain.name}"
    raise AssertionError(f"no package for domain {domain.name}")


def _business_domains() -> list[Domain]:
    return [d for d in domains() if not _package(d).startswith("minsheng.platform")]


@pytest.mark.parametrize("domain", _business_domains(), ids=lambda d: d.name)
def test_every_domain_has_the_agreed_modules(domain: Domain) -> None:
    folder = _folder(domain)
    missing = [name for name in AGREED
               if (domain.name, name) not in EXCEPTIONS
               and not (folder / f"{name}.py").is_file()
               and not (folder / name / "__init__.py").is_file()]
    assert missing == [], f"{domain.name} lacks {missing}"
    if domain.pages:
        assert domain.templates is not None and domain.templates.is_dir()


def test_domains_are_found_without_a_list() -> None:
    names = {d.name for d in domains()}
    for group in ("hrss", "ecology"):
        root = Path(importlib.import_module(f"minsheng.{group}").__path__[0])
        folders = {p.parent.name for p in root.glob("*/domain.py")}
        assert folders <= names
        assert folders, f"no domain found under minsheng.{group}"


def _domain_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] in ("hrss", "ecology") and parts[2] != "kernel":
        return ".".join(parts[:3])
    return None


def test_no_import_cycle_between_domains() -> None:
    graph = grimp.build_graph("minsheng")
    edges: set[tuple[str, str]] = set()
    for module in graph.modules:
        source = _domain_of(module)
        for imported in graph.find_modules_directly_imported_by(module):
            target = _domain_of(imported)
            if source and target and source != target:
                edges.add((source, target))
    cycles = sorted((a, b) for a, b in edges if (b, a) in edges and a < b)
    assert cycles == []
    # Longer cycles: no domain reaches itself through others.
    packages = {d for edge in edges for d in edge}
    reach = {p: {b for a, b in edges if a == p} for p in packages}
    for _ in packages:
        for p, q in itertools.product(packages, packages):
            if q in reach[p]:
                reach[p] |= reach[q]
    assert sorted(p for p in packages if p in reach[p]) == []


def test_a_death_reaches_every_domain_that_subscribes() -> None:
    assemble()
    subscribed = {handler.__module__.split(".")[2]
                  for handler in events.handlers_of(events.PersonDied)}
    declared = {d.name for d in domains()
                if any(s.event is events.PersonDied for s in d.subscriptions)}
    assert subscribed == declared
    assert {"cards", "pension", "unemployment"} <= declared
