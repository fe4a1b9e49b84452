"""Many staff approving at the same moment never commit more than the programme's budget.

The approvals run in real threads, each with its own database connection, released together by
a barrier: the row lock on the programme makes them queue, the check constraint
``programme_committed_within_budget`` stops anything that would slip past it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F

import funding.tasks
from councils.models import Role, User
from funding import decisions
from funding.models import Decision, FundingRequest, Programme, StatusChange
from funding.models import RequestStatus as S
from tests.conftest import World
from tests.factories import MembershipFactory
from tests.funding.factories import advance, make_draft, make_programme

pytestmark = pytest.mark.django_db(transaction=True)

AMOUNT = Decimal("800.00")  # 1,000 € costs less 200 € own contribution
K = 3
N = 8

#: SQLite has no row locks and answers a second writer with "database is locked" at once; the
#: threads then take turns, so the budget rules are still checked. CI runs PostgreSQL, where
#: the threads really race.
_SERIAL = threading.Lock()


@pytest.fixture
def letters(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, str]]:
    """Record the letter tasks instead of rendering PDFs in every thread."""
    queued: list[tuple[int, str]] = []
    monkeypatch.setattr(
        funding.tasks, "make_letter", SimpleNamespace(delay=lambda *args: queued.append(args))
    )
    return queued


def in_review(world: World, programme: Programme, count: int) -> list[FundingRequest]:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    return [
        advance(
            make_draft(programme, world.council, coordinator, title=f"Projekt {n}"),
            "review",
            applicant=coordinator,
            staff=staff,
        )
        for n in range(count)
    ]


def race(calls: list[Callable[[], Any]]) -> list[BaseException | None]:
    """Run the calls in threads released at once; each thread's outcome (None = success)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[BaseException | None] = [None] * len(calls)
    serial = connection.vendor != "postgresql"

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            if serial:
                with _SERIAL:
                    calls[index]()
            else:
                calls[index]()
        except BaseException as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def approve(request_pk: int, staff_pk: int) -> Callable[[], Any]:
    def call() -> Any:
        request = FundingRequest.objects.get(pk=request_pk)
        staff = User.objects.get(pk=staff_pk)
        return decisions.request_decide(request=request, by=staff, decision=Decision.APPROVE)

    return call


def test_the_check_constraint_exists() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Programme._meta.db_table)
    assert constraints["programme_committed_within_budget"]["check"]


def test_simultaneous_approvals_never_exceed_the_budget(
    world: World, letters: list[tuple[int, str]]
) -> None:
    programme = make_programme(
        world.state, budget=AMOUNT * K, four_eyes_threshold=Decimal("10000.00")
    )
    requests = in_review(world, programme, N)
    assert all(r.requested_amount == AMOUNT for r in requests)
    staff = world.users["state_staff"]

    outcomes = race([approve(r.pk, staff.pk) for r in requests])

    succeeded = [o for o in outcomes if o is None]
    failed = [o for o in outcomes if o is not None]
    assert len(succeeded) == K
    assert len(failed) == N - K
    assert all(isinstance(o, ValidationError) for o in failed), failed
    programme.refresh_from_db()
    assert programme.committed == K * AMOUNT
    assert programme.committed <= programme.budget
    assert FundingRequest.objects.filter(programme=programme, status=S.APPROVED).count() == K
    assert FundingRequest.objects.filter(programme=programme, status=S.REVIEW).count() == N - K
    assert (
        StatusChange.objects.filter(request__programme=programme, to_status=S.APPROVED).count() == K
    )
    assert len(letters) == K


def test_two_staff_approving_the_same_request_act_once(
    world: World, letters: list[tuple[int, str]]
) -> None:
    programme = make_programme(world.state, four_eyes_threshold=Decimal("10000.00"))
    (request,) = in_review(world, programme, 1)
    second = User.objects.create_user(username="zweite-referentin")
    MembershipFactory(user=second, organisation=world.office, role=Role.STATE_STAFF)

    outcomes = race(
        [approve(request.pk, world.users["state_staff"].pk), approve(request.pk, second.pk)]
    )

    assert sum(o is None for o in outcomes) == 1
    (error,) = [o for o in outcomes if o is not None]
    assert isinstance(error, ValidationError)
    programme.refresh_from_db()
    assert programme.committed == AMOUNT
    request.refresh_from_db()
    assert request.status == S.APPROVED
    assert request.approved_amount == AMOUNT
    assert request.status_changes.filter(to_status=S.APPROVED).count() == 1
    assert len(letters) == 1


def test_an_update_past_the_budget_is_refused_by_the_database(world: World) -> None:
    programme = make_programme(world.state, budget=Decimal("1000.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(committed=F("budget") + Decimal("0.01"))
    programme.refresh_from_db()
    assert programme.committed == Decimal("0.00")
    # Up to the budget is fine.
    Programme.objects.filter(pk=programme.pk).update(committed=F("budget"))
    programme.refresh_from_db()
    assert programme.committed == programme.budget
