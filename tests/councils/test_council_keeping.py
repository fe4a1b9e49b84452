"""A council's coordinator keeps the council: invitations, seats, history, notifications."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from councils.models import Invitation, Membership, Position, Role
from notifications.models import Notification
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _member_seat(world: World) -> Membership:
    return world.users["member"].memberships.get()


def _seat_data(seat: Membership, **changes: str) -> dict[str, str]:
    data = {
        "role": seat.role,
        "position": seat.position,
        "affiliation": seat.affiliation,
        "home_organisation": seat.home_organisation,
        "start_date": seat.start_date.isoformat(),
        "end_date": "",
    }
    data.update(changes)
    return data


def test_the_invitation_form_offers_the_council_roles_and_preselects_none(world: World) -> None:
    response = world.client("coordinator").get(
        reverse("councils:council_invite", kwargs={"pk": world.council.pk})
    )
    role = response.context["form"]["role"]
    values = [value for value, _label in role.field.choices]
    assert values == ["", Role.COUNCIL_COORDINATOR, Role.COUNCIL_MEMBER]
    assert not role.value()


def test_the_coordinator_invites_into_their_own_council(
    world: World, django_capture_on_commit_callbacks
) -> None:
    url = reverse("councils:council_invite", kwargs={"pk": world.council.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(
            url,
            {
                "email": "neu@example.org",
                "role": Role.COUNCIL_MEMBER,
                "position": Position.DEPUTY_CHAIR,
                "affiliation": "police",
                "home_organisation": "Polizeiinspektion Hameln",
                # A forged organisation is ignored: the council is fixed by the address.
                "organisation": world.other_council.pk,
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="neu@example.org")
    assert invitation.organisation == world.council
    assert invitation.position == Position.DEPUTY_CHAIR
    assert invitation.home_organisation == "Polizeiinspektion Hameln"
    assert invitation.invited_by == world.users["coordinator"]


@pytest.mark.parametrize("role", [Role.STATE_ADMIN, Role.STATE_STAFF, Role.NGO_REPRESENTATIVE])
def test_a_forged_state_role_is_refused_in_the_invitation(world: World, role: str) -> None:
    response = world.client("coordinator").post(
        reverse("councils:council_invite", kwargs={"pk": world.council.pk}),
        {"email": "neu@example.org", "role": role, "position": "member", "affiliation": "other"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert not Invitation.objects.filter(email="neu@example.org").exists()


@pytest.mark.parametrize("role", [Role.STATE_ADMIN, Role.STATE_STAFF])
def test_a_forged_state_role_is_refused_when_changing_a_seat(world: World, role: str) -> None:
    seat = _member_seat(world)
    response = world.client("coordinator").post(
        reverse("councils:membership_edit", kwargs={"pk": seat.pk}), _seat_data(seat, role=role)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    seat.refresh_from_db()
    assert seat.role == Role.COUNCIL_MEMBER


def test_the_coordinator_sets_position_and_home_organisation_and_the_person_is_told(
    world: World, django_capture_on_commit_callbacks
) -> None:
    seat = _member_seat(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(
            reverse("councils:membership_edit", kwargs={"pk": seat.pk}),
            _seat_data(seat, position=Position.CHAIR, home_organisation="Landkreis Hameln"),
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:council_roster", args=[world.council.pk])
    seat.refresh_from_db()
    assert (seat.position, seat.home_organisation) == (Position.CHAIR, "Landkreis Hameln")
    notice = Notification.objects.get(recipient=world.users["member"])
    assert notice.kind == "councils.membership_changed"
    assert notice.subject_msgid == "Your membership in %(organisation)s was changed"
    with translation.override("de"):
        assert "Mitgliedschaft" in notice.shown_subject
        assert "Vorsitz" in notice.shown_body
    with translation.override("en"):
        assert "Chair" in notice.shown_body


def test_the_coordinator_ends_a_seat_and_the_person_is_told(
    world: World, django_capture_on_commit_callbacks
) -> None:
    seat = _member_seat(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(
            reverse("councils:membership_end", kwargs={"pk": seat.pk})
        )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.end_date == timezone.localdate()
    notice = Notification.objects.get(recipient=world.users["member"])
    assert notice.kind == "councils.membership_ended"


def test_the_coordinator_cannot_change_their_own_seat(world: World) -> None:
    seat = world.users["coordinator"].memberships.get()
    client = world.client("coordinator")
    assert client.get(reverse("councils:membership_edit", args=[seat.pk])).status_code == 403
    assert client.post(reverse("councils:membership_end", args=[seat.pk])).status_code == 403


def test_the_state_admin_keeps_every_right_and_returns_to_the_member_list(world: World) -> None:
    seat = world.users["coordinator"].memberships.get()
    response = world.client("state_admin").post(
        reverse("councils:membership_edit", args=[seat.pk]),
        _seat_data(seat, position=Position.CHAIR),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("councils:member_list")


def test_every_change_is_in_the_council_history(world: World) -> None:
    seat = _member_seat(world)
    client = world.client("coordinator")
    client.post(
        reverse("councils:membership_edit", args=[seat.pk]),
        _seat_data(seat, position=Position.DEPUTY_CHAIR),
    )
    client.post(
        reverse("councils:council_invite", args=[world.council.pk]),
        {
            "email": "gast@example.org",
            "role": Role.COUNCIL_MEMBER,
            "position": "member",
            "affiliation": "school",
        },
    )
    response = client.get(reverse("councils:council_history", args=[world.council.pk]))
    page = response.content.decode()
    with translation.override("de"):  # the page's language
        assert f"{Position.MEMBER.label} → {Position.DEPUTY_CHAIR.label}" in page
    assert "gast@example.org" in page
    assert str(world.users["coordinator"]) in page
