"""Concurrent requests on committed data: each in its own thread and unit of work,
started together and held open a moment, so that the database decides who wins."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform.db import unit_of_work
from minsheng.platform.errors import Conflict

#: Seconds each unit of work stays open after its service call.
HOLD = 0.3


def race(factory: sessionmaker[Session], **requests: Callable[[Session], object]
         ) -> dict[str, str]:
    """Run the requests in threads that start together; ``ok`` or ``conflict: …`` by
    name."""
    barrier = threading.Barrier(len(requests))
    outcomes: dict[str, str] = {}

    def run(name: str, request: Callable[[Session], object]) -> None:
        barrier.wait()
        try:
            with unit_of_work(factory) as s:
                request(s)
                time.sleep(HOLD)
            outcomes[name] = "ok"
        except Conflict as exc:
            outcomes[name] = f"conflict: {exc.message_en}"

    threads = [threading.Thread(target=run, args=item) for item in requests.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(outcomes) == len(requests), "a request did not finish"
    return outcomes
