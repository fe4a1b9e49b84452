"""The offer catalogue: creating and editing offers, publishing, search, filters, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from councils.models import OrganisationKind
from councils.topics import Topic
from exchange import offers as services
from exchange.models import Offer, OfferKind
from tests.conftest import World
from tests.exchange.bulk_offers import bulk_offers
from tests.exchange.world_offers import OffersWorld, make_offer, offers_world
from tests.factories import OrganisationFactory, RegionFactory, UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

LIST = reverse("exchange:offer_list")
CREATE = reverse("exchange:offer_create")
MINE = reverse("exchange:offer_mine")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    """The assertions read the English msgids; the portal's default language is German."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def ow(world: World) -> OffersWorld:
    return offers_world(world)


def _data(ow: OffersWorld, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "provider": ow.w.ngo.pk,
        "kind": OfferKind.SPEAKERS,
        "title": "Vortrag Opferschutz",
        "description": "60 Minuten zu den Rechten von Betroffenen.",
        "topics": [Topic.VICTIMS, Topic.DOMESTIC_VIOLENCE],
        "audience": "Präventionsräte",
        "regions": [ow.region.pk, ow.other_region.pk],
        "is_free": "on",
        "cost": "",
        "contact_name": "Aylin Demir",
        "contact_email": "a.demir@example.org",
        "contact_phone": "",
        "publish": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _titles(response: Any) -> list[str]:
    return [offer.title for offer in response.context["page"].object_list]


# Creating ------------------------------------------------------------------------------------


def test_the_ngo_representative_publishes_an_offer(ow: OffersWorld) -> None:
    response = ow.w.client("ngo_representative").post(CREATE, _data(ow))
    offer = Offer.objects.get(title="Vortrag Opferschutz")
    assert response.status_code == 302
    assert response["Location"] == offer.get_absolute_url()
    assert offer.provider == ow.w.ngo
    assert offer.state == ow.w.state
    assert offer.is_active
    assert offer.created_by == ow.ngo_rep
    assert set(offer.regions.all()) == {ow.region, ow.other_region}
    assert set(offer.topics.values_list("topic", flat=True)) == {"victims", "domestic_violence"}


def test_state_staff_publish_for_the_state_office(ow: OffersWorld) -> None:
    client = ow.w.client("state_staff")
    page = client.get(CREATE)
    assert f'value="{ow.w.office.pk}"' in page.content.decode()
    assert ow.w.ngo.name not in page.content.decode()
    response = client.post(CREATE, _data(ow, provider=ow.w.office.pk, regions=[], statewide="on"))
    offer = Offer.objects.get(title="Vortrag Opferschutz")
    assert response.status_code == 302
    assert offer.provider == ow.w.office
    assert offer.statewide and not offer.regions.exists()


def test_a_forged_provider_is_refused_and_the_input_kept(ow: OffersWorld) -> None:
    other_ngo = OrganisationFactory(state=ow.w.state, kind=OrganisationKind.NGO, region=None)
    for forged in (other_ngo.pk, ow.w.office.pk, ow.w.other_state_office.pk):
        response = ow.w.client("ngo_representative").post(CREATE, _data(ow, provider=forged))
        assert response.status_code == 200
        assert "provider" in response.context["form"].errors
        assert 'value="Vortrag Opferschutz"' in response.content.decode()
    assert not Offer.objects.filter(title="Vortrag Opferschutz").exists()


def test_the_service_refuses_a_provider_the_user_does_not_act_for(ow: OffersWorld) -> None:
    with pytest.raises(ValidationError) as error:
        make_offer(ow.ngo_rep, ow.w.office, regions=[ow.region])
    assert "provider" in error.value.message_dict
    with pytest.raises(ValidationError):
        make_offer(ow.coordinator, ow.w.council, regions=[ow.region])


def test_a_region_of_another_state_is_refused(ow: OffersWorld) -> None:
    response = ow.w.client("ngo_representative").post(
        CREATE, _data(ow, regions=[ow.region.pk, ow.mv_region.pk])
    )
    assert response.status_code == 200
    assert "regions" in response.context["form"].errors
    assert not Offer.objects.filter(title="Vortrag Opferschutz").exists()
    with pytest.raises(ValidationError) as error:
        make_offer(ow.ngo_rep, ow.w.ngo, regions=[ow.mv_region])
    assert "regions" in error.value.message_dict


def test_an_offer_is_available_somewhere_and_says_its_cost(ow: OffersWorld) -> None:
    client = ow.w.client("ngo_representative")
    response = client.post(CREATE, _data(ow, regions=[], is_free=None, cost=""))
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert "regions" in errors and "cost" in errors
    assert 'value="a.demir@example.org"' in response.content.decode()
    assert not Offer.objects.exists()


def test_a_published_offer_needs_a_way_to_reach_the_provider(ow: OffersWorld) -> None:
    response = ow.w.client("ngo_representative").post(
        CREATE, _data(ow, contact_email="", contact_phone="")
    )
    assert response.status_code == 200
    assert "contact_email" in response.context["form"].errors
    saved = ow.w.client("ngo_representative").post(
        CREATE, _data(ow, contact_email="", contact_phone="", publish=None)
    )
    assert saved.status_code == 302
    assert not Offer.objects.get(title="Vortrag Opferschutz").is_active


def test_statewide_offers_name_no_regions(ow: OffersWorld) -> None:
    offer = make_offer(ow.ngo_rep, ow.w.ngo, regions=[ow.region], statewide=True)
    assert offer.statewide and not offer.regions.exists()


# Editing and publishing ----------------------------------------------------------------------


def test_the_provider_edits_the_offer_but_not_its_provider(ow: OffersWorld) -> None:
    offer = ow.offer
    url = reverse("exchange:offer_edit", kwargs={"pk": offer.pk})
    page = ow.w.client("ngo_representative").get(url)
    assert page.status_code == 200
    assert 'name="provider"' not in page.content.decode()
    data = _data(ow, title="Neuer Titel", provider=ow.w.office.pk, topics=[Topic.YOUTH])
    data.pop("publish")
    response = ow.w.client("ngo_representative").post(url, data)
    assert response.status_code == 302
    offer = Offer.objects.get(pk=offer.pk)
    assert offer.title == "Neuer Titel"
    assert offer.provider == ow.w.ngo
    assert list(offer.topics.values_list("topic", flat=True)) == ["youth"]


def test_a_failed_edit_keeps_what_was_typed(ow: OffersWorld) -> None:
    url = reverse("exchange:offer_edit", kwargs={"pk": ow.offer.pk})
    data = _data(ow, title="Geänderter Titel", regions=[])
    response = ow.w.client("ngo_representative").post(url, data)
    assert response.status_code == 200
    assert 'value="Geänderter Titel"' in response.content.decode()
    assert Offer.objects.get(pk=ow.offer.pk).title == "Schulung Erstkontakt"


def test_another_ngo_may_read_but_not_change_the_offer(ow: OffersWorld) -> None:
    client = Client()
    client.force_login(ow.other_ngo_rep)
    assert client.get(ow.offer.get_absolute_url()).status_code == 200
    edit = reverse("exchange:offer_edit", kwargs={"pk": ow.offer.pk})
    assert client.get(edit).status_code == 403
    assert client.get(ow.draft_offer.get_absolute_url()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.offer_unpublish(offer=ow.offer, by=ow.other_ngo_rep)


def test_publish_and_unpublish(ow: OffersWorld) -> None:
    draft = ow.draft_offer
    client = ow.w.client("ngo_representative")
    assert draft.title not in _titles(ow.w.client("coordinator").get(LIST))
    assert ow.w.client("coordinator").get(draft.get_absolute_url()).status_code == 404
    publish = reverse("exchange:offer_publish", kwargs={"pk": draft.pk})
    assert client.post(publish).status_code == 302
    assert client.post(publish).status_code == 302  # a second click changes nothing
    assert Offer.objects.get(pk=draft.pk).is_active
    assert draft.title in _titles(ow.w.client("coordinator").get(LIST))

    ow.ask(Offer.objects.get(pk=draft.pk), group="Jugendtreff")
    unpublish = reverse("exchange:offer_unpublish", kwargs={"pk": draft.pk})
    confirm = client.get(unpublish)
    assert confirm.status_code == 200
    assert confirm.context["open_requests"] == 1
    assert client.post(unpublish).status_code == 302
    assert not Offer.objects.get(pk=draft.pk).is_active
    assert draft.title not in _titles(ow.w.client("coordinator").get(LIST))


def test_publishing_without_contact_sends_the_provider_to_the_form(ow: OffersWorld) -> None:
    draft = ow.draft_offer
    Offer.objects.filter(pk=draft.pk).update(contact_email="", contact_phone="")
    response = ow.w.client("ngo_representative").post(
        reverse("exchange:offer_publish", kwargs={"pk": draft.pk})
    )
    assert response["Location"] == reverse("exchange:offer_edit", kwargs={"pk": draft.pk})
    assert not Offer.objects.get(pk=draft.pk).is_active


def test_the_offer_page_fits_the_viewer(ow: OffersWorld) -> None:
    requested = ow.requested
    url = ow.offer.get_absolute_url()
    request_url = reverse("exchange:offer_request_create", kwargs={"pk": ow.offer.pk})
    edit_url = reverse("exchange:offer_edit", kwargs={"pk": ow.offer.pk})
    coordinator = ow.w.client("coordinator").get(url).content.decode()
    assert request_url in coordinator and edit_url not in coordinator
    assert requested.get_absolute_url() in coordinator  # their own council's request
    member = ow.w.client("member").get(url).content.decode()
    assert request_url not in member
    provider = ow.w.client("ngo_representative").get(url).content.decode()
    assert edit_url in provider and request_url not in provider
    assert requested.get_absolute_url() in provider
    other_council = ow.w.client("other_council_coordinator").get(url).content.decode()
    assert requested.get_absolute_url() not in other_council


# The catalogue -------------------------------------------------------------------------------


@pytest.fixture
def catalogue(ow: OffersWorld) -> dict[str, Offer]:
    w = ow.w
    return {
        "training": make_offer(
            ow.ngo_rep, w.ngo, title="Schulung Erstkontakt", regions=[ow.region]
        ),
        "speakers": make_offer(
            ow.ngo_rep,
            w.ngo,
            title="Vortrag Opferrechte",
            kind=OfferKind.SPEAKERS,
            statewide=True,
            topics=(Topic.VICTIMS, Topic.DOMESTIC_VIOLENCE),
        ),
        "material": make_offer(
            w.users["state_staff"],
            w.office,
            title="Materialkoffer Sucht",
            kind=OfferKind.MATERIAL,
            regions=[ow.other_region],
            topics=(Topic.ADDICTION,),
            is_free=False,
            cost="50 € Versand",
            audience="Jugendtreffs",
        ),
        "advice": make_offer(
            w.users["state_staff"],
            w.office,
            title="Beratung Cybermobbing",
            kind=OfferKind.ADVICE,
            regions=[ow.region, ow.other_region],
            topics=(Topic.CYBERCRIME,),
        ),
        "draft": ow.draft_offer,
        "mv": ow.mv_offer,
    }


def test_the_catalogue_lists_the_published_offers_of_the_state(
    ow: OffersWorld, catalogue: dict[str, Offer]
) -> None:
    titles = _titles(ow.w.client("coordinator").get(LIST))
    assert titles == [
        "Beratung Cybermobbing",
        "Materialkoffer Sucht",
        "Schulung Erstkontakt",
        "Vortrag Opferrechte",
    ]
    assert _titles(ow.w.client("other_state_coordinator").get(LIST)) == [catalogue["mv"].title]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=koffer", ["Materialkoffer Sucht"]),
        ("q=Opferhilfe", ["Schulung Erstkontakt", "Vortrag Opferrechte"]),  # the provider
        ("q=jugendtreffs", ["Materialkoffer Sucht"]),  # the audience
        ("q=Vortrag+Opfer", ["Vortrag Opferrechte"]),
        ("topic=domestic_violence", ["Vortrag Opferrechte"]),
        ("topic=victims", ["Schulung Erstkontakt", "Vortrag Opferrechte"]),
        ("kind=material", ["Materialkoffer Sucht"]),
        ("cost=paid", ["Materialkoffer Sucht"]),
        ("cost=free", ["Beratung Cybermobbing", "Schulung Erstkontakt", "Vortrag Opferrechte"]),
        (
            "o=-title",
            [
                "Vortrag Opferrechte",
                "Schulung Erstkontakt",
                "Materialkoffer Sucht",
                "Beratung Cybermobbing",
            ],
        ),
    ],
)
def test_search_and_filters(
    ow: OffersWorld, catalogue: dict[str, Offer], query: str, expected: list[str]
) -> None:
    assert _titles(ow.w.client("coordinator").get(f"{LIST}?{query}")) == expected


def test_the_provider_filter(ow: OffersWorld, catalogue: dict[str, Offer]) -> None:
    response = ow.w.client("coordinator").get(f"{LIST}?provider={ow.w.office.pk}")
    assert _titles(response) == ["Beratung Cybermobbing", "Materialkoffer Sucht"]


def test_a_region_shows_its_own_and_the_statewide_offers(
    ow: OffersWorld, catalogue: dict[str, Offer]
) -> None:
    client = ow.w.client("coordinator")
    leine_weser = _titles(client.get(f"{LIST}?region={ow.region.pk}"))
    assert leine_weser == ["Beratung Cybermobbing", "Schulung Erstkontakt", "Vortrag Opferrechte"]
    lueneburg = _titles(client.get(f"{LIST}?region={ow.other_region.pk}"))
    assert lueneburg == ["Beratung Cybermobbing", "Materialkoffer Sucht", "Vortrag Opferrechte"]
    empty_region = RegionFactory(state=ow.w.state, name="Weser-Ems")
    assert _titles(client.get(f"{LIST}?region={empty_region.pk}")) == ["Vortrag Opferrechte"]
    combined = _titles(client.get(f"{LIST}?region={ow.other_region.pk}&kind=training"))
    assert combined == []


def test_available_in_counts_statewide_offers_once(
    ow: OffersWorld, catalogue: dict[str, Offer]
) -> None:
    in_region = Offer.objects.published().filter(state=ow.w.state).available_in(ow.other_region)
    assert in_region.count() == 3
    assert list(in_region.order_by("title").values_list("title", flat=True)) == [
        "Beratung Cybermobbing",
        "Materialkoffer Sucht",
        "Vortrag Opferrechte",
    ]
    # The other state's statewide offer is available in its own regions only.
    mv = Offer.objects.available_in(ow.mv_region).filter(state=ow.w.other_state)
    assert list(mv.values_list("title", flat=True)) == [catalogue["mv"].title]


def test_a_forged_region_or_provider_filter_shows_nothing(
    ow: OffersWorld, catalogue: dict[str, Offer]
) -> None:
    client = ow.w.client("coordinator")
    for query in (f"region={ow.mv_region.pk}", f"provider={ow.w.other_state_office.pk}"):
        response = client.get(f"{LIST}?{query}")
        assert response.status_code == 200
        assert _titles(response) == []
        assert "No offer matches these filters" in response.content.decode()


def test_empty_catalogue(ow: OffersWorld) -> None:
    body = ow.w.client("coordinator").get(LIST).content.decode()
    assert "No offers published yet" in body
    provider = ow.w.client("ngo_representative").get(LIST).content.decode()
    assert "Publish the first offer" in provider


def test_my_organisations_offers_include_unpublished_ones(
    ow: OffersWorld, catalogue: dict[str, Offer]
) -> None:
    ow.ask(catalogue["training"], group="Kollegium")
    response = ow.w.client("ngo_representative").get(MINE)
    rows = {offer.title: offer for offer in response.context["page"].object_list}
    assert set(rows) == {"Schulung Erstkontakt", "Vortrag Opferrechte", "Flyer in Leichter Sprache"}
    assert rows["Schulung Erstkontakt"].open_request_count == 1
    assert "Not published" in response.content.decode()


# Query counts --------------------------------------------------------------------------------


def test_the_catalogue_keeps_its_queries_from_10_to_1000_offers(ow: OffersWorld) -> None:
    regions = [ow.region, ow.other_region]
    bulk_offers(ow.w.ngo, regions, 10)
    client = ow.w.client("coordinator")
    assert_constant_queries(
        lambda: client.get(f"{LIST}?region={ow.region.pk}&o=-created"),
        lambda: bulk_offers(ow.w.ngo, regions, 990, start=10),
    )
    response = client.get(LIST)
    assert response.context["page"].paginator.count == 1000
    assert len(response.context["page"].object_list) == 25


def test_my_offers_keep_their_queries_from_10_to_1000_offers(ow: OffersWorld) -> None:
    regions = [ow.region, ow.other_region]
    bulk_offers(ow.w.ngo, regions, 10)
    client = ow.w.client("ngo_representative")
    assert_constant_queries(
        lambda: client.get(MINE), lambda: bulk_offers(ow.w.ngo, regions, 990, start=10)
    )


def test_people_outside_every_network_get_no_catalogue(ow: OffersWorld) -> None:
    client = Client()
    client.force_login(UserFactory(username="ohne-mitgliedschaft"))
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("exchange:offer_request_list")).status_code == 403
    assert client.get(ow.offer.get_absolute_url()).status_code == 404


# The form: one possible provider, statewide or regions (issue 10, point 13) -----------------


def _provider_select(html: str) -> str:
    start = html.index('<select name="provider"')
    return html[start : html.index("</select>", start)]


def test_the_only_possible_provider_is_preselected(ow: OffersWorld) -> None:
    select = _provider_select(ow.w.client("ngo_representative").get(CREATE).content.decode())

    assert f'<option value="{ow.w.ngo.pk}" selected>' in select
    assert 'value=""' not in select  # no empty choice before the only one


def test_the_statewide_checkbox_and_the_regions_hint_agree(ow: OffersWorld) -> None:
    html = ow.w.client("ngo_representative").get(CREATE).content.decode()

    assert "Leave empty when the offer is available statewide" not in html
    assert "then no region needs to be chosen below" in html
    assert "Not needed when it is available statewide" in html
    # What the hints say is what the form checks: no region and not statewide is refused.
    response = ow.w.client("ngo_representative").post(CREATE, _data(ow, regions=[]))
    assert response.status_code == 200
    assert "Choose the regions where the offer is available, or mark it as statewide." in (
        response.content.decode()
    )
