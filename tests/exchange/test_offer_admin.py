"""Django admin of the offers: registered, lists with constant queries, requests read-only."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from exchange.models import Offer, OfferRequest
from tests.conftest import World
from tests.exchange.bulk_offers import bulk_offers, bulk_requests
from tests.exchange.world_offers import offers_world
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def admin_client(world: World) -> Client:
    client = world.client("platform_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def url(model: type, view: str, *args: int) -> str:
    meta = model._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_the_offer_models_are_registered() -> None:
    assert admin.site.is_registered(Offer)
    assert admin.site.is_registered(OfferRequest)


@pytest.mark.parametrize("model", [Offer, OfferRequest], ids=lambda m: m.__name__)
def test_changelists_keep_their_queries(world: World, model: type) -> None:
    ow = offers_world(world)
    regions = [ow.region, ow.other_region]
    councils = [world.council, world.other_council]
    bulk_requests(bulk_offers(world.ngo, regions, 3), councils)
    client = admin_client(world)
    assert_constant_queries(
        lambda: client.get(url(model, "changelist")),
        lambda: bulk_requests(bulk_offers(world.ngo, regions, 30, start=3), councils),
    )


def test_an_offer_opens_and_a_request_is_read_only(world: World) -> None:
    ow = offers_world(world)
    client = admin_client(world)
    assert client.get(url(Offer, "change", ow.offer.pk)).status_code == 200
    page = client.get(url(OfferRequest, "change", ow.proposed.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(url(OfferRequest, "add")).status_code == 403
    assert (
        client.post(url(OfferRequest, "delete", ow.proposed.pk), {"post": "yes"}).status_code == 403
    )
    assert OfferRequest.objects.filter(pk=ow.proposed.pk).exists()
