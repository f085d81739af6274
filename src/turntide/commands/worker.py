"""`turntide worker`: run background tasks and enqueue periodic jobs when they fall due."""

from __future__ import annotations

import argparse
import logging
import threading

from turntide.commands import Subparsers, django_setup, require_smtp_in_production

logger = logging.getLogger("turntide.worker")


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("worker", help="run the background task worker")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    parser.add_argument(
        "--batch", action="store_true", help="run what is queued and due now, then exit"
    )
    parser.add_argument("--no-scheduler", action="store_true", help="do not enqueue periodic jobs")
    parser.add_argument(
        "--scheduler-interval",
        type=float,
        default=30.0,
        help="seconds between checks for due periodic jobs",
    )
    parser.set_defaults(handler=run)


def make_worker(*, interval: float, batch: bool) -> object:
    from django.utils.crypto import get_random_string

    from turntide.worker import Worker

    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )


def run_scheduler(stop: threading.Event, every_seconds: float = 30.0) -> None:
    """Enqueue due periodic jobs until `stop` is set. Runs in the worker, never in web."""
    from django.db import close_old_connections

    from turntide.schedule.registry import enqueue_due

    while not stop.is_set():
        try:
            for name in enqueue_due():
                logger.debug("enqueued periodic job %s", name)
        except Exception:
            logger.exception("could not enqueue periodic jobs")
        finally:
            close_old_connections()
        stop.wait(every_seconds)


def run(args: argparse.Namespace) -> int:
    django_setup()
    require_smtp_in_production()
    from turntide.schedule.registry import enqueue_due

    worker = make_worker(interval=args.interval, batch=args.batch)
    if args.batch:
        if not args.no_scheduler:
            enqueue_due()
        worker.run()  # type: ignore[attr-defined]
        return 0
    stop = threading.Event()
    if not args.no_scheduler:
        threading.Thread(
            target=run_scheduler, args=(stop, args.scheduler_interval), daemon=True
        ).start()
    worker.configure_signals()  # type: ignore[attr-defined]
    try:
        worker.run()  # type: ignore[attr-defined]
    finally:
        stop.set()
    return 0
