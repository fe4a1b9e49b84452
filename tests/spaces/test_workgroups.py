"""Working groups: the coordinator forms, changes and moves them; experts see their group only."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from spaces.models import WorkingGroup, WorkingGroupStatus, WorkingGroupStatusChange
from strategy.models import Goal, GoalLink, Level, Strategy, StrategyStatus
from tests.conftest import World
from tests.spaces.world_workgroups import groups_world, make_group, pdf

pytestmark = pytest.mark.django_db


def _url(name: str, group: WorkingGroup, **extra: object) -> str:
    return reverse(f"spaces:{name}", kwargs={"council": group.council_id, "pk": group.pk, **extra})


def _adopted_goal(world: World) -> Goal:
    strategy = Strategy.objects.create(
        state=world.state,
        title="Landesstrategie",
        status=StrategyStatus.ADOPTED,
        adopted_on=datetime.date(2026, 1, 1),
    )
    root = Goal.objects.create(strategy=strategy, level=Level.GUIDING_GOAL, title="Sicher leben")
    return Goal.objects.create(
        strategy=strategy, parent=root, level=Level.STRATEGIC_GOAL, title="Sichere Schulwege"
    )


def test_the_coordinator_forms_a_group_with_members_lead_and_goals(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    goal = _adopted_goal(world)
    client = world.client("coordinator")
    url = reverse("spaces:workgroup_create", kwargs={"council": world.council.pk})
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "topic": "Verkehrssicherheit",
                "mandate": "Ein Handlungskonzept für sichere Schulwege.",
                "starts_on": "2026-01-10",
                "planned_end": "2026-09-30",
                "lead": world.users["member"].pk,
                "members": [world.users["member"].pk],
                "goals": [goal.pk],
            },
        )
    group = WorkingGroup.objects.get()
    assert response.status_code == 302 and response.url == group.get_absolute_url()
    assert group.status == WorkingGroupStatus.PLANNED
    assert group.lead == world.users["member"]
    assert list(group.members.all()) == [world.users["member"]]
    assert GoalLink.objects.filter(goal=goal, object_id=group.pk).exists()
    assert WorkingGroupStatusChange.objects.get(group=group).to_status == "planned"
    assert Notification.objects.filter(
        recipient=world.users["member"], kind="spaces.group_lead"
    ).exists()
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Sichere Schulwege" in page and "Verkehrssicherheit" in page


def test_a_failed_save_keeps_what_was_typed(world: World) -> None:
    client = world.client("coordinator")
    url = reverse("spaces:workgroup_create", kwargs={"council": world.council.pk})
    response = client.post(
        url,
        {
            "topic": "Suchtprävention",
            "mandate": "Konzept",
            "starts_on": "2026-05-01",
            "planned_end": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert "Suchtprävention" in response.content.decode()
    assert "Das geplante Ende darf nicht vor dem Beginn liegen." in response.content.decode()
    assert not WorkingGroup.objects.exists()


def test_a_person_outside_the_council_cannot_be_made_member(world: World) -> None:
    client = world.client("coordinator")
    url = reverse("spaces:workgroup_create", kwargs={"council": world.council.pk})
    response = client.post(
        url,
        {
            "topic": "Sucht",
            "mandate": "Konzept",
            "starts_on": "2026-01-01",
            "planned_end": "2026-04-01",
            "members": [world.users["other_council_coordinator"].pk],
        },
    )
    assert response.status_code == 200 and not WorkingGroup.objects.exists()


def test_the_status_moves_through_the_state_machine_with_a_log(world: World) -> None:
    group = groups_world(world).group
    client = world.client("coordinator")
    assert client.post(_url("workgroup_transition", group, action="finish")).status_code == 302
    group.refresh_from_db()
    assert group.status == "planned"  # finishing a planned group is refused
    client.post(_url("workgroup_transition", group, action="start"), {"reason": "Los geht's"})
    client.post(_url("workgroup_transition", group, action="finish"))
    group.refresh_from_db()
    assert group.status == "finished" and group.finished_on == timezone.localdate()
    log = list(
        WorkingGroupStatusChange.objects.filter(group=group).values_list("to_status", "reason")
    )
    assert log == [("planned", ""), ("active", "Los geht's"), ("finished", "")]
    assert client.post(_url("workgroup_transition", group, action="hack")).status_code == 404


def test_overdue_groups_are_flagged_in_the_list(world: World) -> None:
    today = timezone.localdate()
    late = make_group(
        world.council,
        world.users["coordinator"],
        topic="Einbruchschutz",
        starts_on=today - datetime.timedelta(days=200),
        planned_end=today - datetime.timedelta(days=3),
    )
    WorkingGroup.objects.filter(pk=late.pk).update(status="active")
    make_group(world.council, world.users["coordinator"], topic="Gewalt")
    client = world.client("member")
    url = reverse("spaces:workgroup_list", kwargs={"council": world.council.pk})
    page = client.get(url).content.decode()
    assert page.count("Überfällig</span>") == 1
    only = client.get(url, {"status": "overdue"}).content.decode()
    assert "Einbruchschutz" in only and "Gewalt" not in only
    empty = client.get(url, {"q": "nichts"}).content.decode()
    assert "Keine Arbeitsgruppe passt zum Filter." in empty


def test_an_expert_of_the_state_is_invited_and_sees_only_the_group(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    gw = groups_world(world)
    group = gw.group
    with django_capture_on_commit_callbacks(execute=True):
        expert = gw.expert
    notice = Notification.objects.get(recipient=expert, kind="spaces.expert_invited")
    assert notice.url == group.get_absolute_url()
    from django.test import Client

    client = Client()
    client.force_login(expert)
    assert client.get(group.get_absolute_url()).status_code == 200
    assert client.get(_url("workgroup_result_file", group)).status_code == 200
    assert client.get(_url("workgroup_edit", group)).status_code == 403
    council = {"council": world.council.pk}
    assert client.get(reverse("spaces:workgroup_list", kwargs=council)).status_code == 403
    assert client.get(reverse("spaces:council_topics", kwargs=council)).status_code == 403
    other = make_group(world.council, world.users["coordinator"], topic="Andere Gruppe")
    assert client.get(other.get_absolute_url()).status_code == 403
    mine = client.get(reverse("spaces:workgroup_mine")).content.decode()
    assert group.topic in mine and "Andere Gruppe" not in mine
    assert expert.has_perm("spaces.take_part_workinggroup", group)
    assert not expert.has_perm("spaces.take_part_workinggroup", other)
    # Removing the expert ends the access.
    world.client("coordinator").post(_url("workgroup_expert_remove", group, user_pk=expert.pk))
    assert client.get(group.get_absolute_url()).status_code == 403


def test_people_of_another_state_or_unknown_addresses_are_not_invited(world: World) -> None:
    group = groups_world(world).group
    client = world.client("coordinator")
    url = _url("workgroup_expert_invite", group)
    for email in (world.users["other_state_coordinator"].email, "niemand@example.org"):
        response = client.post(url, {"email": email}, follow=True)
        assert "Niemand aus dem Netzwerk dieses Landes" in response.content.decode()
    response = client.post(url, {"email": world.users["member"].email}, follow=True)
    assert "Mitglied des Rates" in response.content.decode()


def test_meetings_with_minutes_and_the_result_document(world: World) -> None:
    group = groups_world(world).group
    lead = world.client("member")
    response = lead.post(
        _url("workgroup_meeting_create", group),
        {
            "starts_at": "2026-03-04T18:00",
            "place": "Rathaus",
            "notes": "Auftakt",
            "minutes": pdf("protokoll.pdf"),
        },
    )
    assert response.status_code == 302
    meeting = group.meetings.get()
    minutes = lead.get(_url("workgroup_meeting_minutes", group, meeting=meeting.pk))
    assert minutes["X-Content-Type-Options"] == "nosniff"
    assert b"".join(minutes.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    response = lead.post(
        _url("workgroup_result", group),
        {"title": "Handlungskonzept", "file": pdf("konzept.exe.pdf", b"MZ\x90\x00 kein pdf")},
    )
    assert response.status_code == 200
    assert "ist keine echte PDF-Datei" in response.content.decode()
    lead.post(_url("workgroup_result", group), {"title": "Konzept 2026", "file": pdf()})
    group.refresh_from_db()
    assert group.result_title == "Konzept 2026"
    assert "/media/" not in lead.get(group.get_absolute_url()).content.decode()
    lead.post(_url("workgroup_meeting_delete", group, meeting=meeting.pk))
    assert not group.meetings.exists()


def test_a_path_in_the_file_name_is_dropped(world: World) -> None:
    group = groups_world(world).group
    world.client("coordinator").post(
        _url("workgroup_result", group), {"title": "Konzept", "file": pdf("../../etc/konzept.pdf")}
    )
    group.refresh_from_db()
    name = group.result_file.name
    assert ".." not in name and "etc" not in name and name.rsplit("/", 1)[-1].startswith("konzept")


def test_an_expert_who_leaves_their_organisation_loses_access(world: World) -> None:
    from django.test import Client

    gw = groups_world(world)
    group, expert = gw.group, gw.expert
    expert.memberships.update(end_date=timezone.localdate())
    client = Client()
    client.force_login(expert)
    assert client.get(group.get_absolute_url()).status_code == 404
    assert group.topic not in client.get(reverse("spaces:workgroup_mine")).content.decode()


def test_a_new_planned_end_allows_a_new_reminder(world: World) -> None:
    group = groups_world(world).group
    WorkingGroup.objects.filter(pk=group.pk).update(overdue_notice_sent_at=timezone.now())
    response = world.client("coordinator").post(
        _url("workgroup_edit", group),
        {
            "topic": group.topic,
            "mandate": group.mandate,
            "starts_on": group.starts_on.isoformat(),
            "planned_end": (group.planned_end + datetime.timedelta(days=30)).isoformat(),
            "lead": world.users["member"].pk,
            "members": [world.users["member"].pk],
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.overdue_notice_sent_at is None
    assert list(group.members.all()) == [world.users["member"]]


def test_nul_bytes_are_refused(world: World) -> None:
    url = reverse("spaces:workgroup_create", kwargs={"council": world.council.pk})
    response = world.client("coordinator").post(
        url,
        {
            "topic": "Sucht\x00",
            "mandate": "Konzept",
            "starts_on": "2026-01-01",
            "planned_end": "2026-04-01",
        },
    )
    assert response.status_code == 200 and not WorkingGroup.objects.exists()
