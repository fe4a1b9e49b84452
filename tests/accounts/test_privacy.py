"""Privacy (DSGVO): the statement, the data export, erasing a person and the retention task."""

from __future__ import annotations

import datetime
import json
import os
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts import privacy
from accounts.signals import person_erased, personal_data_exported
from core.sessions import UserSession
from councils.models import Membership
from funding.models import Attachment, CostCategory, FundingRequest, ProofOfUse, Receipt
from funding.models import RequestStatus as S
from notifications.models import Notification
from tests.conftest import World
from tests.factories import InvitationFactory, MembershipFactory
from tests.funding.factories import make_draft, make_programme
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_the_privacy_statement_is_public_and_names_the_officer(client: Any, settings: Any) -> None:
    settings.PRIVACY = {**settings.PRIVACY, "dpo_email": "dsb@example.org"}
    settings.RETENTION_YEARS = 7
    page = client.get(reverse("privacy")).content.decode()
    assert "dsb@example.org" in page
    assert "Art. 6" in page and "7" in page
    assert reverse("privacy") in client.get(reverse("imprint")).content.decode()


def _export(world: World, role: str) -> dict[str, Any]:
    response = world.client(role).get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data: dict[str, Any] = json.loads(response.content)
    return data


def test_the_export_holds_own_data_and_nobody_elses(world: World) -> None:
    member, coordinator = world.users["member"], world.users["coordinator"]
    Notification.objects.create(recipient=member, kind="x", subject="Für dich")
    Notification.objects.create(recipient=coordinator, kind="x", subject="Nicht für dich")
    programme = make_programme(world.state)
    request = make_draft(programme, world.council, coordinator, title="Nachtsport")
    seen: list[Any] = []
    personal_data_exported.connect(
        lambda **kw: seen.append(kw["user"]), weak=False, dispatch_uid="e"
    )
    try:
        data = _export(world, "member")
    finally:
        personal_data_exported.disconnect(dispatch_uid="e")
    assert seen == [member]  # for the audit log
    body = json.dumps(data)
    assert data["profile"]["email"] == member.email
    assert [m["organisation"] for m in data["memberships"]] == [world.council.name]
    assert [n["subject"] for n in data["notifications"]] == ["Für dich"]
    assert coordinator.email not in body
    assert coordinator.last_name not in body
    assert data["funding_requests"] == []
    own = _export(world, "coordinator")
    assert [r["id"] for r in own["funding_requests"]] == [request.pk]
    assert own["funding_requests"][0]["created_by_me"] is True


# Erasure -------------------------------------------------------------------------------------


def test_erasing_anonymises_ends_sessions_and_keeps_funding_rows(world: World) -> None:
    person = world.users["coordinator"]
    request = make_draft(make_programme(world.state), world.council, person)
    invitation = InvitationFactory(email=person.email, organisation=world.council)
    world.client("coordinator")  # an open session
    assert UserSession.objects.filter(user=person).exists()
    url = reverse("accounts:erasure_confirm", kwargs={"pk": person.pk})
    admin = world.client("state_admin")
    page = admin.get(url).content.decode()
    assert world.council.name in page  # the seat that ends
    assert admin.post(url).status_code == 302
    person.refresh_from_db()
    assert person.username == f"geloescht-{person.pk}"
    assert (person.first_name, person.last_name, person.email) == ("", "", "")
    assert not person.is_active and not person.has_usable_password()
    assert not UserSession.objects.filter(user=person).exists()
    assert not Membership.objects.active().filter(user=person).exists()
    assert FundingRequest.objects.get(pk=request.pk).created_by_id == person.pk
    assert not Notification.objects.filter(recipient=person).exists()
    invitation.refresh_from_db()
    assert invitation.email == f"geloescht-{person.pk}@example.invalid"


def test_erasure_sends_the_signal(world: World, django_capture_on_commit_callbacks: Any) -> None:
    seen: list[dict[str, Any]] = []
    person_erased.connect(lambda **kw: seen.append(kw), weak=False, dispatch_uid="t2")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            privacy.erase_person(person=world.users["member"], by=world.users["state_admin"])
    finally:
        person_erased.disconnect(dispatch_uid="t2")
    assert [(s["user"].pk, s["by"].pk) for s in seen] == [
        (world.users["member"].pk, world.users["state_admin"].pk)
    ]


def test_erasure_is_scoped_and_refused_for_self_and_platform_admins(world: World) -> None:
    def url(role: str) -> str:
        return reverse("accounts:erasure_confirm", kwargs={"pk": world.users[role].pk})

    admin = world.client("state_admin")
    assert admin.post(url("other_state_coordinator")).status_code == 404
    assert world.client("coordinator").post(url("member")).status_code == 403
    assert admin.post(url("state_admin")).status_code == 403
    assert world.users["state_admin"].is_active
    # A platform admin who also holds a seat in the state stays out of a state admin's reach.
    platform = world.users["platform_admin"]
    Membership.objects.create(user=platform, organisation=world.office, role="state_staff")
    assert admin.post(url("platform_admin")).status_code == 403
    platform.refresh_from_db()
    assert platform.is_active


def test_the_erasure_list_shows_only_the_own_state(world: World) -> None:
    page = world.client("state_admin").get(reverse("accounts:erasure_list")).content.decode()
    assert world.users["member"].username in page
    assert world.users["other_state_coordinator"].username not in page


def test_the_erasure_list_does_not_grow_in_queries(world: World) -> None:
    client = world.client("state_admin")

    def grow() -> None:
        for _ in range(3):
            MembershipFactory(organisation=world.council, role="council_member")

    assert_constant_queries(lambda: client.get(reverse("accounts:erasure_list")), grow)


def test_the_retention_task_is_scheduled(settings: Any) -> None:
    from accounts.tasks import delete_expired_funding_files

    entry = settings.CELERY_BEAT_SCHEDULE["delete-expired-funding-files"]
    assert entry["task"] == delete_expired_funding_files.name


# Retention -----------------------------------------------------------------------------------


def _closed_request(world: World, checked_at: datetime.datetime) -> tuple[Receipt, Attachment]:
    coordinator = world.users["coordinator"]
    request = make_draft(make_programme(world.state), world.council, coordinator)
    FundingRequest.objects.filter(pk=request.pk).update(status=S.CLOSED)
    proof = ProofOfUse.objects.create(
        request=request, submitted_at=checked_at, checked_at=checked_at
    )
    receipt = Receipt.objects.create(
        proof=proof,
        date=checked_at.date(),
        payee="Turnhalle",
        purpose="Miete",
        category=CostCategory.FEES,
        amount=Decimal("10.00"),
        file=ContentFile(b"%PDF-1.4", name="beleg.pdf"),
    )
    attachment = Attachment.objects.create(
        request=request, title="Plan", file=ContentFile(b"%PDF-1.4", name="plan.pdf")
    )
    return receipt, attachment


def test_retention_deletes_only_files_past_the_period(world: World, settings: Any) -> None:
    settings.RETENTION_YEARS = 5
    now = timezone.now()
    old = _closed_request(world, now - datetime.timedelta(days=365 * 5 + 10))
    young = _closed_request(world, now - datetime.timedelta(days=365 * 4))
    old_paths = [row.file.path for row in old]
    assert privacy.delete_expired_funding_files() == 2
    for row in old:
        row.refresh_from_db()
        assert not row.file and row.file_deleted_at is not None
    for row in young:
        row.refresh_from_db()
        assert row.file and row.file_deleted_at is None
    assert not any(os.path.exists(path) for path in old_paths)
    assert privacy.delete_expired_funding_files() == 0
    # The pages name the deleted files instead of offering a broken download.
    staff = world.client("state_staff")
    pk = old[0].proof.request_id
    for name in ("funding:request_detail", "funding:proof_detail"):
        response = staff.get(reverse(name, kwargs={"pk": pk}))
        assert response.status_code == 200, name
        assert "Datei nach Ablauf der Aufbewahrungsfrist gelöscht" in response.content.decode()
