"""Permission-matrix rules of the events, the calendar files and the public calendar.

The first state's council (Hameln) organises the events (its coordinator); the member is
registered for its members-only meeting. The second state's council (Rostock) has its own.
Public events are open to everybody; the visibility of each audience is tested in
tests/spaces/test_events.py.
"""

from __future__ import annotations

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.spaces.world_events import events_world

#: Who sees a members-only event of the first state's council (besides the platform admin).
_COUNCIL_AND_STAFF = ("platform_admin", "state_admin", "state_staff", "coordinator", "member")


def _meeting(status: int, **overrides: int) -> dict[str, int]:
    """The first state's members-only meeting: the council and the state office see it."""
    table = everyone(404, anonymous=LOGIN)
    table.update(dict.fromkeys(_COUNCIL_AND_STAFF, status))
    table.update(overrides)
    return table


def _mv_meeting(status: int, **overrides: int) -> dict[str, int]:
    table = everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=status,
    )
    table.update(overrides)
    return table


def _first_state(status: int, **overrides: int) -> dict[str, int]:
    table = signed_in(status, other_state_admin=404, other_state_coordinator=404)
    table.update(overrides)
    return table


def _organiser(status: int) -> dict[str, int]:
    """Organiser pages: the coordinator acts; others who see the event get 403."""
    return _meeting(403, coordinator=status)


def _mv_organiser(status: int) -> dict[str, int]:
    return _mv_meeting(403, other_state_coordinator=status)


def _meeting_pk(w: object) -> dict[str, int]:
    return {"pk": events_world(w).meeting.pk}  # type: ignore[arg-type]


def _mv_meeting_pk(w: object) -> dict[str, int]:
    return {"pk": events_world(w).mv_meeting.pk}  # type: ignore[arg-type]


ACCESS: dict[str, Rule] = {
    "spaces:event_list": Rule(own=signed_in(200)),
    "spaces:council_events": Rule(
        own=_first_state(200),
        kwargs=lambda w: {"council": w.council.pk},
        other=_mv_meeting(200),
        other_kwargs=lambda w: {"council": w.other_state_council.pk},
    ),
    "spaces:council_ical": Rule(
        own=_first_state(200),
        kwargs=lambda w: {"council": events_world(w).meeting.council_id},
        other=_mv_meeting(200),
        other_kwargs=lambda w: {"council": events_world(w).mv_meeting.council_id},
    ),
    "spaces:event_create": Rule(
        own=_first_state(403, coordinator=200),
        kwargs=lambda w: {"council": w.council.pk},
        other=_mv_meeting(403, other_state_coordinator=200),
        other_kwargs=lambda w: {"council": w.other_state_council.pk},
    ),
    "spaces:event_detail": Rule(
        own=_meeting(200),
        kwargs=_meeting_pk,
        other=_mv_meeting(200),
        other_kwargs=_mv_meeting_pk,
    ),
    "spaces:event_ical": Rule(
        own=_meeting(200),
        kwargs=_meeting_pk,
        other=_mv_meeting(200),
        other_kwargs=_mv_meeting_pk,
    ),
    "spaces:event_edit": Rule(
        own=_organiser(200),
        kwargs=_meeting_pk,
        other=_mv_organiser(200),
        other_kwargs=_mv_meeting_pk,
    ),
    "spaces:event_cancel": Rule(
        own=_organiser(200),
        kwargs=_meeting_pk,
        other=_mv_organiser(200),
        other_kwargs=_mv_meeting_pk,
    ),
    "spaces:event_files": Rule(
        own=_organiser(200),
        kwargs=_meeting_pk,
        other=_mv_organiser(200),
        other_kwargs=_mv_meeting_pk,
    ),
    "spaces:event_file_delete": Rule(
        own=_organiser(200),
        kwargs=lambda w: {"pk": events_world(w).meeting.pk, "which": "tagesordnung"},
        other=_mv_organiser(200),
        other_kwargs=lambda w: {"pk": events_world(w).mv_meeting.pk, "which": "tagesordnung"},
    ),
    # The minutes of a network seminar: the council, the state office and the participants.
    "spaces:event_file_download": Rule(
        own=_first_state(200, ngo_representative=403, other_council_coordinator=403),
        kwargs=lambda w: {"pk": events_world(w).seminar.pk, "which": "protokoll"},
        other=_mv_meeting(200),
        other_kwargs=lambda w: {"pk": events_world(w).mv_meeting.pk, "which": "protokoll"},
    ),
    "spaces:event_register": Rule(
        own=_meeting(302),
        kwargs=_meeting_pk,
        other=_mv_meeting(302),
        other_kwargs=_mv_meeting_pk,
        method="post",
    ),
    # The member is registered (confirmation page); the others are sent back to the event.
    "spaces:event_unregister": Rule(
        own=_meeting(302, member=200),
        kwargs=_meeting_pk,
        other=_mv_meeting(302),
        other_kwargs=_mv_meeting_pk,
    ),
    "spaces:event_participants": Rule(
        own=_meeting(200, member=403),
        kwargs=_meeting_pk,
        other=_mv_meeting(200, other_state_coordinator=200),
        other_kwargs=_mv_meeting_pk,
    ),
    "spaces:event_participants_csv": Rule(
        own=_meeting(200, member=403),
        kwargs=_meeting_pk,
        other=_mv_meeting(200),
        other_kwargs=_mv_meeting_pk,
    ),
    "spaces:public_calendar": Rule(own=everyone(200)),
    "spaces:public_ical": Rule(own=everyone(200)),
    "spaces:calendar_subscription": Rule(own=signed_in(200)),
    "spaces:calendar_token_renew": Rule(own=signed_in(200)),
    "spaces:calendar_token_revoke": Rule(own=signed_in(200)),
    # The secret address is the key: whoever holds it reads that person's calendar.
    "spaces:token_feed": Rule(
        own=everyone(200), kwargs=lambda w: {"token": events_world(w).token("member")}
    ),
    "spaces:token_council_feed": Rule(
        own=everyone(200),
        kwargs=lambda w: {"token": events_world(w).token("member"), "council": w.council.pk},
        other=everyone(404),
        other_kwargs=lambda w: {
            "token": events_world(w).token("member"),
            "council": w.other_state_council.pk,
        },
    ),
}
