"""The delivery worker: ``minsheng exchange run`` in the foreground, or a thread of
``minsheng serve``. Each pass sends every due envelope; between passes it sleeps for the
poll interval (at once again while a pass found work)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform.config import Settings, get_settings
from minsheng.platform.exchange import service
from minsheng.platform.exchange.service import DeliveryReport


def run(factory: sessionmaker[Session], stop: threading.Event, *,
        settings: Settings | None = None,
        on_pass: Callable[[DeliveryReport], None] | None = None) -> None:
    settings = settings or get_settings()
    with httpx.Client(timeout=settings.exchange_timeout_seconds) as client:
        while not stop.is_set():
            try:
                report = service.deliver_due(factory, client, settings=settings)
            except Exception as exc:  # a database hiccup must not end the worker
                report = DeliveryReport(errors=[f"{type(exc).__name__}: {exc}"])
            if on_pass is not None:
                on_pass(report)
            if report.attempted == 0 or report.retrying == report.attempted:
                stop.wait(settings.exchange_poll_seconds)


def start_background(factory: sessionmaker[Session],
                     settings: Settings | None = None) -> threading.Event:
    """Start the worker in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=run, args=(factory, stop), kwargs={"settings": settings},
                     name="exchange-worker", daemon=True).start()
    return stop
