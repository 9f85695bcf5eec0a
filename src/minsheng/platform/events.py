"""Typed in-process events: how one domain's change sets off consequences in others.

The domain where something happens publishes an event; domains that must react subscribe
a handler in their declaration (``domain.py``), and the app wires the subscriptions once
at start-up. Handlers run synchronously, in the publisher's unit of work, in the order the
domains declare (``Domain.order``), so a failing handler rolls the whole change back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from minsheng.platform.security.principal import Principal


@dataclass(frozen=True)
class Event:
    """Base of every event."""


@dataclass(frozen=True)
class PersonDied(Event):
    """A person's death was recorded (死亡登记): benefits stop, the card is closed,
    open registrations end."""

    person_id: int
    death_date: date


@dataclass(frozen=True)
class PersonPlaced(Event):
    """A person was placed in work (就业登记) on ``placed_date``: an open unemployment
    registration ends as re-employed."""

    person_id: int
    placed_date: date


E = TypeVar("E", bound=Event)
Handler = Callable[[Session, Principal, E], None]


@dataclass(frozen=True)
class Subscription(Generic[E]):
    """``handler`` runs whenever an event of type ``event`` is published."""

    event: type[E]
    handler: Handler[E]


_handlers: dict[type[Event], list[Handler[Any]]] = {}


def subscribe(subscription: Subscription[Any]) -> None:
    """Add a handler (once: subscribing the same handler again changes nothing)."""
    handlers = _handlers.setdefault(subscription.event, [])
    if subscription.handler not in handlers:
        handlers.append(subscription.handler)


def publish(session: Session, actor: Principal, event: Event) -> int:
    """Run every handler of the event's type in the caller's unit of work; returns how
    many ran."""
    handlers = _handlers.get(type(event), [])
    for handler in handlers:
        handler(session, actor, event)
    return len(handlers)


def handlers_of(event: type[Event]) -> list[Handler[Any]]:
    """The handlers wired for an event type, in the order they run."""
    return list(_handlers.get(event, []))
