"""Invitations: list, create, revoke, send again, and the life of the link."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import Invitation, Membership, Position, Role
from tests.conftest import World
from tests.factories import InvitationFactory, OrganisationFactory, UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("councils:invitation_list")
CREATE = reverse("councils:invitation_create")
Capture = Callable[..., Any]


def _invite(world: World, capture: Capture, **overrides: object) -> Invitation:
    data: dict[str, object] = {
        "email": "neu@example.org",
        "first_name": "Nina",
        "last_name": "Neumann",
        "organisation": world.council.pk,
        "role": Role.COUNCIL_MEMBER,
        "position": Position.MEMBER,
        "affiliation": "school",
    }
    data.update(overrides)
    with capture(execute=True):
        response = world.client("state_admin").post(CREATE, data)
    assert response.status_code == 302, response.context["form"].errors
    return Invitation.objects.get(email=data["email"])


def _link_from_last_mail() -> str:
    match = re.search(r"https?://\S+/einladung/([\w-]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return reverse("councils:invitation_accept", kwargs={"token": match.group(1)})


def test_create_sends_an_email_with_the_link(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    invitation = _invite(world, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["neu@example.org"]
    assert world.council.name in message.subject
    assert settings.SITE_URL + "/einladung/" in message.body
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None
    assert invitation.email_attempts == 1
    assert invitation.invited_by == world.users["state_admin"]
    token = _link_from_last_mail().rstrip("/").rsplit("/", 1)[-1]
    # Only the hash is stored.
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in invitation.token_hash


def test_create_refuses_a_role_the_organisation_cannot_give(world: World) -> None:
    response = world.client("state_admin").post(
        CREATE,
        {
            "email": "neu@example.org",
            "organisation": world.council.pk,
            "role": Role.NGO_REPRESENTATIVE,
            "position": Position.MEMBER,
            "affiliation": "school",
        },
    )
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert 'value="neu@example.org"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_create_offers_only_administered_organisations(world: World) -> None:
    response = world.client("state_admin").post(
        CREATE,
        {
            "email": "neu@example.org",
            "organisation": world.other_state_council.pk,
            "role": Role.COUNCIL_MEMBER,
            "position": Position.MEMBER,
            "affiliation": "other",
        },
    )
    assert "organisation" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_create_refuses_members_and_open_invitations(world: World) -> None:
    member = world.users["member"]
    data = {
        "email": member.email.upper(),
        "organisation": world.council.pk,
        "role": Role.COUNCIL_MEMBER,
        "position": Position.MEMBER,
        "affiliation": "other",
    }
    response = world.client("state_admin").post(CREATE, data)
    assert "email" in response.context["form"].errors
    InvitationFactory(organisation=world.council, email="offen@example.org")
    response = world.client("state_admin").post(CREATE, {**data, "email": "offen@example.org"})
    assert "email" in response.context["form"].errors


def test_list_filters_by_status(world: World) -> None:
    now = timezone.now()
    InvitationFactory(organisation=world.council, email="pending@example.org")
    InvitationFactory(organisation=world.council, email="accepted@example.org", accepted_at=now)
    InvitationFactory(organisation=world.council, email="revoked@example.org", revoked_at=now)
    InvitationFactory(
        organisation=world.council,
        email="expired@example.org",
        expires_at=now - timedelta(days=1),
    )
    InvitationFactory(organisation=world.other_state_council, email="mv@example.org")
    client = world.client("state_admin")

    def emails(**params: object) -> set[str]:
        return {i.email for i in client.get(LIST, params).context["page"].object_list}

    assert emails() == {
        "pending@example.org",
        "accepted@example.org",
        "revoked@example.org",
        "expired@example.org",
    }
    for status in ("pending", "accepted", "revoked", "expired"):
        assert emails(status=status) == {f"{status}@example.org"}
    assert emails(q="revoked") == {"revoked@example.org"}


def test_list_queries_do_not_grow(world: World) -> None:
    client = world.client("state_admin")
    InvitationFactory.create_batch(2, organisation=world.council)

    def grow() -> None:
        for _ in range(5):
            organisation = OrganisationFactory(state=world.state, region=world.council.region)
            InvitationFactory.create_batch(
                3, organisation=organisation, invited_by=world.users["state_admin"]
            )

    assert_constant_queries(lambda: client.get(LIST), grow)


def test_revoke_confirms_then_revokes(world: World) -> None:
    invitation = InvitationFactory(organisation=world.council, token="abc")
    url = reverse("councils:invitation_revoke", kwargs={"pk": invitation.pk})
    client = world.client("state_admin")
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = Client().get(reverse("councils:invitation_accept", kwargs={"token": "abc"}))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode() or response.context["invitation"].revoked_at


def test_invitation_admin_scope(world: World) -> None:
    own = InvitationFactory(organisation=world.council)
    other = InvitationFactory(organisation=world.other_state_council)
    for name in ("councils:invitation_revoke", "councils:invitation_resend"):
        assert (
            world.client("state_admin").post(reverse(name, kwargs={"pk": other.pk})).status_code
            == 404
        )
        assert (
            world.client("state_staff").post(reverse(name, kwargs={"pk": own.pk})).status_code
            == 403
        )
    resend = reverse("councils:invitation_resend", kwargs={"pk": own.pk})
    assert world.client("state_admin").get(resend).status_code == 405
    assert world.client("anonymous").post(resend).status_code == 302


def test_resend_makes_a_new_link(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    invitation = _invite(world, django_capture_on_commit_callbacks)
    first_link = _link_from_last_mail()
    url = reverse("councils:invitation_resend", kwargs={"pk": invitation.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert world.client("state_admin").post(url).status_code == 302
    assert len(mail.outbox) == 2
    second_link = _link_from_last_mail()
    assert second_link != first_link
    assert Client().get(first_link).status_code == 404
    assert Client().get(second_link).status_code == 200


# Accepting -----------------------------------------------------------------------------------


def test_new_person_creates_account_and_is_signed_in(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    _invite(world, django_capture_on_commit_callbacks)
    link = _link_from_last_mail()
    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["form"]["username"].value() == "neu"
    assert page.context["form"]["first_name"].value() == "Nina"
    response = client.post(
        link,
        {
            "username": "nina.neumann",
            "first_name": "Nina",
            "last_name": "Neumann",
            "new_password1": "Sommer-Regen-2026",
            "new_password2": "Sommer-Regen-2026",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nina.neumann")
    assert membership.organisation == world.council
    assert membership.role == Role.COUNCIL_MEMBER
    assert membership.affiliation == "school"
    assert membership.user.email == "neu@example.org"
    assert client.get(reverse("dashboard")).status_code == 200
    # Used once: the same link now answers "gone" and creates nothing more.
    again = Client().get(link)
    assert again.status_code == 410
    assert Membership.objects.filter(user__email="neu@example.org").count() == 1


def test_weak_password_and_taken_username_keep_input(world: World) -> None:
    InvitationFactory(organisation=world.council, email="neu@example.org", token="t1")
    url = reverse("councils:invitation_accept", kwargs={"token": "t1"})
    response = Client().post(
        url,
        {
            "username": "member",
            "first_name": "Nina",
            "last_name": "Neumann",
            "new_password1": "123",
            "new_password2": "123",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "username" in errors
    assert "new_password1" in errors
    assert 'value="Neumann"' in response.content.decode()
    assert not Membership.objects.filter(user__email="neu@example.org").exists()


def test_existing_account_is_asked_to_log_in_then_accepts(world: World) -> None:
    person = UserFactory(username="bekannt", email="Bekannt@Example.org")
    InvitationFactory(
        organisation=world.ngo,
        email="bekannt@example.org",
        role=Role.NGO_REPRESENTATIVE,
        token="t2",
    )
    url = reverse("councils:invitation_accept", kwargs={"token": "t2"})
    anonymous = Client().get(url)
    assert anonymous.status_code == 200
    assert anonymous.context["mode"] == "login"
    assert f"next={url.replace('/', '%2F')}" in anonymous.context["login_url"]
    assert not Membership.objects.filter(user=person).exists()

    client = Client()
    client.force_login(person)
    assert client.get(url).context["mode"] == "confirm"
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == world.ngo.get_absolute_url()
    assert Membership.objects.get(user=person).organisation == world.ngo
    assert client.post(url).status_code == 410


def test_signed_in_as_someone_else_is_explained(world: World) -> None:
    UserFactory(username="bekannt", email="bekannt@example.org")
    InvitationFactory(organisation=world.council, email="bekannt@example.org", token="t3")
    url = reverse("councils:invitation_accept", kwargs={"token": "t3"})
    client = world.client("member")
    response = client.post(url)
    assert response.status_code == 200
    assert response.context["mode"] == "other"
    assert Invitation.objects.get().accepted_at is None


def test_expired_link(world: World) -> None:
    InvitationFactory(
        organisation=world.council,
        token="old",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    response = Client().get(reverse("councils:invitation_accept", kwargs={"token": "old"}))
    assert response.status_code == 410
    assert response.context["invitation"].status == "expired"


def test_unknown_link(world: World) -> None:
    response = Client().get(reverse("councils:invitation_accept", kwargs={"token": "nope"}))
    assert response.status_code == 404
    assert response.context["invitation"] is None


def test_accept_rejects_other_methods(world: World) -> None:
    InvitationFactory(organisation=world.council, token="t4")
    url = reverse("councils:invitation_accept", kwargs={"token": "t4"})
    assert Client().put(url).status_code == 405
