"""Named extension points: one domain's page shows what another domain provides, without
importing it (which would make the two import each other).

A domain declares ``provides={"ecology.mine_plan": plan_of_mine}`` in its ``domain.py``;
the app registers it; a page asks ``extensions.call("ecology.mine_plan", ...)`` and gets
the default when no domain provides the point. Names are ``<group>.<what>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[..., Any]] = {}


def provide(name: str, provider: Callable[..., Any]) -> None:
    """Register the provider of an extension point (one per point)."""
    known = _providers.get(name)
    if known is not None and known is not provider:
        raise RuntimeError(f"two providers for the extension point {name!r}")
    _providers[name] = provider


def call(name: str, *args: Any, default: Any = None, **kwargs: Any) -> Any:
    """The provider's answer, or ``default`` when no domain provides ``name``."""
    provider = _providers.get(name)
    return default if provider is None else provider(*args, **kwargs)
