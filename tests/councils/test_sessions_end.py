"""Every way a seat ends or an account is locked signs the person out (issue 12).

The edit form with an end date of today or earlier, the "end" action, Django's admin (the seat's
form, the person's form with its inline seats, deleting a seat), the deactivation and the erasure
end the sessions at once; a seat whose end date lies ahead ends them when the day comes (beat).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import privacy
from core.sessions import SIGNED_IN_AT, UserSession
from councils import services, tasks
from councils.models import Membership, Position, Role, User
from tests.conftest import World
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def _sessions(user: User) -> int:
    return UserSession.objects.filter(user=user).count()


def _signed_out(client: Client) -> bool:
    response = client.get(DASHBOARD)
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _edit(world: World, seat: Membership, end: date | None, *, role: str = "state_admin") -> None:
    url = reverse("councils:membership_edit", kwargs={"pk": seat.pk})
    response = world.client(role).post(
        url,
        {
            "role": seat.role,
            "position": seat.position,
            "affiliation": seat.affiliation,
            "home_organisation": seat.home_organisation,
            "start_date": seat.start_date.isoformat(),
            "end_date": end.isoformat() if end else "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors


def _at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _began_at(client: Client, moment: datetime | None) -> None:
    """Pretend the client's session began at the moment (None: a session that does not say)."""
    session = client.session
    if moment is None:
        session.pop(SIGNED_IN_AT, None)
    else:
        session[SIGNED_IN_AT] = moment.timestamp()
    session.save()


# At once -------------------------------------------------------------------------------------


@pytest.mark.parametrize("days_ago", [0, 3])
def test_an_end_date_of_today_or_earlier_in_the_edit_form_signs_out(
    world: World, days_ago: int
) -> None:
    person = world.users["member"]
    phone, laptop = world.client("member"), world.client("member")
    bystander = world.client("coordinator")
    _edit(world, person.memberships.get(), timezone.localdate() - timedelta(days=days_ago))
    assert _sessions(person) == 0
    assert _signed_out(phone) and _signed_out(laptop)
    assert not _signed_out(bystander)


def test_the_council_coordinator_ending_a_seat_in_the_form_signs_out(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    _edit(world, person.memberships.get(), timezone.localdate(), role="coordinator")
    assert _signed_out(client)


def test_an_end_date_ahead_keeps_the_sessions(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    _edit(world, person.memberships.get(), timezone.localdate() + timedelta(days=5))
    assert _sessions(person) == 1
    assert not _signed_out(client)


def test_changing_a_seat_that_had_ended_before_signs_nobody_out(world: World) -> None:
    """A correction of a former seat's position (the person sits elsewhere now) ends nothing."""
    person = world.users["coordinator"]
    former = MembershipFactory(
        user=person,
        organisation=world.other_council,
        role=Role.COUNCIL_MEMBER,
        end_date=timezone.localdate() - timedelta(days=10),
    )
    client = world.client("coordinator")
    _edit(world, former, timezone.localdate() - timedelta(days=12))
    former.position = Position.DEPUTY_CHAIR
    former.save()
    assert not _signed_out(client)


def test_recording_a_former_seat_signs_nobody_out(world: World) -> None:
    client = world.client("member")
    MembershipFactory(
        user=world.users["member"],
        organisation=world.other_council,
        end_date=timezone.localdate() - timedelta(days=1),
    )
    assert not _signed_out(client)


def test_the_end_action_signs_out(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    url = reverse("councils:membership_end", kwargs={"pk": person.memberships.get().pk})
    assert world.client("coordinator").post(url).status_code == 302
    assert _signed_out(client)


def test_a_save_that_does_not_write_the_end_date_or_the_account_state_ends_nothing(
    world: World, django_assert_num_queries: Any
) -> None:
    person = world.users["member"]
    client = world.client("member")
    person.is_active = False  # not written: only the last sign-in is
    with django_assert_num_queries(1):
        person.save(update_fields=["last_login"])
    assert not _signed_out(client)


# Django's admin ------------------------------------------------------------------------------


class _FormValues(HTMLParser):
    """What a browser would send for the form with the given id (its fields as rendered)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in {"submit", "button", "file"}:
            if a.get("type") in {"checkbox", "radio"}:
                if "checked" in a:
                    self.values.append((name, a.get("value") or "on"))
            else:
                self.values.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.append((name, ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            name, text = self.values.pop()
            self.values.append((name, text + data))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _admin_post(client: Client, url: str, form_id: str, **changes: str | None) -> None:
    """Submit the admin's change form as rendered, with some fields changed (None: unticked)."""
    parser = _FormValues(form_id)
    parser.feed(client.get(url).content.decode())
    data: dict[str, Any] = {}
    for name, value in parser.values:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = [value]
    data.pop("_addanother", None)
    data["_save"] = ["Save"]
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        f.errors for f in response.context.get("errors", [])
    ]


def _change(obj: Membership | User) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def test_ending_a_seat_in_django_admin_signs_out(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    seat = person.memberships.get()
    today = timezone.localdate().isoformat()
    _admin_post(world.client("platform_admin"), _change(seat), "membership_form", end_date=today)
    seat.refresh_from_db()
    assert seat.end_date == timezone.localdate()
    assert _signed_out(client)


def test_ending_an_inline_seat_on_the_persons_admin_page_signs_out(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    today = timezone.localdate().isoformat()
    inline_end = {"memberships-0-end_date": today}
    _admin_post(world.client("platform_admin"), _change(person), "user_form", **inline_end)
    assert person.memberships.get().end_date == timezone.localdate()
    assert _signed_out(client)


def test_deactivating_in_django_admin_signs_out(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    _admin_post(world.client("platform_admin"), _change(person), "user_form", is_active=None)
    person.refresh_from_db()
    assert not person.is_active
    assert _sessions(person) == 0  # not only refused at the next request: gone
    assert _signed_out(client)


def test_deleting_a_held_seat_in_django_admin_signs_out(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    seat = person.memberships.get()
    url = reverse("admin:councils_membership_delete", args=[seat.pk])
    assert world.client("platform_admin").post(url, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=seat.pk).exists()
    assert _signed_out(client)


# Deactivation and erasure --------------------------------------------------------------------


def test_deactivating_in_the_portal_signs_out(world: World) -> None:
    person = world.users["member"]
    client = world.client("member")
    url = reverse("councils:user_deactivate", kwargs={"pk": person.pk})
    assert world.client("state_admin").post(url).status_code == 302
    assert _sessions(person) == 0
    assert _signed_out(client)


def test_erasure_ends_the_seats_and_counts_the_sessions(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    person = world.users["coordinator"]
    for _ in range(2):
        world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        result = privacy.erase_person(person=person, by=world.users["state_admin"])
    assert (result.sessions_ended, result.memberships_ended) == (2, 1)
    assert _sessions(person) == 0
    assert person.memberships.get().end_date == timezone.localdate()
    # The erased person is told nothing: their notifications are gone with them.
    assert not person.notifications.exists()


# When an end date set ahead comes (beat) -----------------------------------------------------


def test_a_seat_ending_ahead_signs_out_when_the_day_comes(world: World) -> None:
    person = world.users["member"]
    end = timezone.localdate() + timedelta(days=3)
    _edit(world, person.memberships.get(), end)
    world.client("member")  # signed in before the end: while the seat was held
    after = world.client("member")  # signed in on the day (through another seat, say)
    _began_at(after, _at(end, 0, 30))
    unknown = world.client("member")
    _began_at(unknown, None)
    bystander = world.client("coordinator")

    assert services.sessions_end_for_ended_memberships(now=_at(end - timedelta(days=1), 23)) == 0
    assert _sessions(person) == 3
    assert services.sessions_end_for_ended_memberships(now=_at(end, 1)) == 2
    keys = set(UserSession.objects.filter(user=person).values_list("session_key", flat=True))
    assert keys == {after.session.session_key}
    assert UserSession.objects.filter(user=world.users["coordinator"]).count() == 1
    assert not _signed_out(bystander)
    # Running again (each hour) ends nothing more.
    assert services.sessions_end_for_ended_memberships(now=_at(end, 2)) == 0


def test_seats_ended_longer_ago_than_a_session_can_last_are_not_looked_at(
    world: World, settings: Any
) -> None:
    settings.SESSION_ABSOLUTE_TIMEOUT = 10 * 60 * 60
    person = world.users["member"]
    seat = person.memberships.get()
    Membership.objects.filter(pk=seat.pk).update(end_date=timezone.localdate() - timedelta(days=2))
    client = world.client("member")
    _began_at(client, None)  # would count as begun before, if the seat were looked at
    assert services.sessions_end_for_ended_memberships() == 0
    assert _sessions(person) == 1


def test_the_beat_runs_the_task_every_hour(world: World) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["end-sessions-of-ended-memberships"]
    assert entry["task"] == tasks.end_sessions_of_ended_memberships.name
    assert entry["schedule"] == 3600.0
    person = world.users["member"]
    today = timezone.localdate()
    _began_at(world.client("member"), _at(today - timedelta(days=1), 22))
    Membership.objects.filter(user=person).update(end_date=today)  # set ahead, reached today
    assert tasks.end_sessions_of_ended_memberships.delay().get() == 1
    assert _sessions(person) == 0
