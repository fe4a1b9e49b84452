"""Tasks queued on commit survive a broker that is down: the request succeeds, beat catches up."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from core.queueing import enqueue, enqueue_on_commit
from funding.models import Decision, FundingRequest, Letter, LetterKind
from funding.models import RequestStatus as S
from funding.tasks import make_letter, make_missing_letters
from lpr_portal.celery import app as celery_app
from tests.conftest import World
from tests.funding.factories import funding_world

#: Nothing listens here: connecting is refused at once.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def _reconfigure() -> None:
    """Make the app connect to the configured broker again (no cached pool or producers)."""
    for cached in ("queues", "router", "default_exchange"):
        celery_app.amqp.__dict__.pop(cached, None)
    # Drop the connection pool of the previous broker. Not app.close(): that also deregisters
    # the app, and tasks of modules imported later would never be registered in it.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Point the Celery app at a broker that does not answer, not in-process."""
    keys = (
        "broker_url",
        "task_always_eager",
        "broker_connection_retry",
        "broker_transport_options",
    )
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(
        broker_url=UNREACHABLE_BROKER,
        task_always_eager=False,
        broker_connection_retry=False,
        broker_transport_options={"max_retries": 0},
    )
    _reconfigure()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        _reconfigure()


class _Task:
    """A task whose delay records its calls or raises what it is given."""

    name = "tests.fake"

    def __init__(self, raises: BaseException | None = None) -> None:
        self.raises = raises
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def delay(self, *args: Any, **kwargs: Any) -> None:
        if self.raises is not None:
            raise self.raises
        self.calls.append((args, kwargs))


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused."),
        ConnectionRefusedError("redis://127.0.0.1:6379"),
        __import__("redis").exceptions.ConnectionError("Connection refused"),
    ],
)
def test_a_broker_error_is_logged_not_raised(
    error: BaseException, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[BaseException] = []
    with caplog.at_level(logging.WARNING, logger="core.queueing"):
        assert enqueue(_Task(raises=error), 7, on_broker_error=seen.append) is False
    assert seen == [error]
    assert "tests.fake" in caplog.text and "broker is unreachable" in caplog.text


def test_a_programming_error_is_not_hidden() -> None:
    with pytest.raises(TypeError):
        enqueue(_Task(raises=TypeError("bad argument")), 7)


def test_the_task_is_queued_with_its_arguments() -> None:
    task = _Task()
    assert enqueue(task, 7, kind="approval") is True
    assert task.calls == [((7,), {"kind": "approval"})]


@pytest.mark.django_db
def test_on_commit_queues_only_after_the_commit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    task = _Task()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(task, 7, "approval")
        assert task.calls == []
    assert len(callbacks) == 1 and task.calls == [((7, "approval"), {})]


def test_a_really_unreachable_broker_is_caught(broker_down: None) -> None:
    assert enqueue(make_letter, 1, LetterKind.APPROVAL) is False


@pytest.mark.django_db
def test_an_approval_with_the_broker_down_succeeds_and_the_letter_follows(
    world: World,
    broker_down: None,
    django_capture_on_commit_callbacks: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    fw = funding_world(world)
    client = world.client("state_staff")
    detail = reverse("funding:request_detail", kwargs={"pk": fw.in_review.pk})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("funding:request_decide", kwargs={"pk": fw.in_review.pk}),
            # The decision acts only after its summary was confirmed (issue 10.12).
            {"decision": Decision.APPROVE, "step": "confirm", "confirm": "on", "action": "apply"},
        )
    assert response.status_code == 302
    assert callbacks  # the letter task was tried after the commit ...
    assert "funding.tasks.make_letter" in caplog.text  # ... and the broker failure logged
    request = FundingRequest.objects.get(pk=fw.in_review.pk)
    assert request.status == S.APPROVED
    assert not Letter.objects.filter(request=request).exists()
    assert client.get(detail).status_code == 200

    assert make_missing_letters() >= 1  # the beat task catches up
    assert Letter.objects.filter(request=request, kind=LetterKind.APPROVAL).count() == 1
