"""A decision whose letter is missing (deferred by the demo, or its task lost) gets it when the
request's page is shown, once; a fresh decision's own task is not raced."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.clock import frozen_at
from funding import decisions, letters
from funding.models import Decision, FundingRequest, LetterKind
from notifications.models import Notification
from tests.conftest import World

from .factories import advance, make_draft, make_programme


def _rejected(world: World, when: datetime.datetime) -> FundingRequest:
    coordinator, staff = world.users["coordinator"], world.users["state_staff"]
    request = advance(
        make_draft(make_programme(world.state), world.council, coordinator),
        "review",
        applicant=coordinator,
        staff=staff,
    )
    with letters.deferred(), frozen_at(when):
        decisions.request_decide(
            request=request, by=staff, decision=Decision.REJECT, justification="Kein Bezug."
        )
    request.refresh_from_db()
    assert not request.letters.exists()
    return request


def test_the_page_of_an_old_decision_without_letter_makes_it_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    request = _rejected(world, timezone.now() - datetime.timedelta(days=400))
    client = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(request.get_absolute_url())
    assert response.status_code == 200
    letter = request.letters.get()
    assert letter.kind == LetterKind.REJECTION
    download = reverse("funding:letter_download", args=[request.pk, letter.pk])
    assert download in response.content.decode()
    assert "letter-pending" not in response.content.decode()
    # Shown again: nothing more is made, and nobody is told about the old decision again.
    with django_capture_on_commit_callbacks(execute=True):
        client.get(request.get_absolute_url())
    assert request.letters.count() == 1
    assert not Notification.objects.filter(kind="funding.decided").exists()


def test_a_fresh_decision_is_left_to_its_own_task(world: World) -> None:
    request = _rejected(world, timezone.now() - datetime.timedelta(seconds=30))
    response = world.client("coordinator").get(request.get_absolute_url())
    assert response.status_code == 200
    assert not request.letters.exists()
    assert 'id="letter-pending"' in response.content.decode()


def test_an_undecided_request_needs_no_letter(world: World) -> None:
    request = make_draft(make_programme(world.state), world.council, world.users["coordinator"])
    assert letters.letter_kind_for(request) is None
    assert letters.letter_catch_up(request, []) is False
