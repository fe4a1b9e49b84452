"""A resource of an exchange report becomes an offer in one step, once, only for its NGO."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.topics import Topic
from exchange import offers as services
from exchange.models import (
    ExchangeReport,
    Offer,
    OfferedResource,
    OfferKind,
    ResourceKind,
)
from tests.conftest import World
from tests.exchange.factories import (
    ExchangeReportFactory,
    ReportingPeriodFactory,
    add_report_topics,
)
from tests.exchange.world_offers import OffersWorld, offers_world, submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ow(world: World) -> OffersWorld:
    return offers_world(world)


def _url(resource: OfferedResource) -> str:
    return reverse("exchange:offer_from_resource", kwargs={"pk": resource.pk})


def test_one_step_makes_an_unpublished_offer_prefilled_from_the_resource(
    ow: OffersWorld,
) -> None:
    resource = ow.resource
    add_report_topics(resource.report, Topic.VICTIMS, Topic.DOMESTIC_VIOLENCE)
    response = ow.w.client("ngo_representative").post(_url(resource))
    offer = Offer.objects.get(source=resource)
    assert response.status_code == 302
    assert response["Location"] == offer.get_absolute_url()
    assert offer.kind == OfferKind.SPEAKERS
    assert offer.title == "Referentinnen zum Opferschutz"
    assert offer.description == "Vortrag von 60 Minuten zu den Rechten von Betroffenen."
    assert offer.provider == ow.w.ngo and offer.state == ow.w.state
    assert not offer.is_active  # the NGO checks it and publishes it
    assert list(offer.regions.all()) == [ow.region]
    assert not offer.statewide
    assert set(offer.topics.values_list("topic", flat=True)) == {"victims", "domestic_violence"}
    rep = ow.ngo_rep
    assert offer.contact_name == (rep.get_full_name() or rep.username)
    assert offer.contact_email == rep.email
    assert offer.created_by == rep
    page = ow.w.client("ngo_representative").get(offer.get_absolute_url()).content.decode()
    assert reverse("exchange:offer_publish", kwargs={"pk": offer.pk}) in page
    assert str(resource.report) in page


@pytest.mark.parametrize(
    ("resource_kind", "offer_kind"),
    [
        (ResourceKind.SPEAKERS, OfferKind.SPEAKERS),
        (ResourceKind.TRAINING, OfferKind.TRAINING),
        (ResourceKind.MATERIAL, OfferKind.MATERIAL),
        (ResourceKind.ROOMS, OfferKind.SUPPORT),
        (ResourceKind.KNOW_HOW, OfferKind.ADVICE),
    ],
)
def test_each_resource_kind_maps_to_an_offer_kind(
    ow: OffersWorld, resource_kind: str, offer_kind: str
) -> None:
    resource = OfferedResource.objects.create(
        report=submitted_report(ow.w.ngo), kind=resource_kind, title="Ressource"
    )
    offer = services.offer_from_resource(resource=resource, by=ow.ngo_rep)
    assert offer.kind == offer_kind
    assert offer.description == "Ressource"  # no description: the title stands in


def test_a_second_click_links_the_existing_offer(ow: OffersWorld) -> None:
    client = ow.w.client("ngo_representative")
    first = client.post(_url(ow.resource))
    second = client.post(_url(ow.resource), follow=False)
    offer = Offer.objects.get(source=ow.resource)
    assert Offer.objects.filter(source=ow.resource).count() == 1
    assert first["Location"] == second["Location"] == offer.get_absolute_url()
    texts = [str(m) for m in get_messages(second.wsgi_request)]
    assert any(
        "already made from this resource" in text and offer.get_absolute_url() in text
        for text in texts
    )
    with pytest.raises(services.ResourceAlreadyOffered) as error:
        services.offer_from_resource(resource=ow.resource, by=ow.ngo_rep)
    assert error.value.offer == offer


@pytest.mark.parametrize("role", ["coordinator", "state_staff", "platform_admin"])
def test_only_the_ngos_representatives_may(ow: OffersWorld, role: str) -> None:
    assert ow.w.client(role).post(_url(ow.resource)).status_code == 403
    assert not Offer.objects.filter(source=ow.resource).exists()


def test_another_ngo_of_the_state_may_not(ow: OffersWorld) -> None:
    client = Client()
    client.force_login(ow.other_ngo_rep)
    assert client.post(_url(ow.resource)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.offer_from_resource(resource=ow.resource, by=ow.other_ngo_rep)
    assert not Offer.objects.exists()


def test_only_for_a_submitted_or_accepted_report(ow: OffersWorld) -> None:
    draft = ExchangeReportFactory(period=ReportingPeriodFactory(state=ow.w.state), ngo=ow.w.ngo)
    resource = OfferedResource.objects.create(
        report=draft, kind=ResourceKind.TRAINING, title="Schulung"
    )
    assert ow.w.client("ngo_representative").post(_url(resource)).status_code == 403
    with pytest.raises(ValidationError):
        services.offer_from_resource(resource=resource, by=ow.ngo_rep)
    accepted = submitted_report(ow.w.ngo)
    accepted.accept()
    accepted.save()
    resource = OfferedResource.objects.create(
        report=accepted, kind=ResourceKind.TRAINING, title="Schulung"
    )
    assert ow.w.client("ngo_representative").post(_url(resource)).status_code == 302
    assert Offer.objects.filter(source=resource).exists()


def test_without_report_regions_the_ngos_regions_then_statewide(ow: OffersWorld) -> None:
    resource = OfferedResource.objects.create(
        report=submitted_report(ow.w.ngo), kind=ResourceKind.MATERIAL, title="Koffer"
    )
    offer = services.offer_from_resource(resource=resource, by=ow.ngo_rep)
    assert set(offer.regions.all()) == {ow.region, ow.other_region}  # the NGO serves both
    ow.w.ngo.served_regions.clear()
    resource = OfferedResource.objects.create(
        report=submitted_report(ow.w.ngo), kind=ResourceKind.MATERIAL, title="Flyer"
    )
    offer = services.offer_from_resource(resource=resource, by=ow.ngo_rep)
    assert offer.statewide and not offer.regions.exists()


def test_the_other_states_report_is_not_found(ow: OffersWorld) -> None:
    response = ow.w.client("ngo_representative").post(_url(ow.mv_resource))
    assert response.status_code == 404


# The action on the report page ---------------------------------------------------------------


def _render(user: Any, resources: list[OfferedResource]) -> str:
    template = engines["django"].from_string(
        "{% for resource in resources %}"
        '{% include "exchange/includes/resource_actions.html" %}'
        "{% endfor %}"
    )
    request = RequestFactory().get("/")
    request.user = user
    # Without the page's context processors: only what the include itself costs is counted.
    return template.render({"resources": resources, "request": request})


def _resources(report: ExchangeReport) -> list[OfferedResource]:
    """As the report's page loads them: prefetched with the report and each one's offer."""
    loaded = ExchangeReport.objects.prefetch_related("resources__offer").get(pk=report.pk)
    return list(loaded.resources.all())


def test_the_resource_action_fits_the_viewer(ow: OffersWorld) -> None:
    resource = ow.resource
    rep_html = _render(ow.ngo_rep, _resources(resource.report))
    assert _url(resource) in rep_html and "Turn into an offer" in rep_html
    assert _url(resource) not in _render(ow.coordinator, _resources(resource.report))

    offer = services.offer_from_resource(resource=resource, by=ow.ngo_rep)
    rep_html = _render(ow.ngo_rep, _resources(resource.report))
    assert offer.get_absolute_url() in rep_html and _url(resource) not in rep_html
    # Unpublished: the councils do not see the offer yet; published, they get the link.
    assert offer.get_absolute_url() not in _render(ow.coordinator, _resources(resource.report))
    services.offer_publish(offer=offer, by=ow.ngo_rep)
    assert offer.get_absolute_url() in _render(ow.coordinator, _resources(resource.report))


def test_the_resource_action_costs_no_query_per_resource(ow: OffersWorld) -> None:
    report = submitted_report(ow.w.ngo, regions=[ow.region])
    for n in range(6):
        OfferedResource.objects.create(
            report=report, kind=ResourceKind.TRAINING, title=f"Schulung {n}", position=n
        )
    first = report.resources.order_by("position").first()
    assert first is not None
    services.offer_from_resource(resource=first, by=ow.ngo_rep)
    resources = _resources(report)
    rep = ow.ngo_rep
    _render(rep, resources[:1])  # the user's memberships are read once per request
    with CaptureQueriesContext(connection) as queries:
        html = _render(rep, resources)
    assert len(queries.captured_queries) == 0
    assert html.count("Turn into an offer") == 5
