"""Django admin of the membership models: lists with constant queries, forms that render."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from councils.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
)
from tests.conftest import World
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    OrganisationFactory,
    RegionFactory,
    StateNetworkFactory,
    UserFactory,
)
from tests.querycount import assert_constant_queries

MODELS = [StateNetwork, Region, Organisation, Membership, Invitation, User]
_numbers = itertools.count(1)


def admin_client(world: World) -> Client:
    client = world.client("platform_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def changelist(model: type) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj: object) -> str:
    meta = obj._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])  # type: ignore[attr-defined]


def _grow_states(world: World) -> None:
    for _ in range(4):
        state = StateNetworkFactory()
        OrganisationFactory(state=state)


def _grow_regions(world: World) -> None:
    for _ in range(4):
        region = RegionFactory(state=world.state)
        OrganisationFactory(state=world.state, region=region)


def _grow_organisations(world: World) -> None:
    for _ in range(3):
        OrganisationFactory(state=world.state, region=world.council.region)
        OrganisationFactory(state=world.other_state, region=world.other_state_council.region)
        OrganisationFactory(state=world.state, kind=OrganisationKind.NGO, region=None)


def _grow_memberships(world: World) -> None:
    for _ in range(4):
        MembershipFactory(organisation=world.council, role=Role.COUNCIL_MEMBER)
        MembershipFactory(organisation=world.other_state_council, role=Role.COUNCIL_MEMBER)


def _grow_invitations(world: World) -> None:
    for _ in range(4):
        InvitationFactory(organisation=world.council, invited_by=world.users["state_admin"])
        InvitationFactory(organisation=world.other_state_council)


def _grow_users(world: World) -> None:
    for _ in range(4):
        user = UserFactory()
        MembershipFactory(user=user, organisation=world.council, role=Role.COUNCIL_MEMBER)
        MembershipFactory(user=user, organisation=world.ngo, role=Role.NGO_REPRESENTATIVE)


GROW: dict[type, Callable[[World], None]] = {
    StateNetwork: _grow_states,
    Region: _grow_regions,
    Organisation: _grow_organisations,
    Membership: _grow_memberships,
    Invitation: _grow_invitations,
    User: _grow_users,
}


def test_every_model_of_the_membership_part_is_registered() -> None:
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_rows(world: World, model: type) -> None:
    client = admin_client(world)
    url = changelist(model)

    def action() -> None:
        assert client.get(url).status_code == 200

    before = model._default_manager.count()
    assert_constant_queries(action, lambda: GROW[model](world))
    assert model._default_manager.count() > before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "pick"),
    [
        (StateNetwork, lambda w: w.state),
        (Region, lambda w: w.council.region),
        (Organisation, lambda w: w.ngo),
        (Membership, lambda w: w.users["coordinator"].memberships.get()),
        (Invitation, lambda w: InvitationFactory(organisation=w.council)),
        (User, lambda w: w.users["coordinator"]),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_change_form_renders(world: World, model: type, pick: Callable[[World], object]) -> None:
    obj = pick(world)
    response = admin_client(world).get(change(obj))
    assert response.status_code == 200
    assert str(obj) in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [StateNetwork, Region, Organisation, Membership, User])
def test_add_form_renders(world: World, model: type) -> None:
    meta = model._meta
    response = admin_client(world).get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_invitations_are_not_added_in_the_admin(world: World) -> None:
    response = admin_client(world).get(reverse("admin:councils_invitation_add"))
    assert response.status_code == 403


@pytest.mark.django_db
def test_organisation_history_renders(world: World) -> None:
    world.council.city = "Hameln"
    world.council.save()
    url = reverse("admin:councils_organisation_history", args=[world.council.pk])
    assert admin_client(world).get(url).status_code == 200


def _membership_cell(html: str, username: str) -> str:
    row = re.search(rf"<tr>(?:(?!</tr>).)*?>{re.escape(username)}</a>.*?</tr>", html, re.S)
    assert row is not None, username
    cell = re.search(r'<td class="field-membership_count">(\d+)</td>', row.group(0))
    assert cell is not None
    return cell.group(1)


@pytest.mark.django_db
def test_user_list_counts_memberships_also_when_filtered_by_state(world: World) -> None:
    coordinator = world.users["coordinator"]
    MembershipFactory(user=coordinator, organisation=world.other_council)
    client = admin_client(world)
    html = client.get(changelist(User)).content.decode()
    assert _membership_cell(html, coordinator.username) == "2"
    assert _membership_cell(html, world.users["platform_admin"].username) == "0"

    filtered = client.get(
        changelist(User), {"memberships__organisation__state__id__exact": world.state.pk}
    ).content.decode()
    assert _membership_cell(filtered, coordinator.username) == "2"
    assert world.users["other_state_admin"].username not in filtered


@pytest.mark.django_db
def test_membership_list_filters_by_state_and_role(world: World) -> None:
    response = admin_client(world).get(
        changelist(Membership),
        {"organisation__state__id__exact": world.other_state.pk, "role": Role.STATE_ADMIN},
    )
    html = response.content.decode()
    assert world.users["other_state_admin"].get_full_name() in html
    assert world.users["other_state_coordinator"].get_full_name() not in html
    assert world.users["state_admin"].get_full_name() not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["state_admin", "coordinator", "anonymous"])
def test_admin_is_closed_to_everyone_but_platform_admins(world: World, role: str) -> None:
    response = world.client(role).get(changelist(Organisation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
