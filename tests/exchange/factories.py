"""Factories of the NGO exchange on top of tests.conftest.World."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from councils.models import Organisation, OrganisationKind, StateNetwork
from exchange.models import (
    ExchangeReport,
    Offer,
    OfferKind,
    OfferRequest,
    OfferTopic,
    ReportingPeriod,
    ReportTopic,
)
from tests.factories import OrganisationFactory, StateNetworkFactory


def today() -> datetime.date:
    return timezone.localdate()


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    """A half-year that ended a month ago, with reports due in two weeks."""

    class Meta:
        model = ReportingPeriod

    state = factory.SubFactory(StateNetworkFactory)
    title = factory.Sequence(lambda n: f"Berichtszeitraum {n}")
    starts_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=210))
    ends_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=30))
    due_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=14))


class ExchangeReportFactory(factory.django.DjangoModelFactory):
    """A draft report; the status moves only through the services."""

    class Meta:
        model = ExchangeReport

    period = factory.SubFactory(ReportingPeriodFactory)
    ngo = factory.LazyAttribute(
        lambda o: OrganisationFactory(state=o.period.state, kind=OrganisationKind.NGO)
    )
    activities = "Fortbildungen für Ehrenamtliche in drei Landkreisen."
    findings = "Kleine Gruppen erreichen mehr."
    needs = "Räume im ländlichen Raum."


def add_report_topics(report: ExchangeReport, *topics: str) -> None:
    ReportTopic.objects.bulk_create(ReportTopic(report=report, topic=t) for t in topics)


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    state = factory.SubFactory(StateNetworkFactory)
    provider = factory.LazyAttribute(
        lambda o: OrganisationFactory(state=o.state, kind=OrganisationKind.NGO)
    )
    kind = OfferKind.TRAINING
    title = factory.Sequence(lambda n: f"Fortbildung {n}")
    description = "Ein Tag zur Gesprächsführung mit Betroffenen."
    audience = "Ehrenamtliche"


def add_offer_topics(offer: Offer, *topics: str) -> None:
    OfferTopic.objects.bulk_create(OfferTopic(offer=offer, topic=t) for t in topics)


class OfferRequestFactory(factory.django.DjangoModelFactory):
    """A new request; the status moves only through the services."""

    class Meta:
        model = OfferRequest

    offer = factory.SubFactory(OfferFactory)
    council = factory.LazyAttribute(lambda o: _council_of(o.offer.state))
    group = "20 Lehrkräfte einer Oberschule"


def _council_of(state: StateNetwork) -> Organisation:
    council = state.organisations.filter(kind=OrganisationKind.MUNICIPAL_COUNCIL).first()
    return council or OrganisationFactory(state=state)
