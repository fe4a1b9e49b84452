"""Builders of the demo offers and requests: every step through the services, at its moment.

The offers were published a year ago; a request that took place was asked six weeks before its
day, accepted three days later, done on the day and rated two days after; the open requests
were asked and answered in the last days. Each step runs under a clock set back to its moment,
so the history, the notifications (never e-mailed) and the times are what the portal writes.
"""

from __future__ import annotations

import datetime
from typing import TextIO

from django.db.models import F
from django.utils import timezone

from councils.demo.data import NI_NGO
from councils.models import (
    STATE_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    StateNetwork,
    User,
)

from .. import offers as services
from ..demo.past import Timeline, seeding_transaction
from ..models import REPORT_PUBLISHED, Offer, OfferedResource, OfferRequest
from ..models import OfferRequestStatus as RS
from .catalogue import OfferData
from .plans import PLANS, RequestData

D = datetime.date
DAYS = datetime.timedelta
#: The demo offers were published this many days ago (one day apart, in catalogue order).
OFFERED_DAYS_AGO = 365


def _say(stdout: TextIO | None, text: str) -> None:
    if stdout is not None:
        stdout.write(f"{text}\n")


def _person(organisation: Organisation, roles: tuple[str, ...], prefer: str = "") -> User | None:
    """Who acts for the organisation: the demo account if it sits there, else the first."""
    seats = list(
        Membership.objects.active()
        .filter(organisation=organisation, role__in=roles, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    for seat in seats:
        if seat.user.username == prefer:
            return seat.user
    return seats[0].user if seats else None


def _provider_person(organisation: Organisation) -> User | None:
    if organisation.kind == OrganisationKind.STATE_OFFICE:
        return _person(organisation, STATE_ROLES, prefer="lpr-referent")
    return _person(organisation, (Role.NGO_REPRESENTATIVE,), prefer="ngo-vertretung")


def _seed_offer(
    state: StateNetwork,
    data: OfferData,
    regions: dict[str, Region],
    timeline: Timeline,
    on: D,
) -> bool:
    provider = Organisation.objects.filter(state=state, name=data.provider).first()
    if provider is None or Offer.objects.filter(provider=provider, title=data.title).exists():
        return False
    person = _provider_person(provider)
    if person is None:
        return False
    timeline.run_now(
        timeline.moment(on, 10),
        lambda: services.offer_create(
            provider=provider,
            by=person,
            regions=[regions[name] for name in data.regions],
            topics=data.topics,
            publish=data.published,
            kind=data.kind,
            title=data.title,
            description=data.description,
            audience=data.audience,
            statewide=not data.regions,
            is_free=not data.cost,
            cost=data.cost,
            contact_name=person.get_full_name() or person.username,
            contact_email=provider.email,
            contact_phone=provider.phone,
        ),
    )
    return True


def _answer(offer_request: OfferRequest, data: RequestData, provider: User, by: User) -> None:
    """The answer that brings the request to the status of its plan (a council withdraws)."""
    if data.status == RS.DATE_PROPOSED:
        assert offer_request.wished_date is not None
        services.offer_request_propose_date(
            offer_request=offer_request,
            by=provider,
            proposed_date=offer_request.wished_date + DAYS(days=14),
            note=data.answer,
        )
    elif data.status in (RS.ACCEPTED, RS.DONE):
        services.offer_request_accept(offer_request=offer_request, by=provider, note=data.answer)
    elif data.status == RS.DECLINED:
        services.offer_request_decline(offer_request=offer_request, by=provider, reason=data.answer)
    elif data.status == RS.WITHDRAWN:
        services.offer_request_withdraw(offer_request=offer_request, by=by, reason=data.answer)


def _seed_request(
    state: StateNetwork, data: RequestData, n: int, today: D, timeline: Timeline
) -> bool:
    council = Organisation.objects.filter(state=state, name=data.council).first()
    offer = Offer.objects.filter(state=state, title=data.offer).select_related("provider").first()
    if council is None or offer is None:
        return False
    if OfferRequest.objects.filter(offer=offer, council=council, group=data.group).exists():
        return False
    coordinator = _person(council, (Role.COUNCIL_COORDINATOR,), prefer="kpr-koordination")
    provider = _provider_person(offer.provider)
    if coordinator is None or provider is None:
        return False
    if data.status == RS.DONE:
        # It took place some weeks ago; asked six weeks before, accepted three days later.
        day = today - DAYS(days=30 + 20 * n)
        wished, asked_on, answered_on = day, day - DAYS(days=42), day - DAYS(days=39)
    else:
        # Asked in the last days for a date some weeks ahead; answered a day later.
        wished = today + DAYS(days=21 + 7 * n)
        asked_on = today - DAYS(days=2 + n % 5)
        answered_on = asked_on + DAYS(days=1)
    offer_request, _created = timeline.run_now(
        timeline.moment(asked_on, 10),
        lambda: services.offer_request_create(
            offer=offer,
            council=council,
            by=coordinator,
            group=data.group,
            wished_date=wished,
            note=data.note,
        ),
    )
    timeline.run_now(
        timeline.moment(answered_on, 14),
        lambda: _answer(offer_request, data, provider, coordinator),
    )
    if data.status == RS.DONE:
        timeline.run_now(
            timeline.moment(wished, 16),
            lambda: services.offer_request_finish(offer_request=offer_request, by=provider),
        )
        if data.rating is not None:
            rating = data.rating
            timeline.run_now(
                timeline.moment(wished + DAYS(days=2), 10),
                lambda: services.offer_request_rate(
                    offer_request=offer_request,
                    by=coordinator,
                    rating=rating,
                    comment=data.comment,
                ),
            )
    return True


def _offer_from_report(state: StateNetwork, timeline: Timeline) -> bool:
    """One resource of a submitted report of the demo NGO becomes an unpublished offer."""
    representative = User.objects.filter(username="ngo-vertretung").first()
    resource = (
        OfferedResource.objects.filter(
            report__ngo__state=state,
            report__ngo__name=NI_NGO,
            report__status__in=REPORT_PUBLISHED,
            offer__isnull=True,
        )
        .select_related("report")
        .order_by(F("report__submitted_at").desc(nulls_last=True), "position", "pk")
        .first()
    )
    if representative is None or resource is None:
        return False
    if Offer.objects.filter(source__report__ngo=resource.report.ngo_id).exists():
        return False  # the demo made its offer from a report before
    submitted = resource.report.submitted_at or timeline.now
    timeline.run_now(
        timeline.moment(timezone.localdate(submitted) + DAYS(days=2), 15),
        lambda: services.offer_from_resource(resource=resource, by=representative),
    )
    return True


def seed(*, stdout: TextIO | None = None) -> None:
    """Create the demo offers and requests of both demo states that do not exist yet."""
    today = timezone.localdate()
    timeline = Timeline()
    for plan in PLANS:
        state = StateNetwork.objects.filter(slug=plan.slug).first()
        if state is None:
            _say(stdout, f"Offer demo skipped: state network '{plan.slug}' is missing.")
            continue
        regions = {region.name: region for region in Region.objects.filter(state=state)}
        first = today - DAYS(days=OFFERED_DAYS_AGO)
        with seeding_transaction():
            offers = sum(
                _seed_offer(state, data, regions, timeline, first + DAYS(days=i))
                for i, data in enumerate(plan.offers)
            )
            requests = sum(
                _seed_request(state, data, n, today, timeline)
                for n, data in enumerate(plan.requests)
            )
            from_report = (
                _offer_from_report(state, timeline) if plan.slug == "niedersachsen" else False
            )
        if offers or requests or from_report:
            _say(
                stdout,
                f"Demo offers created: {state.name}, {offers + from_report} offers, "
                f"{requests} requests",
            )
