"""The event lists do not grow in queries with their rows."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from spaces import event_services as services
from spaces.models import EventAudience
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.querycount import assert_constant_queries
from tests.spaces.world_events import make_event

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def _grow(world: World) -> None:
    for audience in (EventAudience.MEMBERS, EventAudience.NETWORK, EventAudience.PUBLIC):
        event = make_event(
            world.council,
            world.users["coordinator"],
            title=f"Veranstaltung {next(_numbers)}",
            audience=audience,
            capacity=1,
        )
        for _ in range(2):
            person = UserFactory()
            MembershipFactory(user=person, organisation=world.council, role="council_member")
            services.registration_create(event=event, user=person)
        services.registration_create(event=event, user=world.users["member"])


@pytest.mark.parametrize(
    ("role", "name", "kwargs"),
    [
        ("member", "spaces:event_list", False),
        ("coordinator", "spaces:council_events", True),
        ("state_staff", "spaces:council_events", True),
        ("anonymous", "spaces:public_calendar", False),
    ],
)
def test_event_lists_have_constant_queries(
    world: World, role: str, name: str, kwargs: bool
) -> None:
    _grow(world)
    url = reverse(name, kwargs={"council": world.council.pk} if kwargs else None)
    client = world.client(role)
    assert_constant_queries(lambda: client.get(url), lambda: _grow(world), max_queries=12)


def test_the_participant_list_has_constant_queries(world: World) -> None:
    event = make_event(world.council, world.users["coordinator"])

    def grow() -> None:
        for _ in range(3):
            person = UserFactory()
            MembershipFactory(user=person, organisation=world.council, role="council_member")
            services.registration_create(event=event, user=person)

    grow()
    client = world.client("coordinator")
    url = reverse("spaces:event_participants", args=[event.pk])
    assert_constant_queries(lambda: client.get(url), grow, max_queries=12)
    csv_url = reverse("spaces:event_participants_csv", args=[event.pk])
    assert_constant_queries(lambda: client.get(csv_url), grow, max_queries=12)


def test_the_personal_feed_has_constant_queries(world: World) -> None:
    from tests.spaces.world_events import events_world

    token = events_world(world).token("member")
    client = world.client("anonymous")
    url = reverse("spaces:token_feed", args=[token])
    assert_constant_queries(lambda: client.get(url), lambda: _grow(world), max_queries=12)
