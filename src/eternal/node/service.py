"""The lifecycle every node shares, and the loop that drives it.

A node is a `Service`: `setup()` once (stake, join, start models), then `tick()` over and over
(follow the chain, move each job one step), `cleanup()` at the end. `run_service` owns the loop:
SIGTERM/SIGINT stop it after the current tick, and a failing tick (an RPC fault that outlived
its retries, a node restarting) is logged and retried with exponential backoff instead of
killing the node: nothing in a tick is lost, because every step is reconciled with the chain.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from typing import Protocol

from eternal.errors import EternalError

log = logging.getLogger(__name__)


class Service(Protocol):
    name: str

    def setup(self) -> None: ...

    def tick(self) -> None: ...

    def cleanup(self) -> None: ...


class Stopper:
    """Set by a signal or by another thread; the loop checks it between ticks."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def stop(self) -> None:
        self._event.set()

    @property
    def stopped(self) -> bool:
        return self._event.is_set()

    def sleep(self, seconds: float) -> None:
        self._event.wait(seconds)

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stop())


def run_service(
    service: Service,
    stopper: Stopper,
    *,
    interval: float = 1.0,
    max_backoff: float = 30.0,
    max_ticks: int | None = None,
) -> None:
    """setup, then tick every `interval` seconds until stopped, then cleanup (always)."""
    failures = 0
    ticks = 0
    try:
        service.setup()
        while not stopper.stopped and (max_ticks is None or ticks < max_ticks):
            started = time.monotonic()
            try:
                service.tick()
                failures = 0
            except EternalError as exc:
                failures += 1
                delay = min(max_backoff, interval * 2**failures)
                log.warning("%s: tick failed (%s); retrying in %.1f s", service.name, exc, delay)
                stopper.sleep(delay)
                continue
            ticks += 1
            stopper.sleep(max(0.0, interval - (time.monotonic() - started)))
    finally:
        service.cleanup()
