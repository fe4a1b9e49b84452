"""Coverage: regions × offer kinds and regions × topics with available offers, requests, gaps."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from councils.models import Region
from councils.topics import Topic
from exchange import offers as services
from exchange.coverage import Table, coverage
from exchange.models import OfferKind
from tests.conftest import World
from tests.exchange.bulk_offers import bulk_offers, bulk_requests
from tests.exchange.world_offers import OffersWorld, make_offer, offers_world
from tests.factories import RegionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = reverse("exchange:coverage")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ow(world: World) -> OffersWorld:
    return offers_world(world)


def cell(table: Table, region: Region, column: str) -> tuple[int, int]:
    """(available offers, requests) of one cell."""
    row = next(row for row in table.rows if row.region == region)
    found = next(c for c in row.cells if c.column.value == column)
    return found.offers, found.requests


@pytest.fixture
def network(ow: OffersWorld) -> dict[str, Any]:
    """Leine-Weser and Lüneburg with offers; Weser-Ems with nothing but the statewide ones."""
    w = ow.w
    weser_ems = RegionFactory(state=w.state, name="Weser-Ems")
    staff = w.users["state_staff"]
    training = make_offer(ow.ngo_rep, w.ngo, title="Schulung", regions=[ow.region])
    speakers = make_offer(
        ow.ngo_rep,
        w.ngo,
        title="Vortrag",
        kind=OfferKind.SPEAKERS,
        statewide=True,
        topics=(Topic.VICTIMS, Topic.DOMESTIC_VIOLENCE),
    )
    advice = make_offer(
        staff,
        w.office,
        title="Beratung",
        kind=OfferKind.ADVICE,
        regions=[ow.region, ow.other_region],
        topics=(Topic.CYBERCRIME,),
    )
    make_offer(
        ow.ngo_rep, w.ngo, title="Entwurf", kind=OfferKind.MATERIAL, statewide=True, publish=False
    )
    # Requests: Hameln (Leine-Weser) asks twice for the training and once for the talk;
    # Lüneburg once for the advice, and once for the training although it is not offered there.
    ow.ask(training, group="Kollegium")
    ow.ask(training, group="Elternabend")
    ow.ask(speakers, group="Präventionsrat")
    other = w.users["other_council_coordinator"]
    for offer, group in ((advice, "Arbeitsgruppe"), (training, "Ehrenamtliche")):
        services.offer_request_create(offer=offer, council=w.other_council, by=other, group=group)
    # The other state: offers and requests that must never count in the first.
    mv_training = make_offer(ow.mv_admin, w.other_state_office, title="MV Schulung", statewide=True)
    ow.ask(mv_training, group="Rostock", mv=True)
    return {"weser_ems": weser_ems, "mv_training": mv_training}


def test_the_kind_table_counts_offers_and_requests(
    ow: OffersWorld, network: dict[str, Any]
) -> None:
    table = coverage(ow.w.state).by_kind
    weser_ems = network["weser_ems"]
    assert [row.region.name for row in table.rows] == ["Leine-Weser", "Lüneburg", "Weser-Ems"]
    assert [c.value for c in table.columns] == [k.value for k in OfferKind]
    assert cell(table, ow.region, "training") == (1, 2)
    assert cell(table, ow.other_region, "training") == (0, 1)  # asked for, not available
    assert cell(table, weser_ems, "training") == (0, 0)
    assert cell(table, ow.region, "advice") == (1, 0)
    assert cell(table, ow.other_region, "advice") == (1, 1)
    # The statewide talk counts in every region, the unpublished material nowhere.
    for region in (ow.region, ow.other_region, weser_ems):
        assert cell(table, region, "speakers")[0] == 1
        assert cell(table, region, "material")[0] == 0
    assert cell(table, ow.region, "speakers") == (1, 1)
    assert coverage(ow.w.state).statewide == 1


def test_the_gaps(ow: OffersWorld, network: dict[str, Any]) -> None:
    result = coverage(ow.w.state)
    gaps = {(region.name, c.column.value) for region, c in result.by_kind.gaps}
    assert ("Weser-Ems", "training") in gaps
    assert ("Lüneburg", "training") in gaps
    assert ("Leine-Weser", "training") not in gaps
    assert all(kind != "speakers" for _region, kind in gaps)
    assert result.regions_without_offers == []
    only_training = coverage(ow.w.state, kind="training")
    assert [r.name for r in only_training.regions_without_offers] == ["Lüneburg", "Weser-Ems"]


def test_the_topic_table(ow: OffersWorld, network: dict[str, Any]) -> None:
    table = coverage(ow.w.state).by_topic
    weser_ems = network["weser_ems"]
    assert cell(table, ow.region, "victims") == (2, 3)  # the training and the statewide talk
    assert cell(table, ow.other_region, "victims") == (1, 1)
    assert cell(table, weser_ems, "domestic_violence") == (1, 0)
    assert cell(table, ow.other_region, "cybercrime") == (1, 1)
    assert cell(table, weser_ems, "cybercrime") == (0, 0)


def test_filters_by_topic_and_kind(ow: OffersWorld, network: dict[str, Any]) -> None:
    cyber = coverage(ow.w.state, topic="cybercrime")
    assert [c.value for c in cyber.by_topic.columns] == ["cybercrime"]
    assert cell(cyber.by_kind, ow.region, "advice") == (1, 0)
    assert cell(cyber.by_kind, ow.region, "training") == (0, 0)  # the training is not on it
    assert cell(cyber.by_kind, ow.region, "speakers") == (0, 0)
    speakers = coverage(ow.w.state, kind="speakers")
    assert [c.value for c in speakers.by_kind.columns] == ["speakers"]
    assert cell(speakers.by_topic, network["weser_ems"], "victims") == (1, 0)
    assert cell(speakers.by_topic, ow.region, "victims") == (1, 1)


def test_the_other_state_is_never_counted(ow: OffersWorld, network: dict[str, Any]) -> None:
    first = coverage(ow.w.state)
    assert first.statewide == 1
    assert sum(row.requests for row in first.by_kind.rows) == 5
    second = coverage(ow.w.other_state)
    assert [row.region for row in second.by_kind.rows] == [ow.mv_region]
    assert cell(second.by_kind, ow.mv_region, "training") == (1, 1)
    assert cell(second.by_kind, ow.mv_region, "speakers") == (0, 0)


def test_the_page_marks_gaps_in_words(ow: OffersWorld, network: dict[str, Any]) -> None:
    response = ow.w.client("state_staff").get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Coverage of the offers in Niedersachsen" in body
    assert "Weser-Ems: Training" in body
    assert "Lüneburg: Training (1 request nonetheless)" in body
    assert '<strong class="d-block">Gap</strong>' in body
    assert "<caption>Available offers and requests by region and kind of offer</caption>" in body
    assert "<caption>Available offers and requests by region and topic</caption>" in body
    assert "MV Schulung" not in body


def test_the_page_filters(ow: OffersWorld, network: dict[str, Any]) -> None:
    client = ow.w.client("state_staff")
    response = client.get(f"{URL}?kind=training")
    assert [c.value for c in response.context["coverage"].by_kind.columns] == ["training"]
    assert "no offer at all" in response.content.decode()
    response = client.get(f"{URL}?topic=nonsense")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["coverage"].by_kind.columns) == len(OfferKind)


def test_each_staff_sees_their_own_state(ow: OffersWorld, network: dict[str, Any]) -> None:
    mv = ow.w.client("other_state_admin").get(f"{URL}?state={ow.w.state.pk}")
    assert mv.status_code == 200
    assert mv.context["state"] == ow.w.other_state  # a single state: nothing to choose
    admin = ow.w.client("platform_admin")
    assert admin.get(f"{URL}?state={ow.w.other_state.pk}").context["state"] == ow.w.other_state
    assert admin.get(f"{URL}?state=999999").status_code == 404


def test_coverage_keeps_its_queries_from_10_to_1000_offers(ow: OffersWorld) -> None:
    regions = [ow.region, ow.other_region, RegionFactory(state=ow.w.state, name="Weser-Ems")]
    councils = [ow.w.council, ow.w.other_council]
    bulk_requests(bulk_offers(ow.w.ngo, regions, 10), councils)
    client = ow.w.client("state_staff")

    def grow() -> None:
        bulk_requests(bulk_offers(ow.w.ngo, regions, 990, start=10), councils)

    assert_constant_queries(lambda: client.get(f"{URL}?topic=youth"), grow)
    result = coverage(ow.w.state)
    assert sum(row.requests for row in result.by_kind.rows) == 1000
    # Every third bulk offer is statewide (334 of 1000) and counts in each of the three regions.
    assert result.statewide == 334
    assert sum(row.offers for row in result.by_kind.rows) == 334 * 3 + 666


def test_the_summary_names_the_topic_gaps_too(ow: OffersWorld, network: dict[str, Any]) -> None:
    response = ow.w.client("state_staff").get(URL)
    body = response.content.decode()
    topic_gaps = body[body.index('id="coverage-topic-gaps"') :]
    topic_gaps = topic_gaps[: topic_gaps.index("</ul>")]
    weser_ems = next(line for line in topic_gaps.split("<li>") if line.startswith("Weser-Ems:"))
    assert "Cybercrime and media literacy" in weser_ems
    assert "Domestic violence" not in weser_ems  # Weser-Ems has an offer on it
    count = len(response.context["coverage"].by_topic.gaps)
    assert f"{count} combinations of region and topic have no available offer:" in body
    # Every gap of the topic table is named in the summary.
    for region, cell_ in response.context["coverage"].by_topic.gaps:
        line = next(line for line in topic_gaps.split("<li>") if line.startswith(region.name))
        assert str(cell_.column.label) in line
