"""What a domain declares to the app that assembles it.

Each domain package has a ``domain.py`` with one ``DOMAIN = Domain(...)``: its routers,
navigation entries, template folder, command group, models, the events it reacts to and
the links it puts on other domains' record pages, the extension points it provides
(``platform.extensions``) and the indicators it feeds to the scorecard
(``platform.indicators``), the envelopes it exchanges with the peer node
(``platform.exchange``), the work it puts on a staff member's workbench
(``platform.worklist``), how its audit events read in a person's history
(``platform.security.history``) and its sections of a person's summary
(``platform.summary``).
The app (``minsheng.app.assembly``) finds these declarations and wires them, so no shared
file lists the domains by hand and no domain knows the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import typer
from fastapi import APIRouter

from minsheng.platform.events import Subscription
from minsheng.platform.exchange.kinds import EnvelopeKind
from minsheng.platform.indicators import Indicator
from minsheng.platform.security.history import HistorySource
from minsheng.platform.summary import SummarySource
from minsheng.platform.web.links import LinkSource
from minsheng.platform.web.templating import NavItem
from minsheng.platform.worklist import WorkSource


@dataclass(frozen=True)
class Domain:
    """A domain's declaration.

    ``name`` is the domain's folder name and its templates' prefix; ``order`` sorts
    domains where order matters (navigation, event handlers, demo data).
    """

    name: str
    label: str
    order: int = 100
    models: ModuleType | None = None
    api: Sequence[APIRouter] = ()
    pages: Sequence[APIRouter] = ()
    nav: Sequence[NavItem] = ()
    templates: Path | None = None
    cli: Sequence[tuple[str, typer.Typer]] = ()
    subscriptions: Sequence[Subscription[Any]] = ()
    links: Sequence[LinkSource] = ()
    provides: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    demo: Callable[..., Any] | None = field(default=None)
    #: What the domain measures, for the scorecard (``<domain>/indicators.py``).
    indicators: Sequence[Indicator] = ()
    #: What the domain sends to and receives from a peer node (``platform.exchange``).
    envelope_kinds: Sequence[EnvelopeKind] = ()
    #: The work waiting for a staff member, for the workbench (``platform.worklist``).
    work: Sequence[WorkSource] = ()
    #: How the domain's audit events read in a person's history (``security.history``).
    history: Sequence[HistorySource] = ()
    #: The domain's sections of a person's summary PDF (``platform.summary``).
    summary: Sequence[SummarySource] = ()


def templates_beside(module_file: str) -> Path:
    """The ``templates/`` folder next to a domain's ``domain.py``."""
    return Path(module_file).resolve().parent / "templates"
