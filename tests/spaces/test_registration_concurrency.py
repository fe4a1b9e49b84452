"""Many registrations at the same moment never exceed the capacity: the event row is locked.

The calls run in real threads with their own connections, released together by a barrier (the
pattern of tests/exchange/test_offer_concurrency.py). On PostgreSQL they race and wait for the
lock; SQLite has no row locks, so there they take turns.
"""

from __future__ import annotations

from typing import Any

import pytest

from councils.models import User
from spaces import event_services as services
from spaces.models import Event, Registration, RegistrationStatus
from tests.conftest import World
from tests.exchange.test_offer_concurrency import race
from tests.factories import MembershipFactory, UserFactory
from tests.spaces.world_events import make_event

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_registrations_fill_the_capacity_and_queue_the_rest(world: World) -> None:
    event = make_event(world.council, world.users["coordinator"], capacity=3)
    people = []
    for n in range(8):
        person = UserFactory(username=f"teilnehmer-{n}")
        MembershipFactory(user=person, organisation=world.council, role="council_member")
        people.append(person.pk)

    def register(pk: int) -> Any:
        return lambda: services.registration_create(
            event=Event.objects.get(pk=event.pk), user=User.objects.get(pk=pk)
        )

    outcomes = race([register(pk) for pk in people])
    assert all(isinstance(o, Registration) for o in outcomes), outcomes
    rows = Registration.objects.filter(event=event)
    assert rows.filter(status=RegistrationStatus.REGISTERED).count() == 3
    assert rows.filter(status=RegistrationStatus.WAITING).count() == 5


def test_parallel_cancellations_move_up_each_waiting_person_once(world: World) -> None:
    event = make_event(world.council, world.users["coordinator"], capacity=2)
    people = []
    for n in range(5):
        person = UserFactory(username=f"person-{n}")
        MembershipFactory(user=person, organisation=world.council, role="council_member")
        services.registration_create(event=event, user=person)
        people.append(person.pk)

    def cancel(pk: int) -> Any:
        return lambda: services.registration_cancel(
            event=Event.objects.get(pk=event.pk), user=User.objects.get(pk=pk)
        )

    race([cancel(people[0]), cancel(people[1])])
    registered = Registration.objects.filter(event=event, status=RegistrationStatus.REGISTERED)
    assert sorted(registered.values_list("user_id", flat=True)) == sorted(people[2:4])
    assert Registration.objects.get(event=event, user_id=people[4]).status == "waiting"
