"""Permission-matrix rules of the offer catalogue, the requests for offers and the coverage.

The first state's offers belong to the NGO (its representative acts for it); the second
state's to its state office (the other state's admin acts for it). Requests are made by the
first state's council (coordinator, member) and by the Rostock council of the second state.
"""

from __future__ import annotations

from tests.access import LOGIN, Rule, everyone, signed_in
from tests.exchange.world_offers import offers_world

#: Who publishes offers: the state offices' people and the NGO's representative.
PROVIDERS = {"state_admin": 200, "state_staff": 200, "ngo_representative": 200}


def _first_state_sees(status: int, **overrides: int) -> dict[str, int]:
    """Everyone of the first state (and the platform admin) gets the status; the second 404."""
    table = signed_in(status, other_state_admin=404, other_state_coordinator=404)
    table.update(overrides)
    return table


def _second_state_sees(status: int, **overrides: int) -> dict[str, int]:
    table = everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        other_state_admin=status,
        other_state_coordinator=status,
    )
    table.update(overrides)
    return table


def _request_readers(status: int, **overrides: int) -> dict[str, int]:
    """A request of the first state's council to the NGO: the council, the NGO, the staff."""
    table = everyone(
        404,
        anonymous=LOGIN,
        platform_admin=status,
        state_admin=status,
        state_staff=status,
        coordinator=status,
        member=status,
        ngo_representative=status,
    )
    table.update(overrides)
    return table


def _provider_step(status: int) -> dict[str, int]:
    return _request_readers(403, ngo_representative=status)


def _other_provider_step(status: int) -> dict[str, int]:
    return _second_state_sees(403, other_state_admin=status)


def _requester_step(status: int) -> dict[str, int]:
    return _request_readers(403, coordinator=status)


def _other_requester_step(status: int) -> dict[str, int]:
    return _second_state_sees(403, other_state_coordinator=status)


ACCESS: dict[str, Rule] = {
    "exchange:offer_list": Rule(own=signed_in(200)),
    "exchange:offer_create": Rule(own=signed_in(403, **PROVIDERS, other_state_admin=200)),
    "exchange:offer_mine": Rule(own=signed_in(403, **PROVIDERS, other_state_admin=200)),
    "exchange:offer_detail": Rule(
        own=_first_state_sees(200),
        kwargs=lambda w: {"pk": offers_world(w).offer.pk},
        other=_second_state_sees(200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_offer.pk},
    ),
    "exchange:offer_edit": Rule(
        own=_first_state_sees(403, ngo_representative=200),
        kwargs=lambda w: {"pk": offers_world(w).offer.pk},
        other=_second_state_sees(403, other_state_admin=200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_offer.pk},
    ),
    # An unpublished offer: only its provider's people and the state's staff see it.
    "exchange:offer_publish": Rule(
        own=everyone(
            404,
            anonymous=LOGIN,
            platform_admin=403,
            state_admin=403,
            state_staff=403,
            ngo_representative=302,
        ),
        kwargs=lambda w: {"pk": offers_world(w).draft_offer.pk},
        other=everyone(404, anonymous=LOGIN, platform_admin=403, other_state_admin=302),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_draft_offer.pk},
        method="post",
    ),
    "exchange:offer_unpublish": Rule(
        own=_first_state_sees(403, ngo_representative=200),
        kwargs=lambda w: {"pk": offers_world(w).offer.pk},
        other=_second_state_sees(403, other_state_admin=200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_offer.pk},
    ),
    "exchange:offer_request_create": Rule(
        own=_first_state_sees(403, coordinator=200, other_council_coordinator=200),
        kwargs=lambda w: {"pk": offers_world(w).offer.pk},
        other=_second_state_sees(403, other_state_coordinator=200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_offer.pk},
    ),
    # A submitted report is read by its state's network; only the NGO's people act on it.
    "exchange:offer_from_resource": Rule(
        own=_first_state_sees(403, ngo_representative=302),
        kwargs=lambda w: {"pk": offers_world(w).resource.pk},
        other=_second_state_sees(403),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_resource.pk},
        method="post",
    ),
    "exchange:offer_request_list": Rule(own=signed_in(200)),
    "exchange:offer_request_detail": Rule(
        own=_request_readers(200),
        kwargs=lambda w: {"pk": offers_world(w).requested.pk},
        other=_second_state_sees(200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_requested.pk},
    ),
    "exchange:offer_request_accept": Rule(
        own=_provider_step(302),
        kwargs=lambda w: {"pk": offers_world(w).requested.pk},
        other=_other_provider_step(302),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_requested.pk},
        method="post",
    ),
    "exchange:offer_request_propose_date": Rule(
        own=_provider_step(200),
        kwargs=lambda w: {"pk": offers_world(w).requested.pk},
        other=_other_provider_step(200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_requested.pk},
    ),
    "exchange:offer_request_decline": Rule(
        own=_provider_step(200),
        kwargs=lambda w: {"pk": offers_world(w).requested.pk},
        other=_other_provider_step(200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_requested.pk},
    ),
    "exchange:offer_request_accept_proposal": Rule(
        own=_requester_step(302),
        kwargs=lambda w: {"pk": offers_world(w).proposed.pk},
        other=_other_requester_step(302),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_proposed.pk},
        method="post",
    ),
    "exchange:offer_request_withdraw": Rule(
        own=_requester_step(200),
        kwargs=lambda w: {"pk": offers_world(w).requested.pk},
        other=_other_requester_step(200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_requested.pk},
    ),
    # Either side records that the offer took place.
    "exchange:offer_request_finish": Rule(
        own=_request_readers(403, coordinator=302, ngo_representative=302),
        kwargs=lambda w: {"pk": offers_world(w).accepted.pk},
        other=_second_state_sees(403, other_state_admin=302, other_state_coordinator=302),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_accepted.pk},
        method="post",
    ),
    "exchange:offer_request_rate": Rule(
        own=_requester_step(200),
        kwargs=lambda w: {"pk": offers_world(w).done.pk},
        other=_other_requester_step(200),
        other_kwargs=lambda w: {"pk": offers_world(w).mv_done.pk},
    ),
    "exchange:coverage": Rule(
        own=signed_in(
            403, platform_admin=200, state_admin=200, state_staff=200, other_state_admin=200
        )
    ),
}
