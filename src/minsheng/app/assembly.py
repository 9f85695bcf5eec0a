"""Finds every domain's declaration (``<domain>/domain.py``) and wires it once.

Domains live one level below ``minsheng.platform``, ``minsheng.hrss`` and
``minsheng.ecology``; a sub-package with a ``domain`` module is a domain. Adding a domain
means adding its folder: nothing here lists them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from minsheng.platform import events, extensions, indicators, summary, worklist
from minsheng.platform.domain import Domain
from minsheng.platform.exchange import kinds as envelope_kinds
from minsheng.platform.security import history
from minsheng.platform.web import links, templating
from minsheng.platform.web.templating import NavItem

#: Packages whose sub-packages may be domains.
DOMAIN_GROUPS = ("minsheng.platform", "minsheng.hrss", "minsheng.ecology")

#: The app's own navigation: the workbench and the counter's 川渝通办 page.
SHELL_NAV = (
    NavItem("工作台", "/", "home", order=0),
    NavItem("跨省通办", "/crossregion", "crossregion", "registry:read", order=96),
)


@cache
def domains() -> tuple[Domain, ...]:
    """Every declared domain, sorted by ``order`` (then name)."""
    found: list[Domain] = []
    for group in DOMAIN_GROUPS:
        package = importlib.import_module(group)
        for info in pkgutil.iter_modules(package.__path__):
            if not info.ispkg:
                continue
            name = f"{group}.{info.name}.domain"
            if importlib.util.find_spec(name) is None:
                continue
            declared = getattr(importlib.import_module(name), "DOMAIN", None)
            if not isinstance(declared, Domain):
                raise RuntimeError(f"{name} declares no DOMAIN = Domain(...)")
            found.append(declared)
    names = [d.name for d in found]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"two domains share a name: {sorted(duplicates)}")
    return tuple(sorted(found, key=lambda d: (d.order, d.name)))


@cache
def assemble() -> tuple[Domain, ...]:
    """Wire every domain once: event subscriptions, template folders, navigation,
    record-page links, extension points, scorecard indicators, envelope kinds, waiting work,
    person history and summary sources."""
    found = domains()
    for domain in found:
        for subscription in domain.subscriptions:
            events.subscribe(subscription)
        if domain.templates is not None:
            templating.add_template_folder(domain.name, domain.templates)
        templating.add_nav(*domain.nav)
        for source in domain.links:
            links.add_link_source(source)
        for name, provider in domain.provides.items():
            extensions.provide(name, provider)
        indicators.register(*domain.indicators)
        envelope_kinds.register(*domain.envelope_kinds)
        for work in domain.work:
            worklist.add_work_source(work)
        for declared in domain.history:
            history.add_history_source(declared)
        for section in domain.summary:
            summary.add_summary_source(section)
    templating.add_nav(*SHELL_NAV)
    return found
