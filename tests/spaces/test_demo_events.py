"""The demo events: past and future ones, the yearly prevention forum, registrations."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.utils import timezone

from councils.demo import seed_demo_network
from councils.demo.data import HAMELN, ROSTOCK
from spaces import demo_events
from spaces.models import Event, EventKind, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_lively_councils_and_a_second_run_adds_nothing() -> None:
    assert "spaces.demo_events.seed" in settings.DEMO_SEEDERS
    seed_demo_network(password="demo")
    out = StringIO()
    demo_events.seed(stdout=out)
    assert "Demo events created" in out.getvalue()
    now = timezone.now()
    for council in (HAMELN, ROSTOCK):
        events = Event.objects.filter(council__name=council)
        assert events.filter(starts_at__lt=now).exists()
        assert events.filter(starts_at__gt=now).exists()
        forums = events.filter(kind=EventKind.FORUM, title__startswith="Präventionsforum")
        assert forums.filter(starts_at__lt=now).exists() and forums.filter(starts_at__gt=now)
        assert Registration.objects.filter(event__in=events).count() >= 10
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).exists()
    # Every planned event is there (no two share a title).
    assert Event.objects.filter(council__name=HAMELN).count() == 6
    assert Event.objects.filter(council__name=ROSTOCK).count() == 5
    assert Event.objects.filter(council__name=ROSTOCK, audience="public").exists()
    before = (Event.objects.count(), Registration.objects.count())
    again = StringIO()
    demo_events.seed(stdout=again)
    assert (Event.objects.count(), Registration.objects.count()) == before
    assert again.getvalue() == ""
