"""The council spaces on the dashboards, on the council page and in the public directory."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from spaces.models import DocumentVisibility, EventAudience, WorkingGroupStatus
from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory
from tests.querycount import assert_constant_queries
from tests.spaces.world_dashboard import add_document, add_event, add_group, add_topic, grow_space

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def html_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def english(world: World, role: str) -> Client:
    client = world.client(role)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# The council's dashboard


def test_the_council_dashboard_shows_the_next_five_events_and_active_groups(world):
    events = [add_event(world.council, days=d, audience=EventAudience.MEMBERS) for d in range(1, 8)]
    add_event(world.council, days=-3, title="Vergangene Sitzung")
    add_event(world.other_council, days=2, audience=EventAudience.MEMBERS, title="Fremde Sitzung")
    overdue = add_group(world.council, topic="Schulwege", end_in_days=-2)
    add_group(world.council, topic="Suchtprävention", end_in_days=40)
    add_group(world.council, topic="Geplante Gruppe", status=WorkingGroupStatus.PLANNED)

    html = html_of(world.client("member"), DASHBOARD)

    for event in events[:5]:
        assert event.get_absolute_url() in html
        # German date of the event: 05.12.2026
        assert timezone.localtime(event.starts_at).strftime("%d.%m.%Y") in html
    assert events[5].get_absolute_url() not in html
    assert "Vergangene Sitzung" not in html
    assert "Fremde Sitzung" not in html
    assert overdue.get_absolute_url() in html
    assert overdue.planned_end.strftime("%d.%m.%Y") in html
    assert "Überfällig" in html
    assert "Suchtprävention" in html
    assert "Geplante Gruppe" not in html


def test_the_coordinator_is_offered_to_plan_when_nothing_is_planned(world):
    html = html_of(world.client("coordinator"), DASHBOARD)
    assert reverse("spaces:event_create", args=[world.council.pk]) in html
    assert reverse("spaces:workgroup_create", args=[world.council.pk]) in html
    member_html = html_of(world.client("member"), DASHBOARD)
    assert reverse("spaces:event_create", args=[world.council.pk]) not in member_html


# The network's dates (beside the feed)


def test_network_dates_show_the_states_network_and_public_events_only(world):
    network = add_event(world.other_council, days=3, audience=EventAudience.NETWORK)
    public = add_event(world.other_council, days=4, audience=EventAudience.PUBLIC)
    members = add_event(world.other_council, days=5, audience=EventAudience.MEMBERS)
    foreign = add_event(world.other_state_council, days=3, audience=EventAudience.PUBLIC)

    html = html_of(world.client("ngo_representative"), DASHBOARD)

    assert network.get_absolute_url() in html
    assert public.get_absolute_url() in html
    assert members.get_absolute_url() not in html
    assert foreign.get_absolute_url() not in html


def test_working_group_deadlines_are_those_the_user_may_open(world):
    own = add_group(world.council, topic="Eigene Frist", end_in_days=10)
    other = add_group(world.other_council, topic="Fremde Frist", end_in_days=10)
    later = add_group(world.council, topic="Ferne Frist", end_in_days=200)

    def dates(role: str) -> str:
        html = html_of(world.client(role), DASHBOARD)
        return html[html.index('id="network-dates-heading"') :]

    member = dates("member")
    assert own.get_absolute_url() in member
    assert other.get_absolute_url() not in member
    assert later.get_absolute_url() not in member

    staff = dates("state_staff")
    assert own.get_absolute_url() in staff and other.get_absolute_url() in staff

    ngo = dates("ngo_representative")
    assert "Eigene Frist" not in ngo and "Fremde Frist" not in ngo


# The state's network overview (linked from the dashboard)


def test_state_staff_see_each_region_with_its_councils_topics_and_activity(world):
    add_topic(world.council, "Verkehrssicherheit")
    add_topic(world.council, "Suchtprävention")
    past = add_event(world.council, days=-10)
    add_event(world.council, days=10)
    add_topic(world.other_state_council, "Extremismus")

    html = html_of(english(world, "state_staff"), reverse("network_overview"))

    section = html[html.index('id="space-regions-heading"') :]
    assert "Region Leine-Weser" in section and "Region Lüneburg" in section
    row = re.search(r"Präventionsrat Hameln</a></th>(.*?)</tr>", section, re.S)
    assert row is not None
    cells = row.group(1)
    assert "Verkehrssicherheit, Suchtprävention" in cells
    assert timezone.localtime(past.starts_at).strftime("%d/%m/%Y") in cells or (
        timezone.localtime(past.starts_at).strftime("%m/%d/%Y") in cells
    )
    assert "Extremismus" not in section
    assert "Präventionsrat Rostock" not in section
    assert section.count('class="table-responsive"') >= 2


def test_the_last_update_is_the_latest_change_in_the_space(world):
    from spaces.dashboard import state_space_overview

    group = add_group(world.council)
    document = add_document(world.council)
    event = add_event(world.council, days=5)
    overview = state_space_overview(world.state, world.users["state_staff"])
    rows = {row.council.pk: row for region in overview.regions for row in region.councils}
    hameln = rows[world.council.pk]
    assert hameln.last_update == max(group.updated_at, document.updated_at, event.updated_at)
    assert hameln.last_event is None  # the only event lies ahead
    assert rows[world.other_council.pk].last_update is None


# The council page links the council's space


def test_the_council_page_links_the_space_with_numbers(world):
    add_event(world.council, days=3, audience=EventAudience.MEMBERS)
    add_group(world.council)
    add_topic(world.council)
    add_document(world.council)
    url = reverse("councils:organisation_detail", args=[world.council.pk])

    member = html_of(world.client("member"), url)
    for name in ("council_events", "workgroup_list", "council_topics", "document_list"):
        assert reverse(f"spaces:{name}", args=[world.council.pk]) in member
    assert "(1 bevorstehend)" in member and "(1 aktiv)" in member

    # Another council of the state: events and documents they may see; no groups or topics.
    other = html_of(world.client("other_council_coordinator"), url)
    assert reverse("spaces:council_events", args=[world.council.pk]) in other
    assert reverse("spaces:document_list", args=[world.council.pk]) in other
    assert reverse("spaces:workgroup_list", args=[world.council.pk]) not in other
    assert reverse("spaces:council_topics", args=[world.council.pk]) not in other
    assert "(0 bevorstehend)" in other  # the members-only event is not theirs


def test_an_ngo_page_has_no_council_space(world):
    html = html_of(
        world.client("ngo_representative"),
        reverse("councils:organisation_detail", args=[world.ngo.pk]),
    )
    assert 'id="council-space-heading"' not in html


def test_the_council_page_counts_in_one_query(world):
    client = world.client("member")
    url = reverse("councils:organisation_detail", args=[world.council.pk])
    assert_constant_queries(lambda: client.get(url), lambda: grow_space(world.council, rows=8))


# The public directory links public documents and events


def test_the_directory_links_public_documents_and_events(world):
    add_document(world.council, visibility=DocumentVisibility.PUBLIC)
    add_document(world.council, visibility=DocumentVisibility.PUBLIC)
    add_document(world.council, visibility=DocumentVisibility.MEMBERS)
    add_event(world.council, days=4, audience=EventAudience.PUBLIC)
    add_event(world.council, days=4, audience=EventAudience.NETWORK)
    add_document(world.other_council, visibility=DocumentVisibility.STATE)

    html = html_of(Client(), reverse("directory_state", args=[world.state.slug]))

    assert reverse("spaces:public_document_list", args=[world.council.pk]) in html
    assert "2 öffentliche Dokumente" in html
    assert f"?rat={world.council.pk}" in html
    assert "1 öffentliche Veranstaltung" in html
    assert reverse("spaces:public_document_list", args=[world.other_council.pk]) not in html
    assert f"?rat={world.other_council.pk}" not in html


def test_the_directory_keeps_its_query_count_with_public_space_rows(world):
    client = Client()
    url = reverse("directory_state", args=[world.state.slug])

    def grow() -> None:
        for _ in range(5):
            council = OrganisationFactory(state=world.state, region=world.council.region)
            MembershipFactory(organisation=council)
            add_document(council, visibility=DocumentVisibility.PUBLIC)
            add_event(council, days=3, audience=EventAudience.PUBLIC)

    assert_constant_queries(lambda: client.get(url), grow)


def test_the_public_calendar_shows_one_councils_events(world):
    mine = add_event(world.council, days=4, audience=EventAudience.PUBLIC, title="Forum Hameln")
    add_event(world.other_council, days=4, audience=EventAudience.PUBLIC, title="Forum Lüneburg")
    url = reverse("spaces:public_calendar")

    html = html_of(Client(), f"{url}?rat={world.council.pk}")
    assert mine.title in html and "Forum Lüneburg" not in html
    assert "Präventionsrat Hameln" in html

    # A council of no public directory (an NGO) or nonsense shows nothing, without an error.
    assert "Forum" not in html_of(Client(), f"{url}?rat={world.ngo.pk}")
    assert "Forum Lüneburg" in html_of(Client(), f"{url}?rat=abc")


def test_dates_in_the_feed_are_german(world):
    event = add_event(world.other_council, days=3, audience=EventAudience.NETWORK)
    html = html_of(world.client("member"), DASHBOARD)
    day = timezone.localtime(event.starts_at).date()
    assert day.strftime("%d.%m.%Y") in html
    assert isinstance(day, datetime.date)
