"""Each audited action writes one entry with who, which state and from which address."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.signals import user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from audit.log import _address, record
from audit.models import Action, AuditEntry
from councils import services as council_services
from councils.models import Invitation, Membership, Position, Role
from funding import decisions, payments
from funding.exports import export_start
from funding.models import Decision
from strategy import services as strategy_services
from tests.conftest import World
from tests.factories import UserFactory
from tests.funding.factories import funding_world
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"
PASSWORD = "geheim-123"


@pytest.fixture
def address() -> Iterator[str]:
    """Calls to the services as if from a request of this address."""
    token = _address.set(ADDRESS)
    yield ADDRESS
    _address.reset(token)


def entries_for(obj: models.Model, action: str) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action=action,
            target_type=ContentType.objects.get_for_model(obj),
            target_id=str(obj.pk),
        )
    )


def one(obj: models.Model, action: str) -> AuditEntry:
    found = entries_for(obj, action)
    assert len(found) == 1, found
    return found[0]


def test_successful_sign_in_is_logged_with_the_address(world: World) -> None:
    user = world.users["coordinator"]
    client = Client(REMOTE_ADDR="198.51.100.20")
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302

    entry = one(user, Action.LOGIN_SUCCEEDED)
    assert entry.actor == user
    assert entry.actor_name == (user.get_full_name() or user.username)
    assert entry.state == world.state
    assert entry.ip_address == "198.51.100.20"


def test_failed_sign_in_is_logged_without_actor(world: World) -> None:
    user = world.users["coordinator"]
    client = Client(REMOTE_ADDR="198.51.100.21")
    client.post(reverse("login"), {"username": user.username, "password": "falsch-falsch"})

    entry = one(user, Action.LOGIN_FAILED)
    assert entry.actor is None
    assert entry.state == world.state
    assert entry.ip_address == "198.51.100.21"
    assert entry.summary == user.username


def test_failed_sign_in_of_an_unknown_name_is_capped_and_nul_free(db: None) -> None:
    # The sign-in form refuses such names itself; other back ends may still send them.
    user_login_failed.send(
        sender=__name__, credentials={"username": "x\x00" + "y" * 400, "password": "*"}
    )
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.state is None and entry.target_label == ""
    assert "\x00" not in entry.summary
    assert len(entry.params["username"]) <= 150


def test_forwarded_address_only_behind_a_trusted_proxy(world: World, settings: object) -> None:
    user = world.users["member"]
    headers = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.44, 10.0.0.1"}
    Client(**headers).post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert one(user, Action.LOGIN_SUCCEEDED).ip_address == "10.0.0.1"

    settings.AUDIT_TRUST_X_FORWARDED_FOR = True  # type: ignore[attr-defined]
    AuditEntry.objects.all()._raw_delete(AuditEntry.objects.db)  # test clean-up only
    Client(**headers).post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert one(user, Action.LOGIN_SUCCEEDED).ip_address == "192.0.2.44"


def test_membership_change_and_end(world: World, address: str) -> None:
    admin = world.users["state_admin"]
    membership = Membership.objects.get(user=world.users["member"])
    council_services.membership_update(
        membership=membership,
        role=Role.COUNCIL_MEMBER,
        position=Position.MEMBER,
        affiliation=membership.affiliation,
        start_date=membership.start_date,
        end_date=None,
        changed_by=admin,
    )
    changed = one(membership, Action.MEMBERSHIP_CHANGED)
    assert (changed.actor, changed.state, changed.ip_address) == (admin, world.state, address)

    council_services.membership_end(membership=membership, changed_by=admin)
    ended = one(membership, Action.MEMBERSHIP_ENDED)
    assert (ended.actor, ended.state, ended.ip_address) == (admin, world.state, address)


def test_invitation_sent_revoked_and_accepted(world: World, address: str) -> None:
    admin = world.users["state_admin"]
    invitation = council_services.invitation_create(
        organisation=world.council,
        email="neu@example.org",
        role=Role.COUNCIL_MEMBER,
        invited_by=admin,
    )
    sent = one(invitation, Action.INVITATION_SENT)
    assert (sent.actor, sent.state, sent.ip_address) == (admin, world.state, address)

    council_services.invitation_revoke(invitation=invitation, by=admin)
    revoked = one(invitation, Action.INVITATION_REVOKED)
    assert (revoked.actor, revoked.state) == (admin, world.state)

    second = council_services.invitation_create(
        organisation=world.council,
        email="zwei@example.org",
        role=Role.COUNCIL_MEMBER,
        invited_by=admin,
    )
    newcomer = UserFactory(username="neuling")
    membership = council_services.invitation_accept(invitation=second, user=newcomer)
    accepted = one(second, Action.INVITATION_ACCEPTED)
    assert (accepted.actor, accepted.state, accepted.ip_address) == (newcomer, world.state, address)
    created = one(membership, Action.MEMBERSHIP_CREATED)
    assert (created.actor, created.state) == (newcomer, world.state)
    assert Invitation.objects.filter(pk=second.pk, accepted_at__isnull=False).exists()


def test_funding_decision_and_payment(world: World, address: str) -> None:
    fw = funding_world(world)
    staff = world.users["state_staff"]
    decisions.request_decide(
        request=fw.in_review, by=staff, decision=Decision.REJECT, justification="Nicht förderfähig."
    )
    decided = one(fw.in_review, Action.FUNDING_DECIDED)
    assert (decided.actor, decided.state, decided.ip_address) == (staff, world.state, address)
    assert decided.params["decision"] == Decision.REJECT

    payment = payments.payment_request(
        request=fw.approved, amount=Decimal("300"), by=world.users["coordinator"], note="1. Rate"
    )
    payments.payment_release(payment=payment, by=staff)
    payments.payment_mark_paid(payment=payment, by=staff)
    booked = one(fw.approved, Action.PAYMENT_BOOKED)
    assert (booked.actor, booked.state, booked.ip_address) == (staff, world.state, address)
    assert booked.params["amount"] == "300.00"


def test_strategy_adoption(world: World, address: str) -> None:
    sw = strategy_world(world)
    staff = world.users["state_staff"]
    strategy_services.strategy_adopt(strategy=sw.draft, user=staff)
    adopted = one(sw.draft, Action.STRATEGY_ADOPTED)
    assert (adopted.actor, adopted.state, adopted.ip_address) == (staff, world.state, address)


def test_export(world: World, address: str) -> None:
    staff = world.users["state_staff"]
    job, new = export_start(user=staff, query="", format="csv")
    assert new
    created = one(job, Action.EXPORT_CREATED)
    assert (created.actor, created.state, created.ip_address) == (staff, world.state, address)
    export_start(user=staff, query="", format="csv")  # a double click reuses the job
    assert len(entries_for(job, Action.EXPORT_CREATED)) == 1


def test_a_rolled_back_action_leaves_no_entry(world: World) -> None:
    sw = strategy_world(world)

    class Boom(Exception):
        """Raised inside the adoption's transaction to roll it back."""

    with pytest.raises(Boom), transaction.atomic():
        strategy_services.strategy_adopt(strategy=sw.draft, user=world.users["state_staff"])
        raise Boom
    assert not AuditEntry.objects.filter(action=Action.STRATEGY_ADOPTED).exists()


def test_an_entry_outside_a_request_has_no_address(world: World) -> None:
    entry = record(Action.PERSON_ERASED, state=world.state, summary="a\x00b", day=date(2026, 1, 2))
    assert entry.ip_address is None
    assert entry.summary == "ab"
    assert entry.params == {"day": "2026-01-02"}


def test_an_erasure_is_logged_for_the_state_of_the_persons_seats(
    world: World, address: str
) -> None:
    from accounts import privacy

    person, admin = world.users["member"], world.users["state_admin"]
    privacy.erase_person(person=person, by=admin)
    entry = AuditEntry.objects.get(action=Action.PERSON_ERASED)
    assert (entry.actor_id, entry.state_id, entry.target_id) == (
        admin.pk,
        world.state.pk,
        str(person.pk),
    )
    assert entry.ip_address == address


def test_a_failed_erasure_leaves_no_entry(world: World) -> None:
    from accounts import privacy

    with pytest.raises(RuntimeError), transaction.atomic():
        privacy.erase_person(person=world.users["member"], by=world.users["state_admin"])
        raise RuntimeError("abgebrochen")
    assert not AuditEntry.objects.filter(action=Action.PERSON_ERASED).exists()


def test_downloading_ones_own_data_is_logged(world: World) -> None:
    response = world.client("member").get(reverse("accounts:data_export"))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=Action.DATA_EXPORTED)
    assert (entry.actor_id, entry.state_id) == (world.users["member"].pk, world.state.pk)
