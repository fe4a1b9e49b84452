"""Offers and requests for offers on top of tests.conftest.World.

In the first state the NGO (Landesverband Opferhilfe) publishes an offer in the council's
region and keeps an unpublished one; the council (Hameln) has requests in every open status.
In the second state the state office makes the offers and the Rostock council asks. Requests
move through the real services, so their history is what the portal writes. Every part is
built when first used, so a permission-matrix case pays only for what it asks for.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import cached_property

from councils.models import Organisation, OrganisationKind, Region, Role, User
from councils.topics import Topic
from exchange import offers as services
from exchange.models import (
    ExchangeReport,
    Offer,
    OfferedResource,
    OfferKind,
    OfferRequest,
    ResourceKind,
)
from tests.conftest import World
from tests.exchange.factories import ExchangeReportFactory, ReportingPeriodFactory, today
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def make_offer(
    provider_user: User,
    provider: Organisation,
    *,
    title: str = "Schulung Erstkontakt",
    kind: str = OfferKind.TRAINING,
    regions: list[Region] | None = None,
    statewide: bool = False,
    topics: tuple[str, ...] = (Topic.VICTIMS,),
    publish: bool = True,
    is_free: bool = True,
    cost: str = "",
    audience: str = "Ehrenamtliche",
) -> Offer:
    """An offer through the service, as its provider's person would make it."""
    return services.offer_create(
        provider=provider,
        by=provider_user,
        regions=regions or [],
        topics=topics,
        publish=publish,
        kind=kind,
        title=title,
        description="Ein halber Tag zur Gesprächsführung mit Betroffenen.",
        audience=audience,
        statewide=statewide,
        is_free=is_free,
        cost=cost,
        contact_name="Aylin Demir",
        contact_email="kontakt@opferhilfe.example.org",
        contact_phone="",
    )


def submitted_report(ngo: Organisation, *, regions: Sequence[Region] = ()) -> ExchangeReport:
    """A report of the NGO moved to "submitted" by its state machine."""
    report = ExchangeReportFactory(period=ReportingPeriodFactory(state=ngo.state), ngo=ngo)
    report.regions.set(regions)
    report.submit()
    report.save()
    return report


class OffersWorld:
    def __init__(self, w: World) -> None:
        self.w = w

    # People -----------------------------------------------------------------------------

    @property
    def ngo_rep(self) -> User:
        return self.w.users["ngo_representative"]

    @property
    def coordinator(self) -> User:
        return self.w.users["coordinator"]

    @property
    def mv_admin(self) -> User:
        return self.w.users["other_state_admin"]

    @property
    def mv_coordinator(self) -> User:
        return self.w.users["other_state_coordinator"]

    @cached_property
    def region(self) -> Region:
        """The council's region (Leine-Weser)."""
        region = self.w.council.region
        assert region is not None
        return region

    @cached_property
    def other_region(self) -> Region:
        """The other council's region (Lüneburg)."""
        region = self.w.other_council.region
        assert region is not None
        return region

    @cached_property
    def mv_region(self) -> Region:
        region = self.w.other_state_council.region
        assert region is not None
        return region

    @cached_property
    def other_ngo_rep(self) -> User:
        """A representative of a second NGO of the first state."""
        ngo = OrganisationFactory(
            state=self.w.state, kind=OrganisationKind.NGO, region=None, name="Netzwerk Sucht"
        )
        user = UserFactory(username="andere-ngo")
        MembershipFactory(user=user, organisation=ngo, role=Role.NGO_REPRESENTATIVE)
        return user

    # Offers -----------------------------------------------------------------------------

    @cached_property
    def offer(self) -> Offer:
        """The NGO's published training in Leine-Weser."""
        return make_offer(self.ngo_rep, self.w.ngo, regions=[self.region])

    @cached_property
    def draft_offer(self) -> Offer:
        """The NGO's unpublished material."""
        return make_offer(
            self.ngo_rep,
            self.w.ngo,
            title="Flyer in Leichter Sprache",
            kind=OfferKind.MATERIAL,
            statewide=True,
            publish=False,
        )

    @cached_property
    def mv_offer(self) -> Offer:
        """The second state's office: published advice, statewide."""
        return make_offer(
            self.mv_admin,
            self.w.other_state_office,
            title="Beratung für Präventionsräte",
            kind=OfferKind.ADVICE,
            statewide=True,
        )

    @cached_property
    def mv_draft_offer(self) -> Offer:
        return make_offer(
            self.mv_admin,
            self.w.other_state_office,
            title="Handreichung in Arbeit",
            kind=OfferKind.MATERIAL,
            statewide=True,
            publish=False,
        )

    # Requests ---------------------------------------------------------------------------

    def ask(self, offer: Offer, *, group: str = "20 Lehrkräfte", mv: bool = False) -> OfferRequest:
        council = self.w.other_state_council if mv else self.w.council
        by = self.mv_coordinator if mv else self.coordinator
        offer_request, created = services.offer_request_create(
            offer=offer,
            council=council,
            by=by,
            group=group,
            wished_date=today() + datetime.timedelta(days=30),
            note="Gern am Nachmittag.",
        )
        assert created
        return offer_request

    def _provider(self, mv: bool) -> User:
        return self.mv_admin if mv else self.ngo_rep

    def proposed_in(self, offer: Offer, *, mv: bool = False) -> OfferRequest:
        return services.offer_request_propose_date(
            offer_request=self.ask(offer, group="Elternabend", mv=mv),
            by=self._provider(mv),
            proposed_date=today() + datetime.timedelta(days=45),
            note="Am Wunschtermin sind wir ausgebucht.",
        )

    def accepted_in(self, offer: Offer, *, mv: bool = False) -> OfferRequest:
        return services.offer_request_accept(
            offer_request=self.ask(offer, group="Kollegium", mv=mv), by=self._provider(mv)
        )

    def done_in(self, offer: Offer, *, mv: bool = False) -> OfferRequest:
        accepted = services.offer_request_accept(
            offer_request=self.ask(offer, group="Ehrenamtliche", mv=mv), by=self._provider(mv)
        )
        return services.offer_request_finish(offer_request=accepted, by=self._provider(mv))

    @cached_property
    def requested(self) -> OfferRequest:
        return self.ask(self.offer)

    @cached_property
    def proposed(self) -> OfferRequest:
        return self.proposed_in(self.offer)

    @cached_property
    def accepted(self) -> OfferRequest:
        return self.accepted_in(self.offer)

    @cached_property
    def done(self) -> OfferRequest:
        return self.done_in(self.offer)

    @cached_property
    def mv_requested(self) -> OfferRequest:
        return self.ask(self.mv_offer, mv=True)

    @cached_property
    def mv_proposed(self) -> OfferRequest:
        return self.proposed_in(self.mv_offer, mv=True)

    @cached_property
    def mv_accepted(self) -> OfferRequest:
        return self.accepted_in(self.mv_offer, mv=True)

    @cached_property
    def mv_done(self) -> OfferRequest:
        return self.done_in(self.mv_offer, mv=True)

    # Report resources -------------------------------------------------------------------

    @cached_property
    def resource(self) -> OfferedResource:
        """A speakers' resource of a submitted report of the NGO."""
        report = submitted_report(self.w.ngo, regions=[self.region])
        return OfferedResource.objects.create(
            report=report,
            kind=ResourceKind.SPEAKERS,
            title="Referentinnen zum Opferschutz",
            description="Vortrag von 60 Minuten zu den Rechten von Betroffenen.",
        )

    @cached_property
    def mv_resource(self) -> OfferedResource:
        ngo = OrganisationFactory(
            state=self.w.other_state,
            kind=OrganisationKind.NGO,
            region=None,
            name="Opferhilfe MV",
        )
        report = submitted_report(ngo)
        return OfferedResource.objects.create(
            report=report, kind=ResourceKind.ROOMS, title="Beratungsraum in Schwerin"
        )


def offers_world(w: World) -> OffersWorld:
    """Built once per world."""
    cached: OffersWorld | None = getattr(w, "_offers", None)
    if cached is None:
        cached = OffersWorld(w)
        w._offers = cached  # type: ignore[attr-defined]
    return cached
