"""iCal files and feeds: valid (parsed back with icalendar), with Europe/Berlin, stable UIDs,
and behind the secret address only what its person may see."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from django.urls import reverse

from spaces import event_services as services
from spaces.ical import event_uid
from spaces.models import CalendarToken
from tests.conftest import World
from tests.spaces.world_events import events_world, make_event

pytestmark = pytest.mark.django_db


def parse(response: Any) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar: icalendar.Calendar) -> set[str]:
    return {str(e["summary"]) for e in calendar.walk("VEVENT")}


def test_an_events_file_is_valid_with_the_berlin_time_zone(world: World) -> None:
    event = events_world(world).forum
    response = world.client("anonymous").get(reverse("spaces:event_ical", args=[event.pk]))
    calendar = parse(response)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (entry,) = calendar.walk("VEVENT")
    assert entry["dtstart"].params["TZID"] == "Europe/Berlin"
    assert entry.decoded("dtstart") == event.starts_at
    assert entry.decoded("dtend") == event.ends_at
    assert str(entry["uid"]) == event_uid(event) == f"{event.uid}@lpr-portal"
    assert str(entry["location"]) == event.location
    assert event.get_absolute_url() in str(entry["url"])
    assert str(entry["status"]) == "CONFIRMED"
    assert b"BEGIN:VTIMEZONE" in response.content


def test_the_uid_stays_and_the_sequence_grows_when_the_event_changes(world: World) -> None:
    event = events_world(world).forum
    client = world.client("coordinator")
    url = reverse("spaces:event_ical", args=[event.pk])
    before = parse(client.get(url)).walk("VEVENT")[0]
    services.event_update(event=event, by=world.users["coordinator"], title="Neuer Titel")
    services.event_cancel(event=event, by=world.users["coordinator"])
    after = parse(client.get(url)).walk("VEVENT")[0]
    assert str(after["uid"]) == str(before["uid"])
    assert (int(before["sequence"]), int(after["sequence"])) == (0, 2)
    assert (str(after["summary"]), str(after["status"])) == ("Neuer Titel", "CANCELLED")


def test_the_personal_feed_shows_what_its_person_may_see(world: World) -> None:
    ew = events_world(world)
    ew.meeting, ew.seminar, ew.forum, ew.mv_forum, ew.mv_meeting  # noqa: B018
    anonymous = world.client("anonymous")
    member = parse(anonymous.get(reverse("spaces:token_feed", args=[ew.token("member")])))
    assert summaries(member) == {
        "Sitzung des Präventionsrats",
        "Seminar Cybermobbing",
        "Präventionsforum Hameln",
    }
    ngo = parse(anonymous.get(reverse("spaces:token_feed", args=[ew.token("ngo_representative")])))
    assert summaries(ngo) == {"Seminar Cybermobbing", "Präventionsforum Hameln"}
    mv = parse(
        anonymous.get(reverse("spaces:token_feed", args=[ew.token("other_state_coordinator")]))
    )
    assert summaries(mv) == {"Sitzung des Präventionsrats", "Präventionsforum Rostock"}
    # Only the Rostock meeting carries that title there.
    assert all(str(e["uid"]) != event_uid(ew.meeting) for e in mv.walk("VEVENT"))


def test_an_event_of_another_state_the_user_registered_for_is_in_the_feed(world: World) -> None:
    forum = events_world(world).mv_forum
    services.registration_create(event=forum, user=world.users["member"])
    feed = world.client("anonymous").get(
        reverse("spaces:token_feed", args=[events_world(world).token("member")])
    )
    assert "Präventionsforum Rostock" in summaries(parse(feed))


def test_renewing_and_revoking_the_address(world: World) -> None:
    member = world.users["member"]
    client = world.client("member")
    page = reverse("spaces:calendar_subscription")
    assert client.get(page).context["token"] is None
    client.post(page)
    first = CalendarToken.objects.get(user=member).token
    assert first in client.get(page).content.decode()
    anonymous = world.client("anonymous")
    assert anonymous.get(reverse("spaces:token_feed", args=[first])).status_code == 200

    client.post(reverse("spaces:calendar_token_renew"))
    second = CalendarToken.objects.get(user=member).token
    assert second != first
    assert anonymous.get(reverse("spaces:token_feed", args=[first])).status_code == 404
    assert anonymous.get(reverse("spaces:token_feed", args=[second])).status_code == 200

    client.post(reverse("spaces:calendar_token_revoke"))
    assert not CalendarToken.objects.filter(user=member).exists()
    assert anonymous.get(reverse("spaces:token_feed", args=[second])).status_code == 404


def test_an_inactive_person_s_address_shows_nothing(world: World) -> None:
    token = events_world(world).token("member")
    world.users["member"].is_active = False
    world.users["member"].save()
    response = world.client("anonymous").get(reverse("spaces:token_feed", args=[token]))
    assert response.status_code == 404


def test_the_council_feed_and_the_public_feed(world: World) -> None:
    ew = events_world(world)
    ew.meeting, ew.seminar, ew.forum, ew.mv_forum  # noqa: B018
    council = parse(
        world.client("member").get(reverse("spaces:council_ical", args=[world.council.pk]))
    )
    assert summaries(council) == {
        "Sitzung des Präventionsrats",
        "Seminar Cybermobbing",
        "Präventionsforum Hameln",
    }
    public = parse(world.client("anonymous").get(reverse("spaces:public_ical")))
    assert summaries(public) == {"Präventionsforum Hameln", "Präventionsforum Rostock"}


def test_an_empty_feed_is_still_a_valid_calendar_with_its_zone(world: World) -> None:
    calendar = parse(world.client("anonymous").get(reverse("spaces:public_ical")))
    assert not calendar.walk("VEVENT")
    assert calendar.walk("VTIMEZONE")


def test_a_past_event_outside_the_feed_window_is_left_out(world: World) -> None:
    make_event(world.council, world.users["coordinator"], title="Alt", days=-400)
    make_event(world.council, world.users["coordinator"], title="Neu", days=-10)
    feed = world.client("member").get(reverse("spaces:council_ical", args=[world.council.pk]))
    assert summaries(parse(feed)) == {"Neu"}
