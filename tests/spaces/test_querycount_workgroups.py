"""The lists of working groups and the focus-topic pages keep their number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from councils.models import OrganisationKind
from spaces.models import CouncilFocusTopic, FocusTopic, WorkingGroup, WorkingGroupMeeting
from tests.conftest import World
from tests.factories import OrganisationFactory
from tests.querycount import assert_constant_queries
from tests.spaces.world_workgroups import groups_world

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.status_code


def _more_groups(world: World, count: int) -> None:
    today = timezone.localdate()
    rows = [
        WorkingGroup(
            council=world.council,
            topic=f"Gruppe {n}",
            mandate="Auftrag",
            starts_on=today - datetime.timedelta(days=50),
            planned_end=today + datetime.timedelta(days=n - 5),
            lead=world.users["member"],
        )
        for n in range(count)
    ]
    WorkingGroup.objects.bulk_create(rows)
    for group in WorkingGroup.objects.filter(council=world.council):
        group.members.add(world.users["member"], world.users["coordinator"])


@pytest.mark.parametrize("role", ["coordinator", "state_staff"])
def test_workgroup_list(world: World, role: str) -> None:
    _ = groups_world(world).group
    url = reverse("spaces:workgroup_list", kwargs={"council": world.council.pk})
    assert_constant_queries(lambda: _get(world.client(role), url), lambda: _more_groups(world, 20))


@pytest.mark.parametrize("role", ["member", "state_staff", "platform_admin"])
def test_workgroup_mine(world: World, role: str) -> None:
    gw = groups_world(world)
    _ = gw.expert
    WorkingGroup.objects.filter(pk=gw.group.pk).update(status="active")
    url = reverse("spaces:workgroup_mine") + "?status=active"
    client = world.client(role)

    def grow() -> None:
        _more_groups(world, 20)
        WorkingGroup.objects.update(status="active")

    assert_constant_queries(lambda: _get(client, url), grow)


def test_workgroup_detail(world: World) -> None:
    gw = groups_world(world)
    group = gw.group
    _ = gw.meeting
    client = world.client("coordinator")

    def grow() -> None:
        for n in range(5):
            WorkingGroupMeeting.objects.create(
                group=group, starts_at=timezone.now(), place=f"Raum {n}"
            )

    assert_constant_queries(lambda: _get(client, group.get_absolute_url()), grow)


def test_topic_overview_and_catalogue(world: World) -> None:
    _ = groups_world(world).analysis
    client = world.client("state_staff")
    topics = list(FocusTopic.objects.filter(state=world.state))

    made = [0]

    def grow() -> None:
        for _ in range(10):
            made[0] += 1
            n = made[0]
            council = OrganisationFactory(
                state=world.state,
                kind=OrganisationKind.MUNICIPAL_COUNCIL,
                region=world.council.region,
                name=f"Rat {n}",
            )
            CouncilFocusTopic.objects.bulk_create(
                CouncilFocusTopic(council=council, topic=topic) for topic in topics[:4]
            )

    for url in (reverse("spaces:topic_overview"), reverse("spaces:topic_catalogue")):
        assert_constant_queries(lambda url=url: _get(client, url), grow)


def test_council_topics(world: World) -> None:
    _ = groups_world(world).analysis
    client = world.client("member")
    url = reverse("spaces:council_topics", kwargs={"council": world.council.pk})

    def grow() -> None:
        CouncilFocusTopic.objects.bulk_create(
            (
                CouncilFocusTopic(council=world.council, topic=topic)
                for topic in FocusTopic.objects.filter(state=world.state)
            ),
            ignore_conflicts=True,
        )

    assert_constant_queries(lambda: _get(client, url), grow)
