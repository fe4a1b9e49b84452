"""The audit log page: scoped to the admin's states, filtered, exported; entries are read-only."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.log import record
from audit.models import Action, AuditEntry, ReadOnlyEntry
from tests.conftest import World
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("audit:entry_list")
EXPORT = reverse("audit:entry_export")


def _entries(world: World) -> tuple[AuditEntry, AuditEntry]:
    own = record(
        Action.MEMBERSHIP_ENDED,
        actor=world.users["state_admin"],
        state=world.state,
        target=world.users["member"],
        summary="Sitz-NI-17",
    )
    other = record(
        Action.STRATEGY_ADOPTED,
        actor=world.users["other_state_admin"],
        state=world.other_state,
        summary="Strategie-MV-3",
    )
    return own, other


def test_an_entry_cannot_be_changed_or_deleted(world: World) -> None:
    entry, _other = _entries(world)
    entry.summary = "geändert"
    with pytest.raises(ReadOnlyEntry):
        entry.save()
    with pytest.raises(ReadOnlyEntry):
        entry.delete()
    entry.refresh_from_db()
    assert entry.summary == "Sitz-NI-17"


def test_the_admin_is_read_only(world: World) -> None:
    model_admin = site._registry[AuditEntry]
    request = RequestFactory().get("/")
    request.user = world.users["platform_admin"]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_admin_lists_but_does_not_delete(world: World) -> None:
    entry, _other = _entries(world)
    client = world.client("platform_admin")
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 200
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_state_admin_sees_only_their_state(world: World) -> None:
    _entries(world)
    html = world.client("state_admin").get(LIST).content.decode()
    assert "Sitz-NI-17" in html
    assert "Strategie-MV-3" not in html

    html = world.client("other_state_admin").get(LIST).content.decode()
    assert "Strategie-MV-3" in html
    assert "Sitz-NI-17" not in html


def test_platform_admin_sees_every_state_and_filters_by_state(world: World) -> None:
    _entries(world)
    client = world.client("platform_admin")
    html = client.get(LIST).content.decode()
    assert "Sitz-NI-17" in html and "Strategie-MV-3" in html

    html = client.get(LIST, {"state": world.other_state.pk}).content.decode()
    assert "Strategie-MV-3" in html and "Sitz-NI-17" not in html


@pytest.mark.parametrize("role", ["state_staff", "coordinator", "member"])
def test_others_are_refused(world: World, role: str) -> None:
    assert world.client(role).get(LIST).status_code == 403
    assert world.client(role).get(EXPORT).status_code == 403


def test_filters_by_action_person_and_date(world: World) -> None:
    _entries(world)
    record(
        Action.INVITATION_SENT,
        actor=world.users["state_staff"],
        state=world.state,
        summary="Einladung-NI-5",
    )
    client = world.client("state_admin")

    html = client.get(LIST, {"action": Action.INVITATION_SENT}).content.decode()
    assert "Einladung-NI-5" in html and "Sitz-NI-17" not in html

    name = world.users["state_staff"].get_full_name() or world.users["state_staff"].username
    html = client.get(LIST, {"person": name}).content.decode()
    assert "Einladung-NI-5" in html and "Sitz-NI-17" not in html

    today = timezone.localdate()
    html = client.get(LIST, {"date_to": today - datetime.timedelta(days=1)}).content.decode()
    assert "Einladung-NI-5" not in html and "Sitz-NI-17" not in html
    html = client.get(LIST, {"date_from": today, "date_to": today}).content.decode()
    assert "Einladung-NI-5" in html and "Sitz-NI-17" in html


def test_the_list_is_german_and_in_the_admin_navigation(world: World) -> None:
    _entries(world)
    html = world.client("state_admin").get(LIST).content.decode()
    assert "Protokoll" in html
    assert f'href="{LIST}"' in html
    assert 'class="table-responsive"' in html


def test_csv_export_is_scoped_filtered_and_escaped(world: World) -> None:
    _entries(world)
    record(
        Action.EXPORT_CREATED,
        actor=world.users["state_staff"],
        state=world.state,
        summary='=HYPERLINK("http://x")',
    )
    response = world.client("state_admin").get(EXPORT, {"action": Action.EXPORT_CREATED})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert len(lines) == 2
    assert ";" in lines[0]
    assert "'=HYPERLINK" in lines[1]
    assert "Sitz-NI-17" not in body and "Strategie-MV-3" not in body


def test_the_list_does_not_grow_in_queries(world: World) -> None:
    client = world.client("state_admin")
    _entries(world)

    def grow() -> None:
        for number in range(5):
            record(
                Action.INVITATION_SENT,
                actor=world.users["state_staff"],
                state=world.state,
                target=world.council,
                summary=f"Nr. {number}",
            )

    assert_constant_queries(lambda: client.get(LIST), grow)


def test_the_list_counts_at_most_the_bound(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The log grows with every sign-in: past the bound it is not counted to the end."""
    from audit import views

    monkeypatch.setattr(views, "COUNT_BOUND", 30)
    AuditEntry.objects.bulk_create(
        AuditEntry(state=world.state, action=Action.LOGIN_SUCCEEDED, summary=f"Nr. {n}")
        for n in range(40)
    )
    client = world.client("state_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(LIST)
    page = response.context["page"]
    assert page.paginator.count == 30 and page.paginator.capped
    assert page.paginator.num_pages == 2
    assert "More than 30 entries, the newest first: narrow the filter" in response.content.decode()
    # Below the bound the number is exact.
    response = client.get(LIST, {"action": Action.MEMBERSHIP_ENDED})
    assert response.context["page"].paginator.count == 0
    assert not response.context["page"].paginator.capped
