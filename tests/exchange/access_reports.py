"""Permission-matrix rules of the reporting periods, the exchange reports and the digest.

The world's NGO (``ngo_representative``) has a draft in the first state's period; a second NGO
of that state has a submitted report; the second state has a submitted report and a draft.
"""

from __future__ import annotations

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.exchange.world_reports import attach, exchange_world

FIRST_STATE = (
    "platform_admin",
    "state_admin",
    "state_staff",
    "coordinator",
    "member",
    "ngo_representative",
    "other_council_coordinator",
)


def _network() -> dict[str, int]:
    """Something of the first state the whole network of that state reads."""
    return everyone(404, anonymous=LOGIN, **dict.fromkeys(FIRST_STATE, 200))


def _other_network() -> dict[str, int]:
    return everyone(
        404, anonymous=LOGIN, platform_admin=200, other_state_admin=200, other_state_coordinator=200
    )


def _staff() -> dict[str, int]:
    """The first state's staff act; the rest of its network reads (403), others see nothing."""
    table = everyone(404, anonymous=LOGIN, **dict.fromkeys(FIRST_STATE, 403))
    table.update(platform_admin=200, state_admin=200, state_staff=200)
    return table


def _other_staff() -> dict[str, int]:
    return everyone(
        404, anonymous=LOGIN, platform_admin=200, other_state_admin=200, other_state_coordinator=403
    )


def _draft_readers() -> dict[str, int]:
    """A draft of the world's NGO: its representative and the state's staff, nobody else."""
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=200,
        state_admin=200,
        state_staff=200,
        ngo_representative=200,
    )


def _other_draft_readers() -> dict[str, int]:
    return everyone(404, anonymous=LOGIN, platform_admin=200, other_state_admin=200)


def _draft_editing(status: int = 200) -> dict[str, int]:
    """Only the NGO's representatives edit; the staff read the draft but may not (403)."""
    return everyone(
        404,
        anonymous=LOGIN,
        platform_admin=403,
        state_admin=403,
        state_staff=403,
        ngo_representative=status,
    )


def _other_draft_editing() -> dict[str, int]:
    """No role of the matrix represents the second state's NGO: its staff read, may not edit."""
    return everyone(404, anonymous=LOGIN, platform_admin=403, other_state_admin=403)


ACCESS: dict[str, Rule] = {
    "exchange:period_list": Rule(own=signed_in(200)),
    "exchange:period_create": Rule(
        own=signed_in(
            403, platform_admin=200, state_admin=200, state_staff=200, other_state_admin=200
        )
    ),
    "exchange:period_detail": Rule(
        own=_network(),
        kwargs=lambda w: {"pk": exchange_world(w).period.pk},
        other=_other_network(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_period.pk},
    ),
    "exchange:period_edit": Rule(
        own=_staff(),
        kwargs=lambda w: {"pk": exchange_world(w).period.pk},
        other=_other_staff(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_period.pk},
    ),
    "exchange:period_digest": Rule(
        own=_network(),
        kwargs=lambda w: {"pk": exchange_world(w).period.pk},
        other=_other_network(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_period.pk},
    ),
    "exchange:period_digest_pdf": Rule(
        own=_network(),
        kwargs=lambda w: {"pk": exchange_world(w).period.pk},
        other=_other_network(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_period.pk},
    ),
    "exchange:report_start": Rule(
        own=everyone(
            404, anonymous=LOGIN, **{**dict.fromkeys(FIRST_STATE, 403), "ngo_representative": 302}
        ),
        kwargs=lambda w: {"pk": exchange_world(w).period.pk},
        other=everyone(
            404,
            anonymous=LOGIN,
            platform_admin=403,
            other_state_admin=403,
            other_state_coordinator=403,
        ),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_period.pk},
        method="post",
    ),
    "exchange:report_list": Rule(own=signed_in(200)),
    "exchange:report_detail": Rule(
        own=_draft_readers(),
        kwargs=lambda w: {"pk": exchange_world(w).draft.pk},
        other=_other_network(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_state_submitted.pk},
    ),
    "exchange:report_edit": Rule(
        own=_draft_editing(),
        kwargs=lambda w: {"pk": exchange_world(w).draft.pk},
        other=_other_draft_editing(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_state_draft.pk},
    ),
    "exchange:report_submit": Rule(
        own=_draft_editing(),
        kwargs=lambda w: {"pk": exchange_world(w).draft.pk},
        other=_other_draft_editing(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_state_draft.pk},
    ),
    "exchange:report_return": Rule(
        own=_staff(),
        kwargs=lambda w: {"pk": exchange_world(w).submitted.pk},
        other=_other_staff(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_state_submitted.pk},
    ),
    "exchange:report_accept": Rule(
        own=_staff(),
        kwargs=lambda w: {"pk": exchange_world(w).submitted.pk},
        other=_other_staff(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_state_submitted.pk},
    ),
    "exchange:report_attachments": Rule(
        own=_draft_editing(),
        kwargs=lambda w: {"pk": exchange_world(w).draft.pk},
        other=_other_draft_editing(),
        other_kwargs=lambda w: {"pk": exchange_world(w).other_state_draft.pk},
    ),
    "exchange:report_attachment_download": Rule(
        own=_network(),
        kwargs=lambda w: {
            "pk": exchange_world(w).submitted.pk,
            "attachment_pk": attach(exchange_world(w).submitted).pk,
        },
        other=_other_draft_readers(),
        other_kwargs=lambda w: {
            "pk": exchange_world(w).other_state_draft.pk,
            "attachment_pk": attach(exchange_world(w).other_state_draft).pk,
        },
    ),
    "exchange:report_attachment_delete": Rule(
        own=_draft_editing(),
        kwargs=lambda w: {
            "pk": exchange_world(w).draft.pk,
            "attachment_pk": attach(exchange_world(w).draft).pk,
        },
        other=_other_draft_editing(),
        other_kwargs=lambda w: {
            "pk": exchange_world(w).other_state_draft.pk,
            "attachment_pk": attach(exchange_world(w).other_state_draft).pk,
        },
    ),
}
