"""Roles and scopes in one place: the sets of a user's seats and the people with a role."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from councils.models import Organisation, OrganisationKind, Role, User
from councils.permissions import (
    coordinated_council_ids,
    council_ids,
    forget_memberships,
    has_role_in,
    people_with_role,
    provider_ids,
    represented_ngo_ids,
    staff_state_ids,
    staff_states,
)
from exchange import offers as exchange_offers
from exchange import reports as exchange_reports
from funding import services as funding_services
from tests.conftest import World
from tests.exchange.factories import OfferFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _two_state_person(world: World) -> tuple[User, Organisation]:
    """Staff in the first state, coordinator of a council and NGO representative in the second."""
    person = UserFactory()
    MembershipFactory(user=person, organisation=world.office, role=Role.STATE_STAFF)
    MembershipFactory(
        user=person, organisation=world.other_state_council, role=Role.COUNCIL_COORDINATOR
    )
    mv_ngo = OrganisationFactory(state=world.other_state, kind=OrganisationKind.NGO)
    MembershipFactory(user=person, organisation=mv_ngo, role=Role.NGO_REPRESENTATIVE)
    return person, mv_ngo


def test_the_sets_of_a_person_with_seats_in_two_states(world: World) -> None:
    person, mv_ngo = _two_state_person(world)
    assert staff_state_ids(person) == {world.state.pk}
    assert [s.pk for s in staff_states(person)] == [world.state.pk]
    assert council_ids(person) == {world.other_state_council.pk}
    assert coordinated_council_ids(person) == {world.other_state_council.pk}
    assert represented_ngo_ids(person) == {mv_ngo.pk}
    assert provider_ids(person) == {world.office.pk, mv_ngo.pk}
    assert has_role_in(person, world.office.pk, Role.STATE_STAFF)
    assert not has_role_in(person, world.office.pk, Role.STATE_ADMIN)


def test_a_member_is_in_council_ids_but_not_coordinated(world: World) -> None:
    member = world.users["member"]
    assert council_ids(member) == {world.council.pk}
    assert coordinated_council_ids(member) == set()
    assert staff_state_ids(world.users["platform_admin"]) is None


def test_ended_seats_leave_every_set(world: World) -> None:
    coordinator = world.users["coordinator"]
    seat = coordinator.memberships.get()
    seat.end_date = timezone.localdate()
    seat.save(update_fields=["end_date"])
    forget_memberships(coordinator)
    assert council_ids(coordinator) == set()


def test_people_with_role_only_active_seats_in_active_organisations(world: World) -> None:
    staff = world.users["state_staff"]
    assert staff in people_with_role(Role.STATE_STAFF, state=world.state)
    assert staff not in people_with_role(Role.STATE_STAFF, state=world.other_state)
    assert staff in people_with_role(Role.STATE_STAFF, Role.STATE_ADMIN, organisation=world.office)
    assert staff not in people_with_role(Role.STATE_ADMIN, organisation=world.office)
    # Not yet started, ended, deactivated account, inactive organisation: none of them.
    later = UserFactory()
    MembershipFactory(
        user=later,
        organisation=world.office,
        role=Role.STATE_STAFF,
        start_date=timezone.localdate() + timedelta(days=3),
    )
    gone = UserFactory(is_active=False)
    MembershipFactory(user=gone, organisation=world.office, role=Role.STATE_STAFF)
    people = set(people_with_role(Role.STATE_STAFF, state=world.state))
    assert later not in people and gone not in people
    Organisation.objects.filter(pk=world.office.pk).update(is_active=False)
    assert not people_with_role(Role.STATE_STAFF, state=world.state).exists()


def test_funding_and_exchange_use_the_same_selector(world: World) -> None:
    """Funding's staff_of used to count staff of an inactive office; exchange's did not."""
    staff = world.users["state_staff"]
    assert staff in funding_services.staff_of(world.state.pk)
    assert staff in exchange_reports.staff_of(world.state.pk)
    Organisation.objects.filter(pk=world.office.pk).update(is_active=False)
    assert staff not in funding_services.staff_of(world.state.pk)
    assert staff not in exchange_reports.staff_of(world.state.pk)


def test_offer_notifications_skip_an_inactive_provider(world: World) -> None:
    offer = OfferFactory(state=world.state, provider=world.ngo)
    representative = world.users["ngo_representative"]
    assert representative in exchange_offers.provider_people(offer)
    assert world.users["coordinator"] in exchange_offers.council_coordinators(world.council.pk)
    Organisation.objects.filter(pk=world.ngo.pk).update(is_active=False)
    assert representative not in exchange_offers.provider_people(offer)


def test_coordinators_and_representatives(world: World) -> None:
    assert list(funding_services.coordinators_of(world.council)) == [world.users["coordinator"]]
    assert list(exchange_reports.representatives_of([world.ngo.pk])) == [
        world.users["ngo_representative"]
    ]
