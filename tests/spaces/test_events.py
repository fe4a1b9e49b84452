"""Events: who sees what, creating and changing, registrations with a waiting list, files,
the participant list, goal links and the reminders."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from spaces import event_services as services
from spaces.models import Event, EventAudience, Registration, RegistrationStatus
from strategy.models import GoalLink
from tests.conftest import World
from tests.factories import MembershipFactory, UserFactory
from tests.spaces.world_events import PDF, events_world, make_event
from tests.strategy.factories import strategy_world

pytestmark = pytest.mark.django_db

RS = RegistrationStatus


def _form_data(**overrides: Any) -> dict[str, Any]:
    starts = timezone.localtime() + datetime.timedelta(days=30)
    data = {
        "kind": "forum",
        "title": "Präventionsforum 2027",
        "starts_at": starts.strftime("%Y-%m-%dT09:30"),
        "ends_at": starts.strftime("%Y-%m-%dT16:00"),
        "location": "Kreishaus Hameln",
        "online_url": "",
        "description": "Vorträge und Workshops.",
        "audience": "public",
        "capacity": "100",
        "registration_open": "on",
    }
    data.update(overrides)
    return data


def _person(world: World, name: str) -> Any:
    user = UserFactory(username=name)
    MembershipFactory(user=user, organisation=world.council, role="council_member")
    return user


# Who sees what -------------------------------------------------------------------------------


def test_each_audience_reaches_its_people(world: World) -> None:
    ew = events_world(world)
    meeting, seminar, forum = ew.meeting, ew.seminar, ew.forum

    def visible(role: str) -> set[int]:
        client = world.client(role)
        return {
            e.pk
            for e in (meeting, seminar, forum)
            if client.get(reverse("spaces:event_detail", args=[e.pk])).status_code == 200
        }

    assert visible("member") == {meeting.pk, seminar.pk, forum.pk}
    assert visible("state_staff") == {meeting.pk, seminar.pk, forum.pk}
    assert visible("ngo_representative") == {seminar.pk, forum.pk}
    assert visible("other_council_coordinator") == {seminar.pk, forum.pk}
    assert visible("other_state_coordinator") == {forum.pk}
    assert visible("anonymous") == {forum.pk}


def test_the_public_calendar_shows_only_public_events(world: World, client: Any) -> None:
    ew = events_world(world)
    ew.meeting, ew.seminar, ew.forum, ew.mv_forum  # noqa: B018 (build them)
    response = client.get(reverse("spaces:public_calendar"))
    text = response.content.decode()
    assert "Präventionsforum Hameln" in text and "Präventionsforum Rostock" in text
    assert "Seminar Cybermobbing" not in text and "Sitzung des" not in text
    only_ni = client.get(reverse("spaces:public_calendar") + "?land=niedersachsen")
    assert "Präventionsforum Rostock" not in only_ni.content.decode()


def test_the_start_page_links_the_public_calendar(client: Any, db: None) -> None:
    response = client.get(reverse("home"))
    assert reverse("spaces:public_calendar") in response.content.decode()


def test_the_event_list_has_the_users_events_with_the_own_registration(world: World) -> None:
    ew = events_world(world)
    ew.meeting, ew.mv_forum  # noqa: B018
    text = world.client("member").get(reverse("spaces:event_list")).content.decode()
    assert "Sitzung des Präventionsrats" in text
    assert "Präventionsforum Rostock" not in text  # public, but of another state
    assert "Angemeldet" in text or "Registered" in text


# Creating and changing -----------------------------------------------------------------------


def test_the_coordinator_creates_an_event_with_goals(world: World) -> None:
    goals = strategy_world(world)
    url = reverse("spaces:event_create", args=[world.council.pk])
    response = world.client("coordinator").post(
        url, _form_data(goals=[goals.operational.pk, goals.measure.pk])
    )
    event = Event.objects.get(title="Präventionsforum 2027")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert (event.council, event.state) == (world.council, world.state)
    assert timezone.localtime(event.starts_at).strftime("%H:%M") == "09:30"
    assert str(timezone.localtime(event.starts_at).tzinfo) == "Europe/Berlin"
    assert set(GoalLink.objects.filter(object_id=event.pk).values_list("goal_id", flat=True)) == {
        goals.operational.pk,
        goals.measure.pk,
    }
    page = world.client("member").get(event.get_absolute_url()).content.decode()
    assert "Operativ" in page


def test_a_goal_of_another_state_is_refused(world: World) -> None:
    goals = strategy_world(world)
    event = make_event(world.council, world.users["coordinator"])
    with pytest.raises(ValidationError):
        services.event_update(
            event=event, by=world.users["coordinator"], goals=[goals.other_state_measure]
        )


def test_a_failed_save_keeps_the_input_and_names_the_errors(world: World) -> None:
    url = reverse("spaces:event_create", args=[world.council.pk])
    data = _form_data(location="", title="Mein Forum")
    data["ends_at"] = data["starts_at"].replace("T09:30", "T08:00")
    response = world.client("coordinator").post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "ends_at" in errors and "location" in errors
    assert 'value="Mein Forum"' in response.content.decode()
    assert not Event.objects.exists()


def test_nul_bytes_are_refused(world: World) -> None:
    url = reverse("spaces:event_create", args=[world.council.pk])
    response = world.client("coordinator").post(url, _form_data(title="Forum\x00"))
    assert response.status_code == 200 and "title" in response.context["form"].errors


def test_a_member_cannot_create_through_the_service(world: World) -> None:
    with pytest.raises(PermissionDenied):
        make_event(world.council, world.users["member"])


def test_editing_raises_the_sequence(world: World) -> None:
    event = make_event(world.council, world.users["coordinator"])
    url = reverse("spaces:event_edit", args=[event.pk])
    starts = timezone.localtime(event.starts_at)
    data = _form_data(
        title="Neuer Titel",
        starts_at=starts.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(starts + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = world.client("coordinator").post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.sequence) == ("Neuer Titel", 1)


# Registrations and the waiting list ----------------------------------------------------------


def test_a_full_event_puts_people_on_the_waiting_list_and_a_cancellation_moves_up(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(world.council, world.users["coordinator"], capacity=2)
    a, b, c, d = (_person(world, name) for name in ("anna", "ben", "cem", "dora"))
    statuses = [services.registration_create(event=event, user=u).status for u in (a, b, c, d)]
    assert statuses == [RS.REGISTERED, RS.REGISTERED, RS.WAITING, RS.WAITING]
    # A second click changes nothing.
    assert services.registration_create(event=event, user=c).status == RS.WAITING

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(event=event, user=a)
    assert Registration.objects.get(event=event, user=c).status == RS.REGISTERED
    assert Registration.objects.get(event=event, user=d).status == RS.WAITING
    moved = Notification.objects.filter(kind="spaces.event_moved_up")
    assert list(moved.values_list("recipient__username", flat=True)) == ["cem"]
    assert event.get_absolute_url() == moved.get().url

    # Someone waiting leaves: nobody moves up.
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(event=event, user=d)
    assert moved.count() == 1
    # Registering again after cancelling queues at the end.
    assert services.registration_create(event=event, user=a).status == RS.WAITING


def test_the_waiting_person_sees_their_place(world: World) -> None:
    event = make_event(world.council, world.users["coordinator"], capacity=1)
    services.registration_create(event=event, user=_person(world, "erste"))
    services.registration_create(event=event, user=world.users["member"])
    response = world.client("member").get(event.get_absolute_url())
    assert response.context["waiting_place"] == 1
    assert response.context["is_full"]


def test_register_and_cancel_through_the_pages(world: World) -> None:
    event = make_event(world.council, world.users["coordinator"])
    client = world.client("member")
    client.post(reverse("spaces:event_register", args=[event.pk]))
    assert Registration.objects.get(event=event).status == RS.REGISTERED
    assert client.get(reverse("spaces:event_unregister", args=[event.pk])).status_code == 200
    client.post(reverse("spaces:event_unregister", args=[event.pk]))
    assert Registration.objects.get(event=event).status == RS.CANCELLED


def test_a_larger_capacity_moves_the_waiting_list_up_a_smaller_one_is_refused(
    world: World,
) -> None:
    coordinator = world.users["coordinator"]
    event = make_event(world.council, coordinator, capacity=1)
    services.registration_create(event=event, user=_person(world, "eins"))
    services.registration_create(event=event, user=_person(world, "zwei"))
    services.event_update(event=event, by=coordinator, capacity=2)
    assert not Registration.objects.filter(event=event, status=RS.WAITING).exists()
    with pytest.raises(ValidationError) as raised:
        services.event_update(event=event, by=coordinator, capacity=1)
    assert "capacity" in raised.value.error_dict


def test_no_registration_after_the_start_or_for_a_cancelled_event(world: World) -> None:
    past = make_event(world.council, world.users["coordinator"], days=-2)
    with pytest.raises(ValidationError):
        services.registration_create(event=past, user=world.users["member"])
    event = make_event(world.council, world.users["coordinator"])
    services.event_cancel(event=event, by=world.users["coordinator"])
    with pytest.raises(ValidationError):
        services.registration_create(event=event, user=world.users["member"])


def test_nobody_registers_for_an_event_they_cannot_see(world: World) -> None:
    event = events_world(world).meeting
    with pytest.raises(PermissionDenied):
        services.registration_create(event=event, user=world.users["ngo_representative"])


def test_cancelling_the_event_tells_everyone_registered_or_waiting(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(world.council, world.users["coordinator"], capacity=1)
    services.registration_create(event=event, user=world.users["member"])
    services.registration_create(event=event, user=world.users["state_staff"])
    with django_capture_on_commit_callbacks(execute=True):
        response = world.client("coordinator").post(reverse("spaces:event_cancel", args=[event.pk]))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    told = Notification.objects.filter(kind="spaces.event_cancelled")
    assert set(told.values_list("recipient__username", flat=True)) == {"member", "state-staff"}


# Participants --------------------------------------------------------------------------------


def test_the_participant_list_and_its_csv(world: World) -> None:
    event = make_event(world.council, world.users["coordinator"], capacity=1)
    sly = UserFactory(username="sly", first_name="=HYPERLINK(1)", last_name="Sommer")
    MembershipFactory(user=sly, organisation=world.council, role="council_member")
    services.registration_create(event=event, user=world.users["member"])
    services.registration_create(event=event, user=sly)
    client = world.client("coordinator")
    page = client.get(reverse("spaces:event_participants", args=[event.pk]))
    assert [r.user for r in page.context["registered"]] == [world.users["member"]]
    assert [r.user for r in page.context["waiting"]] == [sly]
    response = client.get(reverse("spaces:event_participants_csv", args=[event.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].count(";") == 4
    assert len(lines) == 3
    assert "'=HYPERLINK(1)" in lines[2]


# Agenda and minutes --------------------------------------------------------------------------


def test_upload_and_download_the_agenda(world: World) -> None:
    event = make_event(world.council, world.users["coordinator"], audience=EventAudience.PUBLIC)
    client = world.client("coordinator")
    url = reverse("spaces:event_files", args=[event.pk])
    upload = SimpleUploadedFile("../../Tagesordnung.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {"which": "agenda", "file": upload})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.agenda.name.endswith("Tagesordnung.pdf") and ".." not in event.agenda.name
    download = world.client("anonymous").get(
        reverse("spaces:event_file_download", args=[event.pk, "tagesordnung"])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["X-Content-Type-Options"] == "nosniff"
    # The minutes of a public event are not public.
    no_minutes = world.client("anonymous").get(
        reverse("spaces:event_file_download", args=[event.pk, "protokoll"])
    )
    assert no_minutes.status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("protokoll.pdf", b"<html><script>alert(1)</script></html>", "markup"),
        ("protokoll.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "extension_mismatch"),
        ("protokoll.exe", b"MZ\x90\x00", "invalid_extension"),
    ],
)
def test_disguised_uploads_are_refused_with_a_message(
    world: World, name: str, content: bytes, code: str
) -> None:
    event = make_event(world.council, world.users["coordinator"])
    response = world.client("coordinator").post(
        reverse("spaces:event_files", args=[event.pk]),
        {"which": "minutes", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    event.refresh_from_db()
    assert not event.minutes


def test_an_oversized_upload_is_refused(world: World, settings: Any) -> None:
    settings.UPLOAD_MAX_BYTES = 100
    event = make_event(world.council, world.users["coordinator"])
    response = world.client("coordinator").post(
        reverse("spaces:event_files", args=[event.pk]),
        {"which": "agenda", "file": SimpleUploadedFile("a.pdf", PDF + b"x" * 200)},
    )
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_another_tenants_file_answers_404(world: World) -> None:
    mv = events_world(world).mv_meeting
    response = world.client("coordinator").get(
        reverse("spaces:event_file_download", args=[mv.pk, "tagesordnung"])
    )
    assert response.status_code == 404


def test_the_agenda_can_be_removed_after_a_confirmation(world: World) -> None:
    event = events_world(world).meeting
    url = reverse("spaces:event_file_delete", args=[event.pk, "tagesordnung"])
    client = world.client("coordinator")
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    event.refresh_from_db()
    assert not event.agenda and event.minutes


# Reminders -----------------------------------------------------------------------------------


def test_the_reminder_goes_to_registered_people_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    tomorrow_ten = datetime.datetime.combine(
        today + datetime.timedelta(days=1),
        datetime.time(10, 0),
        tzinfo=timezone.get_current_timezone(),
    )
    event = make_event(
        world.council,
        world.users["coordinator"],
        capacity=1,
        starts_at=tomorrow_ten,
        ends_at=tomorrow_ten + datetime.timedelta(hours=2),
    )
    later = make_event(world.council, world.users["coordinator"], days=5)
    services.registration_create(event=event, user=world.users["member"])
    services.registration_create(event=event, user=world.users["state_staff"])  # waiting
    services.registration_create(event=later, user=world.users["member"])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_event_reminders(today=today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_event_reminders(today=today) == 0
    reminders = Notification.objects.filter(kind="spaces.event_reminder")
    assert list(reminders.values_list("recipient__username", flat=True)) == ["member"]


# Goals and support ---------------------------------------------------------------------------


def test_the_goal_page_lists_the_linked_event(world: World) -> None:
    goals = strategy_world(world)
    event = make_event(world.council, world.users["coordinator"], goals=[goals.measure])
    page = world.client("state_staff").get(goals.measure.get_absolute_url()).content.decode()
    assert event.title in page


@pytest.mark.parametrize("model", ["event", "registration", "calendartoken"])
def test_the_admin_shows_the_events(world: World, model: str) -> None:
    ew = events_world(world)
    ew.token("member")
    client = world.client("platform_admin")
    assert client.get(reverse(f"admin:spaces_{model}_changelist")).status_code == 200
    if model == "event":
        change = reverse("admin:spaces_event_change", args=[ew.meeting.pk])
        assert client.get(change).status_code == 200


def test_the_lists_filter_by_kind(world: World) -> None:
    ew = events_world(world)
    ew.meeting, ew.seminar  # noqa: B018
    client = world.client("state_staff")
    url = reverse("spaces:council_events", args=[world.council.pk])
    shown = client.get(url + "?art=seminar").context["page"].object_list
    assert [e.title for e in shown] == ["Seminar Cybermobbing"]
    assert len(client.get(url + "?art=unbekannt").context["page"].object_list) == 2
