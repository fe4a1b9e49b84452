"""Queue Celery tasks after the commit so that a broker that is down never breaks a request.

Every task queued here has a periodic catch-up task (beat) that finds the work still undone in the
database and does it, or a failure callback that records the work as failed; a lost message
therefore delays the work but never loses it and never raises into the request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

#: What a broker that is down or unreachable raises when a task is queued.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    KombuOperationalError,
    RedisConnectionError,
    RedisTimeoutError,
    OSError,  # ConnectionRefusedError, socket timeouts, DNS failures
)

BrokerErrorCallback = Callable[[BaseException], object]


def enqueue(
    task: Any,
    *args: Any,
    on_broker_error: BrokerErrorCallback | None = None,
    **kwargs: Any,
) -> bool:
    """Queue ``task(*args, **kwargs)`` now; log a broker failure instead of raising it.

    Returns whether the task was handed to the broker. ``on_broker_error`` is called with the
    exception when it was not (e.g. to mark the work as failed where no periodic task catches up).
    """
    try:
        task.delay(*args, **kwargs)
    except BROKER_ERRORS as exc:
        logger.warning(
            "Could not queue %s%r: the broker is unreachable; the work stays pending.",
            getattr(task, "name", task),
            args,
            exc_info=True,
        )
        if on_broker_error is not None:
            on_broker_error(exc)
        return False
    return True


def enqueue_on_commit(
    task: Any,
    *args: Any,
    on_broker_error: BrokerErrorCallback | None = None,
    using: str | None = None,
    **kwargs: Any,
) -> None:
    """Queue ``task(*args, **kwargs)`` once the current transaction commits (see ``enqueue``)."""
    transaction.on_commit(
        partial(enqueue, task, *args, on_broker_error=on_broker_error, **kwargs), using=using
    )
